import type Database from 'better-sqlite3';
import { PortierError, type ErrorDetail } from '../../sdk/errors.js';
import type { PluginStore } from '../../sdk/store.js';

const MAX_KEY_LENGTH = 512;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A plugin's key-value namespace inside the shared `plugin_kv` table. Every
 * statement is bound to this plugin's name, so no key can reach another's.
 */
export class SqlitePluginStore implements PluginStore {
  private readonly selectOne: Database.Statement<[string, string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly selectAll: Database.Statement<[string], { key: string; value: string }>;
  private readonly selectFrom: Database.Statement<[string, string], { key: string; value: string }>;
  private readonly selectRange: Database.Statement<[string, string, string], { key: string; value: string }>;
  private readonly atomically: (work: () => unknown) => unknown;

  constructor(
    db: Database.Database,
    private readonly plugin: string,
  ) {
    this.selectOne = db.prepare('SELECT value FROM plugin_kv WHERE plugin = ? AND key = ?');
    this.upsert = db.prepare(
      'INSERT INTO plugin_kv (plugin, key, value) VALUES (?, ?, ?) ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare('DELETE FROM plugin_kv WHERE plugin = ? AND key = ?');
    this.selectAll = db.prepare('SELECT key, value FROM plugin_kv WHERE plugin = ? ORDER BY key');
    this.selectFrom = db.prepare('SELECT key, value FROM plugin_kv WHERE plugin = ? AND key >= ? ORDER BY key');
    this.selectRange = db.prepare(
      'SELECT key, value FROM plugin_kv WHERE plugin = ? AND key >= ? AND key < ? ORDER BY key',
    );
    // better-sqlite3 turns a nested call into a savepoint, which is what makes
    // transaction() nest.
    this.atomically = db.transaction((work: () => unknown) => {
      const result = work();
      if (isThenable(result)) {
        // The transaction would commit before the promise settles, breaking
        // the all-or-nothing promise; refusing here rolls it back.
        throw new PortierError(
          'STORE_TRANSACTION_ASYNC',
          `A store transaction of plugin "${this.plugin}" returned a promise. Transactions must be synchronous: do the awaiting first, then write inside transaction().`,
        );
      }
      return result;
    });
  }

  get<T = unknown>(key: string): T | undefined {
    this.checkKey(key);
    const row = this.selectOne.get(this.plugin, key);
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  set(key: string, value: unknown): void {
    this.checkKey(key);
    const problem = jsonProblem(value);
    if (problem !== undefined) {
      throw new PortierError(
        'STORE_VALUE_INVALID',
        `Cannot store key "${key}" of plugin "${this.plugin}": ${problem.message}` +
          `${problem.path === '' ? '' : ` (at ${problem.path})`}. Store values must be JSON: null, booleans, strings, finite numbers, arrays and plain objects.`,
        [problem],
      );
    }
    this.upsert.run(this.plugin, key, JSON.stringify(value));
  }

  delete(key: string): boolean {
    this.checkKey(key);
    return this.remove.run(this.plugin, key).changes > 0;
  }

  list<T = unknown>(prefix = ''): { key: string; value: T }[] {
    if (typeof prefix !== 'string' || LONE_SURROGATE.test(prefix)) {
      throw new PortierError('STORE_KEY_INVALID', `The list prefix of plugin "${this.plugin}" must be a well-formed string.`);
    }
    const end = prefixEnd(prefix);
    const rows =
      prefix === ''
        ? this.selectAll.all(this.plugin)
        : end === undefined
          ? this.selectFrom.all(this.plugin, prefix)
          : this.selectRange.all(this.plugin, prefix, end);
    return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
  }

  transaction<R>(work: () => R): R {
    return this.atomically(work) as R;
  }

  private checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || LONE_SURROGATE.test(key)) {
      const shown = typeof key === 'string' ? `"${key.slice(0, 40)}${key.length > 40 ? '…' : ''}"` : String(key);
      throw new PortierError(
        'STORE_KEY_INVALID',
        `Invalid store key ${shown} of plugin "${this.plugin}": keys are non-empty, well-formed strings of at most ${MAX_KEY_LENGTH} characters.`,
      );
    }
  }
}

/** Removes everything a plugin stored (when it is uninstalled); returns how many keys went. */
export function deletePluginData(db: Database.Database, plugin: string): number {
  return db.prepare('DELETE FROM plugin_kv WHERE plugin = ?').run(plugin).changes;
}

/**
 * The smallest string greater than every string starting with `prefix`, in
 * SQLite's BINARY (UTF-8 byte, hence code point) order: the prefix with its
 * last code point incremented. A plain `prefix + '\uffff'` would miss keys
 * continuing with characters beyond U+FFFF, such as emoji, and LIKE would
 * treat `%` and `_` as wildcards. Undefined when no such string exists.
 */
function prefixEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (char) => char.codePointAt(0) ?? 0);
  while (codePoints.length > 0) {
    const last = (codePoints.pop() ?? 0) + 1;
    if (last > 0x10ffff) continue;
    codePoints.push(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
    return String.fromCodePoint(...codePoints);
  }
  return undefined;
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Why `value` would not survive a JSON round trip unchanged, or undefined if it
 * would. JSON.stringify itself silently turns such values into `null`, drops
 * them, or returns undefined, so a plugin would read back something other than
 * what it stored. The path is a JSON pointer into the value.
 */
function jsonProblem(value: unknown): ErrorDetail | undefined {
  return check(value, '', new Set());
}

function check(value: unknown, path: string, ancestors: Set<object>): ErrorDetail | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, message: `${value} is not a finite number` };
    case 'undefined':
      return { path, message: 'the value is undefined' };
    case 'function':
      return { path, message: 'the value is a function' };
    case 'symbol':
      return { path, message: 'the value is a symbol' };
    case 'bigint':
      return { path, message: 'the value is a bigint (store it as a string)' };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return { path, message: 'the value contains itself (a cycle)' };

  ancestors.add(object);
  try {
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return check(toJSON.call(object, lastSegment(path)), path, ancestors);
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const problem = check(object[i], `${path}/${i}`, ancestors);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(object) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'an object with a prototype';
      return { path, message: `the value is a ${kind}, not a plain object` };
    }
    for (const [key, item] of Object.entries(object)) {
      // An undefined property is how optional fields look in TypeScript;
      // dropping it reads back the same as it was written.
      if (item === undefined) continue;
      const problem = check(item, `${path}/${escapePointer(key)}`, ancestors);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(object);
  }
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~');
}
