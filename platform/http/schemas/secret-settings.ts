import { type ZodType, z } from 'zod';

/** What the API shows instead of a secret setting's value. */
export const SECRET_MASK = '********';

/** A path to a field; `null` stands for every item of an array or every value of a record. */
export type SettingPath = (string | null)[];

interface JsonSchemaNode {
  $ref?: string;
  writeOnly?: boolean;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode | boolean;
  prefixItems?: JsonSchemaNode[];
  additionalProperties?: JsonSchemaNode | boolean;
  $defs?: Record<string, JsonSchemaNode>;
}

/**
 * The fields a plugin's settings schema marks as secret. A plugin marks one
 * with JSON Schema's own keyword, `.meta({ writeOnly: true })`, so the mark
 * also reaches the schema a client builds its form from.
 */
export function secretPaths(schema: ZodType): SettingPath[] {
  let root: JsonSchemaNode;
  try {
    root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  } catch {
    return [];
  }
  const out: SettingPath[] = [];
  const walk = (node: JsonSchemaNode | boolean | undefined, path: SettingPath, refs: ReadonlySet<string>): void => {
    if (node === undefined || typeof node === 'boolean') return;
    if (node.$ref !== undefined) {
      // Recursive schemas refer to themselves; each definition is walked once per branch.
      if (refs.has(node.$ref)) return;
      const name = node.$ref.replace(/^#\/\$defs\//, '');
      walk(node.$ref === '#' ? root : root.$defs?.[name], path, new Set([...refs, node.$ref]));
    }
    if (node.writeOnly === true) {
      out.push(path);
      return;
    }
    for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) walk(branch, path, refs);
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, [...path, key], refs);
    node.prefixItems?.forEach((child, i) => walk(child, [...path, String(i)], refs));
    walk(node.items, [...path, null], refs);
    walk(node.additionalProperties, [...path, null], refs);
  };
  walk(root, [], new Set());
  return out;
}

/** The settings as an operator may see them: every secret that has a value shows as SECRET_MASK. */
export function maskSecrets(value: unknown, paths: readonly SettingPath[]): unknown {
  return paths.reduce((current, path) => mapAt(current, path, (v) => (v === undefined || v === null ? v : SECRET_MASK)), value);
}

/**
 * Settings read, edited and sent back carry the mask where a secret was;
 * that means "keep the secret", not "set it to eight asterisks".
 */
export function keepMaskedSecrets(next: unknown, stored: unknown, paths: readonly SettingPath[]): unknown {
  return paths.reduce((current, path) => restoreAt(current, stored, path), next);
}

function mapAt(value: unknown, path: SettingPath, change: (v: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    if (head === null) return value.map((item) => mapAt(item, rest, change));
    const index = Number(head);
    return value.map((item, i) => (i === index ? mapAt(item, rest, change) : item));
  }
  const record = value as Record<string, unknown>;
  if (head === null) return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, mapAt(v, rest, change)]));
  if (!(head! in record)) return value;
  return { ...record, [head!]: mapAt(record[head!], rest, change) };
}

function restoreAt(next: unknown, stored: unknown, path: SettingPath): unknown {
  if (path.length === 0) return next === SECRET_MASK && stored !== undefined ? stored : next;
  if (typeof next !== 'object' || next === null) return next;
  const [head, ...rest] = path;
  const child = (container: unknown, key: string | number): unknown =>
    typeof container === 'object' && container !== null ? (container as Record<string | number, unknown>)[key] : undefined;
  if (Array.isArray(next)) {
    if (head === null) return next.map((item, i) => restoreAt(item, child(stored, i), rest));
    const index = Number(head);
    return next.map((item, i) => (i === index ? restoreAt(item, child(stored, i), rest) : item));
  }
  const record = next as Record<string, unknown>;
  if (head === null) return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, restoreAt(v, child(stored, k), rest)]));
  if (!(head! in record)) return next;
  return { ...record, [head!]: restoreAt(record[head!], child(stored, head!), rest) };
}
