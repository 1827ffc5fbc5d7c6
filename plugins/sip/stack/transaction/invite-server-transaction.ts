/**
 * The INVITE server transaction, RFC 3261 §17.2.1 (figure 7) as amended by
 * RFC 6026 §8.5–8.7:
 * - Proceeding: a 100 Trying goes out if the TU has not answered within
 *   200 ms; retransmitted INVITEs get the last provisional again.
 * - 2xx → Accepted for Timer L (64*T1): retransmitted INVITEs are absorbed,
 *   ACKs go to the TU, and 2xx the TU retransmits are passed on.
 * - 300–699 → Completed: Timer G retransmits on UDP (T1 doubling, capped at
 *   T2), Timer H (64*T1) gives up waiting for the ACK; an ACK → Confirmed,
 *   absorbing ACK retransmissions for Timer I (T4 on UDP, 0 reliable).
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { InboundMessage } from '../transport/sip-transport.js';
import { responseFor } from './response-for.js';
import { ServerTransactionBase } from './server-transaction-base.js';
import { callSafely, type TransactionContext } from './transaction-context.js';
import { transactionTimeout } from './transaction-timers.js';

type Timer = 'trying' | 'G' | 'H' | 'I' | 'L';

/** §17.2.1: the TU gets this long to answer before the transaction sends 100 Trying itself. */
export const TRYING_DELAY = 200;

export class InviteServerTransaction extends ServerTransactionBase<Timer> {
  private lastProvisional: SipResponse | undefined;
  private final: SipResponse | undefined;
  private readonly ackTimeoutListeners: (() => void)[] = [];

  constructor(id: string, inbound: InboundMessage<SipRequest>, context: TransactionContext, onTerminated: (transaction: { readonly id: string }) => void) {
    super(id, inbound, context, onTerminated, 'proceeding');
    this.timerSet.start('trying', TRYING_DELAY, () => {
      if (this.current === 'proceeding' && this.lastProvisional === undefined) this.provisional(responseFor(inbound.message, 100, 'Trying'));
    });
  }

  respond(response: SipResponse): void {
    const status = response.status;
    if (this.current === 'accepted' && status >= 200 && status < 300) {
      this.send(response);
      return;
    }
    if (this.current !== 'proceeding') throw this.finalAlreadySent(status);
    this.timerSet.stop('trying');
    if (status < 200) this.provisional(response);
    else if (status < 300) this.accept(response);
    else this.reject(response);
  }

  override onAckTimeout(listener: () => void): void {
    this.ackTimeoutListeners.push(listener);
  }

  receiveRetransmission(_inbound: InboundMessage<SipRequest>): void {
    if (this.current === 'proceeding' && this.lastProvisional !== undefined) this.send(this.lastProvisional);
    else if (this.current === 'completed' && this.final !== undefined) this.send(this.final);
    // Accepted and Confirmed absorb it: the 2xx is the TU's to retransmit, the ACK already came.
  }

  /** True when this transaction absorbs the ACK (it acknowledges our non-2xx); false when it is the TU's. */
  receiveAck(_inbound: InboundMessage<SipRequest>): boolean {
    if (this.current === 'confirmed') return true;
    if (this.current !== 'completed') return false;
    this.current = 'confirmed';
    this.timerSet.stop('G');
    this.timerSet.stop('H');
    this.timerSet.start('I', this.reliable ? 0 : this.context.timers.t4, () => this.terminate());
    return true;
  }

  private provisional(response: SipResponse): void {
    this.lastProvisional = response;
    this.send(response);
  }

  private accept(response: SipResponse): void {
    this.current = 'accepted';
    this.send(response);
    this.timerSet.start('L', transactionTimeout(this.context.timers), () => this.terminate());
  }

  private reject(response: SipResponse): void {
    this.current = 'completed';
    this.final = response;
    this.send(response);
    if (!this.reliable) this.scheduleG(this.context.timers.t1);
    this.timerSet.start('H', transactionTimeout(this.context.timers), () => this.ackTimedOut());
  }

  private scheduleG(interval: number): void {
    this.timerSet.start('G', interval, () => {
      if (this.current !== 'completed' || this.final === undefined) return;
      this.send(this.final);
      this.scheduleG(Math.min(2 * interval, this.context.timers.t2));
    });
  }

  private ackTimedOut(): void {
    if (this.current !== 'completed') return;
    this.terminate();
    for (const listener of this.ackTimeoutListeners) callSafely(this.context, `${this.id}: onAckTimeout`, listener);
  }
}
