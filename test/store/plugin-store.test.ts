import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/store/database.js';
import { SqlitePluginStore, deletePluginData } from '../../platform/store/plugin-store.js';

function setup() {
  const db = openDatabase(':memory:');
  return { db, a: new SqlitePluginStore(db, 'alpha'), b: new SqlitePluginStore(db, 'beta') };
}

describe('SqlitePluginStore', () => {
  it('round-trips JSON values', () => {
    const { a } = setup();
    const value = { n: 1.5, s: 'x', list: [1, null, true], nested: { deep: 'ok' } };
    a.set('v', value);
    expect(a.get('v')).toEqual(value);
    a.set('v', 'replaced');
    expect(a.get('v')).toBe('replaced');
    expect(a.get('missing')).toBeUndefined();
    a.set('null', null);
    expect(a.get('null')).toBeNull();
  });

  it('deletes, telling whether the key existed', () => {
    const { a } = setup();
    a.set('k', 1);
    expect(a.delete('k')).toBe(true);
    expect(a.delete('k')).toBe(false);
    expect(a.get('k')).toBeUndefined();
  });

  it('keeps each plugin in its own namespace', () => {
    const { db, a, b } = setup();
    a.set('shared', 'from alpha');
    b.set('shared', 'from beta');
    b.set('only-beta', 1);
    expect(a.get('shared')).toBe('from alpha');
    expect(a.get('only-beta')).toBeUndefined();
    expect(a.list().map((e) => e.key)).toEqual(['shared']);
    expect(a.delete('only-beta')).toBe(false);
    expect(b.get('only-beta')).toBe(1);

    expect(deletePluginData(db, 'beta')).toBe(2);
    expect(b.list()).toEqual([]);
    expect(a.get('shared')).toBe('from alpha');
  });

  it('lists by prefix in key order, taking % and _ literally', () => {
    const { a, b } = setup();
    for (const key of ['a%b', 'a%c', 'axb', 'a_1', 'ab1', 'a', 'b', 'a%', 'a😀', 'a\uffff', 'aé']) a.set(key, key);
    b.set('a%z', 'other plugin');
    expect(a.list('a%').map((e) => e.key)).toEqual(['a%', 'a%b', 'a%c']);
    expect(a.list('a_').map((e) => e.key)).toEqual(['a_1']);
    // Characters beyond U+FFFF sort after '\uffff' in SQLite; they must still match.
    expect(a.list('a').map((e) => e.key)).toEqual(['a', 'a%', 'a%b', 'a%c', 'a_1', 'ab1', 'axb', 'aé', 'a\uffff', 'a😀']);
    expect(a.list('a😀')).toEqual([{ key: 'a😀', value: 'a😀' }]);
    expect(a.list().length).toBe(11);
    expect(a.list('zzz')).toEqual([]);
  });

  it('lists a prefix ending in the highest code point', () => {
    const { a } = setup();
    a.set('x\u{10ffff}', 1);
    a.set('x\u{10ffff}y', 2);
    a.set('y', 3);
    expect(a.list('x\u{10ffff}').map((e) => e.value)).toEqual([1, 2]);
  });

  it('commits a transaction as a whole and rolls it back on throw', () => {
    const { a } = setup();
    a.set('keep', 'before');
    expect(a.transaction(() => {
      a.set('t1', 1);
      a.set('t2', 2);
      return 'done';
    })).toBe('done');
    expect(a.get('t2')).toBe(2);

    expect(() =>
      a.transaction(() => {
        a.set('keep', 'changed');
        a.set('t3', 3);
        a.delete('t1');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(a.get('keep')).toBe('before');
    expect(a.get('t3')).toBeUndefined();
    expect(a.get('t1')).toBe(1);
  });

  it('nests transactions: an inner failure caught by the outer one undoes only the inner writes', () => {
    const { a } = setup();
    a.transaction(() => {
      a.set('outer', 1);
      try {
        a.transaction(() => {
          a.set('inner', 2);
          throw new Error('inner fails');
        });
      } catch {
        // the outer transaction carries on
      }
    });
    expect(a.get('outer')).toBe(1);
    expect(a.get('inner')).toBeUndefined();

    expect(() =>
      a.transaction(() => {
        a.transaction(() => a.set('nested', 3));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(a.get('nested')).toBeUndefined();
  });

  it('refuses an async transaction and rolls it back', () => {
    const { a } = setup();
    expect(() =>
      a.transaction(async () => {
        a.set('async', 1);
      }),
    ).toThrow(expect.objectContaining({ code: 'STORE_TRANSACTION_ASYNC' }));
    expect(a.get('async')).toBeUndefined();
  });

  it.each([
    ['undefined', undefined, ''],
    ['a function', () => 1, ''],
    ['NaN', NaN, ''],
    ['Infinity', Infinity, ''],
    ['a nested non-finite number', { a: [1, -Infinity] }, '/a/1'],
    ['a nested function', { f: () => 1 }, '/f'],
    ['undefined in an array', [1, undefined], '/1'],
    ['a bigint', 10n, ''],
    ['a Map', new Map([[1, 2]]), ''],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(), '/self'],
  ])('refuses %s, naming the key', (_name, value, path) => {
    const { a } = setup();
    let error: unknown;
    try {
      a.set('bad-key', value);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STORE_VALUE_INVALID', message: expect.stringContaining('"bad-key"') });
    expect((error as { details: { path: string }[] }).details[0]?.path).toBe(path);
    expect(a.get('bad-key')).toBeUndefined();
  });

  it('accepts undefined properties (dropped, like optional fields) and toJSON values', () => {
    const { a } = setup();
    a.set('opt', { a: 1, b: undefined });
    expect(a.get('opt')).toEqual({ a: 1 });
    a.set('date', { at: new Date(0) });
    expect(a.get('date')).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it.each([[''], ['x'.repeat(513)], [42 as unknown as string], ['bad\ud800']])('refuses the key %#', (key) => {
    const { a } = setup();
    expect(() => a.set(key, 1)).toThrow(expect.objectContaining({ code: 'STORE_KEY_INVALID' }));
    expect(() => a.get(key)).toThrow(expect.objectContaining({ code: 'STORE_KEY_INVALID' }));
    expect(() => a.delete(key)).toThrow(expect.objectContaining({ code: 'STORE_KEY_INVALID' }));
  });

  it('accepts a key of exactly 512 characters', () => {
    const { a } = setup();
    a.set('k'.repeat(512), true);
    expect(a.get('k'.repeat(512))).toBe(true);
  });
});
