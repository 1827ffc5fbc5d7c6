/**
 * The contract between the transaction layer and the Transaction User (the
 * UA core): what the TU gets from each kind of transaction, and what it is told.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { InboundMessage, SipAddress } from '../transport/sip-transport.js';

export interface ClientTransactionHandlers {
  /**
   * Every response that reaches the TU: provisional and final. For INVITE the
   * layer follows RFC 6026: a 2xx moves the transaction to Accepted, and 2xx
   * retransmissions (and 2xx from other forks) arriving during Timer M are
   * given here too, so the TU re-sends its ACK. Once the transaction is gone a
   * late 2xx goes to TransactionUser.onStrayResponse instead.
   */
  onResponse(response: SipResponse): void;
  /** Timer B/F fired (or a CANCELled INVITE got no final response within 64*T1): the TU treats it as 408. */
  onTimeout(): void;
  /** The transport could not send (SIP_TRANSPORT_ERROR) before a final response: the TU treats it as 503. */
  onTransportError(error: Error): void;
}

export type ClientTransactionState = 'calling' | 'trying' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export interface ClientTransaction {
  /** Top Via branch and method (§17.1.3). */
  readonly id: string;
  readonly request: SipRequest;
  readonly target: SipAddress;
  readonly state: ClientTransactionState;
  /**
   * For an INVITE client transaction: builds and sends CANCEL (§9.1) in its
   * own non-INVITE client transaction, once a provisional response arrived
   * (before that it is queued and sent when one arrives). Returns the CANCEL
   * transaction when it was sent now; undefined when it was queued, when a
   * final response already arrived (nothing to cancel) or for non-INVITE.
   * Calling it again returns the same CANCEL transaction.
   */
  cancel(handlers?: Partial<ClientTransactionHandlers>): ClientTransaction | undefined;
}

export type ServerTransactionState = 'trying' | 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export interface ServerTransaction {
  /** Top Via branch, sent-by and method (§17.2.3). */
  readonly id: string;
  readonly inbound: InboundMessage<SipRequest>;
  readonly state: ServerTransactionState;
  /**
   * Sends a response, retransmitted as §17.2.1/§17.2.2 say. Throws
   * SIP_TRANSACTION_STATE once a final response was sent, with one exception
   * from RFC 6026 §8.5: an INVITE transaction in Accepted passes further 2xx
   * to the transport, because retransmitting the 2xx is the TU's job.
   */
  respond(response: SipResponse): void;
  /** INVITE only: a non-2xx final response got no ACK before Timer H fired. */
  onAckTimeout(listener: () => void): void;
  /** A response could not be sent (§17.2.4): the transaction is terminated. */
  onTransportError(listener: (error: Error) => void): void;
}

export interface TransactionUser {
  /** A request that matched no server transaction (a new one is created and handed over; ACK never creates one). CANCEL goes to onCancel. */
  onRequest(transaction: ServerTransaction): void;
  /** CANCEL (§9.2): its own server transaction, and the INVITE server transaction it matches (undefined when none: the TU answers 481). */
  onCancel(cancel: ServerTransaction, invite: ServerTransaction | undefined): void;
  /** An ACK that no INVITE server transaction in Completed or Confirmed absorbed: an ACK for a 2xx, the dialog's business. */
  onAck(inbound: InboundMessage<SipRequest>): void;
  /** A response that matched no client transaction (e.g. a 2xx retransmission after Timer M). */
  onStrayResponse(inbound: InboundMessage<SipResponse>): void;
}
