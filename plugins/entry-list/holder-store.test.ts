import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/store/database.js';
import { SqlitePluginStore } from '../../platform/store/plugin-store.js';
import { FakeClock } from '../../sdk/testing/index.js';
import { HolderStore } from './holder-store.js';
import { MAX_HOLDERS } from './holder.js';

function holders(): HolderStore {
  return new HolderStore(new SqlitePluginStore(openDatabase(':memory:'), 'entry-list'), new FakeClock());
}

describe('the holder store', () => {
  it('refuses the fifty-first holder with a clear error', () => {
    const store = holders();
    for (let i = 0; i < MAX_HOLDERS; i++) store.add({ firstName: `Holder ${i}`, pin: String(1000 + i) });
    expect(() => store.add({ firstName: 'One too many', pin: '9999' })).toThrow(expect.objectContaining({ code: 'ENTRY_LIST_FULL', message: expect.stringContaining('at most 50') }));
    expect(store.list()).toHaveLength(MAX_HOLDERS);
  });

  it('keeps first names unique regardless of case, and a card or PIN to one holder', () => {
    const store = holders();
    store.add({ firstName: 'Anna', card: '04:A2:2B:91' });
    expect(() => store.add({ firstName: 'anna', pin: '1234' })).toThrow(expect.objectContaining({ code: 'HOLDER_NAME_TAKEN' }));
    expect(() => store.add({ firstName: 'Bo', card: '04a22b91' })).toThrow(expect.objectContaining({ code: 'CREDENTIAL_TAKEN', message: 'This card already belongs to Anna.' }));
  });

  it('takes one use per grant, never below zero', () => {
    const store = holders();
    const anna = store.add({ firstName: 'Anna', card: '04A2', validity: { kind: 'times', remaining: 2 } });
    expect(store.takeUse(anna.id)).toBe(1);
    expect(store.takeUse(anna.id)).toBe(0);
    expect(store.takeUse(anna.id)).toBeUndefined();
    expect(store.get(anna.id).validity).toEqual({ kind: 'times', remaining: 0 });
  });

  it('replaces the list whole on import, or not at all', () => {
    const store = holders();
    store.add({ firstName: 'Anna', pin: '1111' });
    expect(() => store.replaceAll([{ firstName: 'Bo', pin: '2222' }, { firstName: 'Cleo', pin: '2222' }])).toThrow(expect.objectContaining({ code: 'CREDENTIAL_TAKEN' }));
    expect(store.list().map((h) => h.firstName)).toEqual(['Anna']);
    store.replaceAll([{ firstName: 'Bo', pin: '2222' }]);
    expect(store.list().map((h) => h.firstName)).toEqual(['Bo']);
  });
});
