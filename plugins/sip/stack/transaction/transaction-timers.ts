/**
 * RFC 3261 §17 timer values. Only T1, T2 and T4 are tunable (§17.1.1.1: T1
 * may be raised on high-latency networks); every other timer derives from them.
 */
import { SipTransactionError } from './transaction-error.js';

export interface TransactionTimers {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  t2: number;
  /** Longest time a message stays in the network, default 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: TransactionTimers = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });

/**
 * Timer D is "at least 32 s" for unreliable transports (§17.1.1.2), not a
 * multiple of T1: it covers the peer's response retransmissions, whose
 * schedule we do not control.
 */
export const TIMER_D_UNRELIABLE = 32_000;

export function resolveTimers(overrides: Partial<TransactionTimers> = {}): TransactionTimers {
  const timers = { ...DEFAULT_TIMERS, ...overrides };
  for (const name of ['t1', 't2', 't4'] as const) {
    const value = timers[name];
    if (!Number.isFinite(value) || value <= 0) {
      throw new SipTransactionError('SIP_TRANSACTION_BAD_TIMERS', `SIP timer ${name.toUpperCase()} must be a positive number of milliseconds, got ${String(value)}.`);
    }
  }
  return timers;
}

/** Timeout of a whole transaction (Timers B, F, H, J on UDP, L, M). */
export function transactionTimeout(timers: TransactionTimers): number {
  return 64 * timers.t1;
}
