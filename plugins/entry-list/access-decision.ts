import type { Holder } from './holder.js';
import { normaliseCard } from './holder.js';

export const DENIAL_REASONS = ['unknown', 'not-yet-valid', 'expired', 'uses-exhausted', 'outside-schedule'] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

export interface PresentedCredential {
  kind: 'card' | 'pin';
  value: string;
}

export type AccessDecision = { granted: true; holder: Holder } | { granted: false; reason: DenialReason; holder?: Holder };

export interface DecisionContext {
  now: number;
  /** Whether a schedule is active now; false for a schedule that does not exist (it opens nothing). */
  scheduleActive(id: string): boolean;
}

/**
 * Whether the entry list opens for a credential, and if not, why: the reason
 * an integrator sees in the access-denied event. Pure: taking a use of a
 * holder valid a number of times is the caller's durable write.
 */
export function decide(holders: readonly Holder[], credential: PresentedCredential, context: DecisionContext): AccessDecision {
  const holder = find(holders, credential);
  if (holder === undefined) return { granted: false, reason: 'unknown' };
  const validity = holder.validity;
  switch (validity.kind) {
    case 'always':
      return { granted: true, holder };
    case 'times':
      return validity.remaining > 0 ? { granted: true, holder } : { granted: false, reason: 'uses-exhausted', holder };
    case 'dates':
      if (validity.from !== undefined && context.now < Date.parse(validity.from)) return { granted: false, reason: 'not-yet-valid', holder };
      if (validity.to !== undefined && context.now >= Date.parse(validity.to)) return { granted: false, reason: 'expired', holder };
      return { granted: true, holder };
    case 'schedule':
      return context.scheduleActive(validity.schedule) ? { granted: true, holder } : { granted: false, reason: 'outside-schedule', holder };
  }
}

export function find(holders: readonly Holder[], credential: PresentedCredential): Holder | undefined {
  if (credential.kind === 'pin') {
    // The reader passes the keys as typed; a PIN confirmed with # (Enter) is the same PIN. Only one #, at the end.
    const pin = credential.value.endsWith('#') ? credential.value.slice(0, -1) : credential.value;
    return holders.find((h) => h.pin !== undefined && h.pin === pin);
  }
  const card = normaliseCard(credential.value);
  if (card === '') return undefined;
  return holders.find((h) => h.card !== undefined && normaliseCard(h.card) === card);
}
