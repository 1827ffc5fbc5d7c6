/**
 * Builds the committed artefacts of the manifest schema from its zod source:
 * `v1.json` for editors and validators, `FIELDS.md` for people. Both are
 * derived here and nowhere else, so the script that writes them and the test
 * that checks them for drift cannot disagree on their content.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MANIFEST_SCHEMA_ID, MANIFEST_SCHEMA_VERSION, manifestSchema } from './schema.js';

const SCHEMA_TITLE = `Portier plugin manifest, version ${MANIFEST_SCHEMA_VERSION}`;

/** The slice of JSON Schema that zod emits for the manifest. */
interface JsonSchemaNode {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: JsonSchemaNode | boolean;
  propertyNames?: JsonSchemaNode;
  items?: JsonSchemaNode;
  minLength?: number;
  maxLength?: number;
  [keyword: string]: unknown;
}

/**
 * The input side is published because authors write the input: a field with a
 * default is optional in manifest.json even though the loaded manifest always
 * has it.
 */
export function generateJsonSchema(): object {
  const { $schema, description, ...rest } = z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-2020-12' });
  return { $schema, $id: MANIFEST_SCHEMA_ID, title: SCHEMA_TITLE, description, ...rest };
}

export function generateFieldsMarkdown(): string {
  const root = generateJsonSchema() as JsonSchemaNode;
  const out: string[] = [
    `# Manifest fields (schema version ${MANIFEST_SCHEMA_VERSION})`,
    '',
    '<!-- Generated from manifest-schema/schema.ts by `npm run schema`. Do not edit by hand. -->',
    '',
    cell(root.description ?? ''),
    '',
    `Editors validate a manifest against \`manifest-schema/v1.json\` (\`$id\` ${MANIFEST_SCHEMA_ID})`,
    'when it names the schema in `"$schema"`. A field with a default may be left out.',
    '',
  ];

  // Several maps share one declaration schema (conditions and display
  // elements); it is documented once and the others point to it.
  const documented = new Map<string, string>();
  const queue: Array<{ heading: string; node: JsonSchemaNode }> = [{ heading: 'manifest', node: root }];
  documented.set(JSON.stringify(root), 'manifest');

  while (queue.length > 0) {
    const { heading, node } = queue.shift()!;
    out.push(`## \`${heading}\``, '');
    if (heading !== 'manifest' && node.description) out.push(cell(node.description), '');
    out.push('| field | type | required | default | description |', '| --- | --- | --- | --- | --- |');
    const required = new Set(node.required ?? []);
    for (const [field, child] of Object.entries(node.properties ?? {})) {
      const childPath = heading === 'manifest' ? field : `${heading}.${field}`;
      const type = describeType(child, childPath, (objectNode, objectHeading) => {
        const key = JSON.stringify({ ...objectNode, description: undefined, default: undefined });
        const seen = documented.get(key);
        if (seen !== undefined) return seen;
        documented.set(key, objectHeading);
        queue.push({ heading: objectHeading, node: objectNode });
        return objectHeading;
      });
      const defaultValue = child.default === undefined ? '' : code(JSON.stringify(child.default));
      out.push(
        `| ${code(field)} | ${type} | ${required.has(field) ? 'yes' : 'no'} | ${defaultValue} | ${cell(child.description ?? '')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** The generated files, with their absolute paths and exact contents. */
export function generatedManifestSchemaFiles(): Array<{ file: string; content: string }> {
  const folder = dirname(fileURLToPath(import.meta.url));
  return [
    { file: join(folder, `v${MANIFEST_SCHEMA_VERSION}.json`), content: JSON.stringify(generateJsonSchema(), null, 2) + '\n' },
    { file: join(folder, 'FIELDS.md'), content: generateFieldsMarkdown() },
  ];
}

/**
 * `document` registers an object schema for its own table and returns the
 * heading it is documented under.
 */
function describeType(
  node: JsonSchemaNode,
  path: string,
  document: (node: JsonSchemaNode, heading: string) => string,
): string {
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (node.enum !== undefined) return 'one of ' + node.enum.map((v) => code(JSON.stringify(v))).join(', ');
  switch (node.type) {
    case 'string':
      return 'string' + lengthLimits(node);
    case 'array':
      return 'array of ' + (node.items ? describeType(node.items, `${path}[]`, document) : 'any');
    case 'object': {
      if (node.properties !== undefined) return `object, see ${code(document(node, path))}`;
      const value = node.additionalProperties;
      const valueType = typeof value === 'object' ? describeType(value, `${path}.<name>`, document) : 'any';
      const keyType = node.propertyNames ? 'name' + lengthLimits(node.propertyNames) : 'name';
      return `map of ${keyType} → ${valueType}`;
    }
    case undefined:
      return 'any';
    default:
      return node.type;
  }
}

function lengthLimits(node: JsonSchemaNode): string {
  const { minLength: min, maxLength: max } = node;
  if (min !== undefined && max !== undefined) return ` (${min}–${max} characters)`;
  if (max !== undefined) return ` (at most ${max} characters)`;
  if (min === 1) return ' (not empty)';
  if (min !== undefined) return ` (at least ${min} characters)`;
  return '';
}

function code(text: string): string {
  return '`' + text.replaceAll('|', '\\|') + '`';
}

/**
 * Markdown table cells are one line and treat `|` as a column break; outside
 * code spans, `<name>` would be taken for an HTML tag and vanish.
 */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;')))
    .join('`')
    .replaceAll('|', '\\|');
}
