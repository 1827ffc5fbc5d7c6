/**
 * Ring patterns as strikes. A relay cannot play notes: each strike closes the
 * potential-free contact for a while, as a finger on the bell push would, and
 * the chime plays its own sound (a "ding" on closing, on a ding-dong chime a
 * "dong" on opening). A pattern is the rhythm of those strikes.
 */

/** The patterns a ring can name; `custom` takes its own strikes. */
export const PATTERNS = ['single', 'double', 'triple', 'westminster', 'custom'] as const;
export type PatternName = (typeof PATTERNS)[number];

/** The patterns made from the settings' pulse and gap (a default pattern is one of these). */
export const NAMED_PATTERNS = ['single', 'double', 'triple', 'westminster'] as const;
export type NamedPattern = (typeof NAMED_PATTERNS)[number];

/** One strike: the contact closed for `closedMs`, then open for `openMs` before the next strike. */
export interface Strike {
  closedMs: number;
  openMs: number;
}

export interface StrikeTiming {
  /** Contact closed per strike. */
  pulseMs: number;
  /** Contact open between strikes. */
  gapMs: number;
}

/** The strikes of a named pattern, with the settings' timing. */
export function strikesOf(pattern: NamedPattern, { pulseMs, gapMs }: StrikeTiming): Strike[] {
  const strike = (closed = 1, open = 1): Strike => ({ closedMs: pulseMs * closed, openMs: gapMs * open });
  switch (pattern) {
    case 'single':
      return [strike()];
    case 'double':
      return [strike(), strike()];
    case 'triple':
      return [strike(), strike(), strike()];
    case 'westminster':
      // The rhythm of a Westminster quarter's phrase: three even strikes, a breath, a long fourth.
      return [strike(), strike(), strike(1, 2), strike(2)];
  }
}

/** Strikes written out in a ring's `pulses`; a pulse without `openMs` gets the settings' gap. */
export function customStrikes(pulses: readonly { closedMs: number; openMs?: number | undefined }[], { gapMs }: StrikeTiming): Strike[] {
  return pulses.map((p) => ({ closedMs: p.closedMs, openMs: p.openMs ?? gapMs }));
}

/** How long one play of a pattern lasts: from the first close to the last open (the last gap is not waited for). */
export function playLength(strikes: readonly Strike[]): number {
  return strikes.reduce((sum, s, i) => sum + s.closedMs + (i === strikes.length - 1 ? 0 : s.openMs), 0);
}
