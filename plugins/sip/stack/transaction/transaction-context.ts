/** What every transaction gets from the layer that owns it. */
import type { Clock } from 'portier/sdk';
import type { SipTransport } from '../transport/sip-transport.js';
import type { TransactionTimers } from './transaction-timers.js';

export interface TransactionContext {
  readonly transport: SipTransport;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** Where a dropped message, a throwing TU callback or a late transport failure goes: never thrown. */
  report(where: string, error: unknown): void;
}

/** Calls into the TU without letting its exceptions unwind the transaction's state machine. */
export function callSafely(context: TransactionContext, where: string, call: () => void): void {
  try {
    call();
  } catch (error) {
    context.report(where, error);
  }
}

/** A transport send as a promise, even when the transport throws synchronously. */
export function sendSafely(send: () => Promise<void>): Promise<void> {
  try {
    return send();
  } catch (error) {
    return Promise.reject(error);
  }
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
