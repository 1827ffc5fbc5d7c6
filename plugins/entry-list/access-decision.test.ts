import { describe, expect, it } from 'vitest';
import { decide } from './access-decision.js';
import { type Holder, holderInputSchema } from './holder.js';

const NOW = Date.parse('2026-11-24T10:00:00Z');

function holder(input: Record<string, unknown>): Holder {
  return { id: String(input.firstName), createdAt: 0, ...holderInputSchema.parse(input) };
}

const context = { now: NOW, scheduleActive: (id: string) => id === 'office-hours' };

describe('the entry list decides', () => {
  const holders = [
    holder({ firstName: 'Anna', card: '04:A2:2B:91', validity: { kind: 'times', remaining: 10 } }),
    holder({ firstName: 'Bo', pin: '4711', validity: { kind: 'times', remaining: 0 } }),
    holder({ firstName: 'Cleo', card: '12345678', validity: { kind: 'dates', from: '2026-12-01T00:00:00Z' } }),
    holder({ firstName: 'Dan', card: 'ABCDEF', validity: { kind: 'dates', to: '2026-11-24T09:59:59Z' } }),
    holder({ firstName: 'Eva', card: '0A0B0C', validity: { kind: 'schedule', schedule: 'night-shift' } }),
    holder({ firstName: 'Finn', card: '0D0E0F', validity: { kind: 'schedule', schedule: 'office-hours' } }),
    holder({ firstName: 'Gus', pin: '1234' }),
  ];

  it('grants a card however the reader separates its bytes, while it has uses left', () => {
    expect(decide(holders, { kind: 'card', value: '04a22b91' }, context)).toMatchObject({ granted: true, holder: { firstName: 'Anna' } });
    expect(decide(holders, { kind: 'card', value: '04-A2-2B-91' }, context)).toMatchObject({ granted: true });
  });

  it.each([
    ['an unknown card', { kind: 'card', value: 'FFFF' }, 'unknown'],
    ['a PIN nobody has', { kind: 'pin', value: '0000' }, 'unknown'],
    ['a holder with no uses left', { kind: 'pin', value: '4711' }, 'uses-exhausted'],
    ['a holder valid from a later date', { kind: 'card', value: '12345678' }, 'not-yet-valid'],
    ['a holder valid to an earlier moment', { kind: 'card', value: 'abcdef' }, 'expired'],
    ['a holder outside their schedule', { kind: 'card', value: '0a0b0c' }, 'outside-schedule'],
  ] as const)('denies %s, saying why', (_what, credential, reason) => {
    expect(decide(holders, credential, context)).toMatchObject({ granted: false, reason });
  });

  it('grants a PIN ended with # (the keypad\'s Enter key), and only that PIN', () => {
    expect(decide(holders, { kind: 'pin', value: '1234#' }, context)).toMatchObject({ granted: true, holder: { firstName: 'Gus' } });
    expect(decide(holders, { kind: 'pin', value: '1234##' }, context)).toMatchObject({ granted: false, reason: 'unknown' });
    expect(decide(holders, { kind: 'pin', value: '123#4' }, context)).toMatchObject({ granted: false, reason: 'unknown' });
  });

  it('grants inside a schedule and a PIN valid always', () => {
    expect(decide(holders, { kind: 'card', value: '0D0E0F' }, context)).toMatchObject({ granted: true, holder: { firstName: 'Finn' } });
    expect(decide(holders, { kind: 'pin', value: '1234' }, context)).toMatchObject({ granted: true, holder: { firstName: 'Gus' } });
  });
});

describe('a holder', () => {
  it('needs a card or a PIN, a PIN of 4 to 8 digits, and dates in order', () => {
    expect(holderInputSchema.safeParse({ firstName: 'X' }).error?.issues[0]).toMatchObject({ path: ['card'], message: 'a holder needs a card, a PIN or both' });
    expect(holderInputSchema.safeParse({ firstName: 'X', pin: '12' }).error?.issues[0]).toMatchObject({ path: ['pin'], message: 'expected a PIN of 4 to 8 digits' });
    // Separators alone are no card: normalised they are empty, and would match an empty credential or each other.
    expect(holderInputSchema.safeParse({ firstName: 'X', card: ' :-: ' }).error?.issues[0]).toMatchObject({ path: ['card'] });
    expect(decide([], { kind: 'card', value: '' }, context)).toMatchObject({ granted: false, reason: 'unknown' });
    const dates = holderInputSchema.safeParse({ firstName: 'X', pin: '1234', validity: { kind: 'dates', from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' } });
    expect(dates.error?.issues[0]).toMatchObject({ path: ['validity', 'to'], message: '"from" must be before "to"' });
  });
});
