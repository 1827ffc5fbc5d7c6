import type { ErrorDetail } from '../../sdk/errors.js';
import type { SettingPath } from '../http/schemas/secret-settings.js';
import { issuePointer } from '../validation/zod-issues.js';
import { SECRET_PLACEHOLDER } from './site-document.js';

/**
 * Settings as the site document carries them: each secret field that has a
 * value (a plugin marks one with `.meta({ writeOnly: true })` in its settings
 * schema) becomes `{ "$secret": true }`, so an export never holds a password.
 */
export function withSecretPlaceholders(value: unknown, paths: readonly SettingPath[]): unknown {
  return paths.reduce((current, path) => replaceAt(current, path), value);
}

function replaceAt(value: unknown, path: SettingPath): unknown {
  if (path.length === 0) return value === undefined || value === null ? value : { ...SECRET_PLACEHOLDER };
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((item, i) => (head === null || Number(head) === i ? replaceAt(item, rest) : item));
  }
  const record = value as Record<string, unknown>;
  if (head === null) return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, replaceAt(v, rest)]));
  if (!Object.hasOwn(record, head!)) return value;
  return { ...record, [head!]: replaceAt(record[head!], rest) };
}

export function isSecretPlaceholder(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && (value as Record<string, unknown>).$secret === true;
}

/**
 * Settings from a site document with each `{ "$secret": true }` replaced by
 * the value this intercom has at the same place. A placeholder where this
 * intercom has no value is a problem: the secret has to be supplied.
 */
export function keepCurrentSecrets(value: unknown, current: unknown, pointer: string, details: ErrorDetail[], path: PropertyKey[] = []): unknown {
  if (isSecretPlaceholder(value)) {
    if (current === undefined || current === null) {
      details.push({
        path: issuePointer(path, pointer),
        message: 'a secret the export left out, and this intercom has no value to keep; put the value here instead of { "$secret": true }',
      });
    }
    return current;
  }
  if (typeof value !== 'object' || value === null) return value;
  const child = (key: string | number): unknown => (typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>)[key] : undefined);
  if (Array.isArray(value)) return value.map((item, i) => keepCurrentSecrets(item, child(i), pointer, details, [...path, i]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keepCurrentSecrets(v, child(k), pointer, details, [...path, k])]));
}
