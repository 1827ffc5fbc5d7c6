/**
 * Errors the transaction layer throws at the code that drives it (the UA
 * core). Inbound messages never make it throw: those are dropped and reported.
 */
import { PortierError } from 'portier/sdk';

export type SipTransactionErrorCode =
  /** respond() after a final response, or on a terminated transaction. */
  | 'SIP_TRANSACTION_STATE'
  /** sendRequest() got a request the layer cannot run a transaction for (no RFC 3261 branch, an ACK, CSeq method mismatch). */
  | 'SIP_TRANSACTION_BAD_REQUEST'
  /** sendRequest() with a branch and method that already has a live client transaction. */
  | 'SIP_TRANSACTION_EXISTS'
  /** T1, T2 or T4 is not a positive number of milliseconds. */
  | 'SIP_TRANSACTION_BAD_TIMERS'
  /** The layer was closed. */
  | 'SIP_TRANSACTION_CLOSED'
  /** An inbound message was dropped because it cannot be matched (reported through onError, never thrown). */
  | 'SIP_TRANSACTION_UNMATCHABLE';

export class SipTransactionError extends PortierError {
  declare readonly code: SipTransactionErrorCode;

  constructor(code: SipTransactionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, [], options);
    this.name = 'SipTransactionError';
  }
}
