import { FakeClock } from 'portier/sdk/testing';
import { describe, expect, it } from 'vitest';
import { dtmfFromInfo } from './dtmf-info.js';
import { DtmfSequenceMatcher, type MatchableSequence } from './dtmf-sequence-matcher.js';

function matcher(sequences: string[], timeoutMs = 3000) {
  const clock = new FakeClock();
  const fired: string[] = [];
  const list: MatchableSequence[] = sequences.map((sequence, i) => ({ id: `s${i}`, sequence }));
  const m = new DtmfSequenceMatcher(clock, () => list, () => timeoutMs, (s) => fired.push(s.sequence));
  const type = (keys: string) => [...keys].forEach((key) => m.key(key));
  return { clock, fired, type };
}

describe('DTMF sequences', () => {
  it('fires the manual\'s "9" as soon as it is typed', () => {
    const { fired, type } = matcher(['9']);
    type('9');
    expect(fired).toEqual(['9']);
    type('9');
    expect(fired).toEqual(['9', '9']);
  });

  it('fires a sequence of several keys typed within the inter-digit timeout, not one with a pause in it', async () => {
    const { clock, fired, type } = matcher(['123#']);
    type('12');
    await clock.advance(2999);
    type('3#');
    expect(fired).toEqual(['123#']);
    type('12');
    await clock.advance(3000);
    type('3#');
    expect(fired).toEqual(['123#']);
  });

  it('waits out the timeout before firing a sequence that starts a longer one', async () => {
    const { clock, fired, type } = matcher(['1', '12']);
    type('1');
    expect(fired).toEqual([]);
    await clock.advance(3000);
    expect(fired).toEqual(['1']);
    type('12');
    expect(fired).toEqual(['1', '12']);
  });

  it('finds a sequence after wrong keys', () => {
    const { fired, type } = matcher(['42']);
    type('7742');
    expect(fired).toEqual(['42']);
    type('4442');
    expect(fired).toEqual(['42', '42']);
  });

  it('matches letters and symbols case-insensitively', () => {
    const { fired, type } = matcher(['*A#']);
    type('*a#');
    expect(fired).toEqual(['*A#']);
  });
});

describe('DTMF in SIP INFO', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('reads application/dtmf-relay and application/dtmf', () => {
    expect(dtmfFromInfo('application/dtmf-relay', bytes('Signal=9\r\nDuration=160\r\n'))).toBe('9');
    expect(dtmfFromInfo('application/dtmf-relay', bytes('Signal= *\r\nDuration=100'))).toBe('*');
    expect(dtmfFromInfo('application/dtmf-relay', bytes('Signal=11\r\n'))).toBe('#');
    expect(dtmfFromInfo('application/dtmf', bytes('5'))).toBe('5');
  });

  it('refuses anything else', () => {
    expect(dtmfFromInfo('application/dtmf-relay', bytes('Signal=X'))).toBeUndefined();
    expect(dtmfFromInfo('text/plain', bytes('Signal=5'))).toBeUndefined();
    expect(dtmfFromInfo('application/dtmf-relay', bytes(''))).toBeUndefined();
  });
});
