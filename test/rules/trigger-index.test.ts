import { describe, expect, it } from 'vitest';
import { TriggerIndex } from '../../platform/rules/trigger-index.js';

describe('TriggerIndex', () => {
  it('matches by type alone when a filter is empty', () => {
    const index = new TriggerIndex<string>();
    index.add('io/input', {}, 'any');
    expect(index.match('io/input', { port: 'io-1', active: true })).toEqual(['any']);
    expect(index.match('io/output', { port: 'io-1', active: true })).toBeUndefined();
  });

  it('matches only the payloads a filter names, whatever else they carry', () => {
    const index = new TriggerIndex<string>();
    index.add('io/input', { port: 'io-1', active: true }, 'io-1 on');
    expect(index.match('io/input', { port: 'io-1', active: true, name: 'I1' })).toEqual(['io-1 on']);
    expect(index.match('io/input', { port: 'io-1', active: false })).toBeUndefined();
    expect(index.match('io/input', { port: 'io-2', active: true })).toBeUndefined();
    // A filter field the payload lacks never matches.
    expect(index.match('io/input', { port: 'io-1' })).toBeUndefined();
  });

  it('collects matches across several filter shapes for one type', () => {
    const index = new TriggerIndex<string>();
    index.add('io/input', {}, 'every input');
    index.add('io/input', { port: 'io-1' }, 'io-1 any state');
    index.add('io/input', { active: true, port: 'io-1' }, 'io-1 on');
    index.add('io/input', { port: 'io-1', active: true }, 'io-1 on, again');
    index.add('io/input', { port: 'io-2', active: true }, 'io-2 on');
    const matched = index.match('io/input', { port: 'io-1', active: true, name: 'I1' });
    expect(matched?.sort()).toEqual(['every input', 'io-1 any state', 'io-1 on', 'io-1 on, again']);
    expect(index.match('io/input', { port: 'io-2', active: false })).toEqual(['every input']);
  });

  it('keeps field values apart: no collision between "a\\u0000b" style keys', () => {
    const index = new TriggerIndex<string>();
    index.add('x/e', { a: 'p', b: 'q' }, 'pq');
    expect(index.match('x/e', { a: 'p', b: 'q' })).toEqual(['pq']);
    expect(index.match('x/e', { a: 'pq', b: '' })).toBeUndefined();
  });

  it('compares numbers, booleans and strings as the filter gave them', () => {
    const index = new TriggerIndex<string>();
    index.add('io/manual-trigger', { trigger: 1, active: true }, 'mt1');
    expect(index.match('io/manual-trigger', { trigger: 1, active: true })).toEqual(['mt1']);
    expect(index.match('io/manual-trigger', { trigger: 2, active: true })).toBeUndefined();
  });

  it('does not mutate a match result returned earlier when more shapes match', () => {
    const index = new TriggerIndex<string>();
    index.add('t/e', {}, 'a');
    index.add('t/e', { k: 1 }, 'b');
    const first = index.match('t/e', { k: 1 })!;
    expect(first.sort()).toEqual(['a', 'b']);
    expect(index.match('t/e', { k: 2 })).toEqual(['a']);
  });

  it('removes one item and leaves the others with the same filter', () => {
    const index = new TriggerIndex<string>();
    index.add('io/input', { port: 'io-1' }, 'first');
    index.add('io/input', { port: 'io-1' }, 'second');
    index.remove('io/input', { port: 'io-1' }, 'first');
    expect(index.match('io/input', { port: 'io-1' })).toEqual(['second']);
    index.remove('io/input', { port: 'io-1' }, 'second');
    expect(index.match('io/input', { port: 'io-1' })).toBeUndefined();
  });

  it('removes with the filter keys in any order, and ignores what was never added', () => {
    const index = new TriggerIndex<string>();
    index.add('io/input', { port: 'io-1', active: true }, 'r');
    index.remove('io/input', { port: 'io-2', active: true }, 'r');
    index.remove('io/output', { port: 'io-1', active: true }, 'r');
    index.remove('io/input', { port: 'io-1' }, 'r');
    expect(index.match('io/input', { port: 'io-1', active: true })).toEqual(['r']);
    index.remove('io/input', { active: true, port: 'io-1' }, 'r');
    expect(index.match('io/input', { port: 'io-1', active: true })).toBeUndefined();
    // The index is usable again after it emptied.
    index.add('io/input', {}, 'again');
    expect(index.match('io/input', { port: 'io-1', active: true })).toEqual(['again']);
  });

  it('an array an earlier match returned does not see later removals (rules may unbind while firing)', () => {
    const index = new TriggerIndex<string>();
    index.add('t/e', { k: 1 }, 'a');
    index.add('t/e', { k: 1 }, 'b');
    const matched = index.match('t/e', { k: 1 })!;
    index.remove('t/e', { k: 1 }, 'a');
    expect(matched).toEqual(['a', 'b']);
  });
});

describe('TriggerIndex while rules change during a match', () => {
  it('an array an earlier match returned does not see later additions', () => {
    const index = new TriggerIndex<string>();
    index.add('t/e', { k: 1 }, 'a');
    const matched = index.match('t/e', { k: 1 })!;
    index.add('t/e', { k: 1 }, 'b');
    expect(matched).toEqual(['a']);
    expect(index.match('t/e', { k: 1 })).toEqual(['a', 'b']);
  });
});
