import { describe, expect, it } from 'vitest';

import { nextSequence, SequenceTracker } from './sequence-tracker.js';

describe('sequence numbers (§5 message control)', () => {
  it('counts 1, 2, 3, 1 after a 0', () => {
    expect([0, 1, 2, 3].map(nextSequence)).toEqual([1, 2, 3, 1]);
  });

  it('classifies reset, next, repeat and unexpected', () => {
    const tracker = new SequenceTracker();
    expect(tracker.classify(1)).toBe('unexpected');
    expect(tracker.classify(0)).toBe('reset');
    tracker.answered(0);
    expect(tracker.classify(1)).toBe('next');
    expect(tracker.classify(2)).toBe('unexpected');
    tracker.answered(1);
    expect(tracker.classify(1)).toBe('repeat');
    tracker.answered(2);
    tracker.answered(3);
    expect(tracker.classify(1)).toBe('next');
    expect(tracker.classify(0)).toBe('reset');
    tracker.reset();
    expect(tracker.lastAnswered).toBeNull();
  });
});
