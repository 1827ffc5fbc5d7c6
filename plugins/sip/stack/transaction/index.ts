/**
 * The SIP transaction layer (RFC 3261 §17, with RFC 6026's Accepted states):
 * client and server transactions, their timers and matching, between the
 * transport and the UA core.
 */
export { SipTransactionError, type SipTransactionErrorCode } from './transaction-error.js';
export { DEFAULT_TIMERS, TIMER_D_UNRELIABLE, type TransactionTimers } from './transaction-timers.js';
export { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.js';
export { TRYING_DELAY } from './invite-server-transaction.js';
export type {
  ClientTransaction,
  ClientTransactionHandlers,
  ClientTransactionState,
  ServerTransaction,
  ServerTransactionState,
  TransactionUser,
} from './transaction-user.js';
