/**
 * The INVITE client transaction, RFC 3261 §17.1.1 (figure 5) as amended by
 * RFC 6026 §8.4: a 2xx moves it to Accepted, where further 2xx (retransmissions,
 * other forks) still reach the TU until Timer M, so the TU can ACK each one.
 *
 * Timers: A (retransmit on UDP, doubling from T1, no cap), B (64*T1, Calling
 * only), D (32 s on UDP, 0 reliable), M (64*T1). A CANCELled INVITE that gets
 * no final response within 64*T1 of the CANCEL times out (§9.1).
 */
import type { SipAddress } from '../transport/sip-transport.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { ClientTransactionBase } from './client-transaction-base.js';
import { ackForFailure, cancelFor } from './hop-requests.js';
import type { TransactionContext } from './transaction-context.js';
import { TIMER_D_UNRELIABLE, transactionTimeout } from './transaction-timers.js';
import type { ClientTransaction, ClientTransactionHandlers } from './transaction-user.js';

type Timer = 'A' | 'B' | 'D' | 'M' | 'cancel-expiry';

/** How the transaction starts its CANCEL: through the layer, so it is matched like any other. */
export type StartCancel = (cancel: SipRequest, target: SipAddress, handlers: ClientTransactionHandlers) => ClientTransaction;

const IGNORE: ClientTransactionHandlers = { onResponse() {}, onTimeout() {}, onTransportError() {} };

export class InviteClientTransaction extends ClientTransactionBase<Timer> {
  private ack: SipRequest | undefined;
  private queuedCancel: ClientTransactionHandlers | undefined;
  private cancelTransaction: ClientTransaction | undefined;

  constructor(
    id: string,
    request: SipRequest,
    target: SipAddress,
    context: TransactionContext,
    handlers: ClientTransactionHandlers,
    onTerminated: (transaction: { readonly id: string }) => void,
    private readonly startCancel: StartCancel,
  ) {
    super(id, request, target, context, handlers, onTerminated, 'calling');
  }

  start(): void {
    this.send(this.request);
    if (!this.reliable) this.scheduleA(this.context.timers.t1);
    this.timerSet.start('B', transactionTimeout(this.context.timers), () => this.timeout());
  }

  receive(response: SipResponse): void {
    const status = response.status;
    switch (this.current) {
      case 'calling':
      case 'proceeding':
        if (status < 200) this.provisional(response);
        else if (status < 300) this.accepted(response);
        else this.failed(response);
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.deliver(response);
        return;
      case 'completed':
        // A retransmitted final response: our ACK was lost. The TU already has it.
        if (status >= 300 && this.ack !== undefined) this.send(this.ack);
        return;
      default:
        return;
    }
  }

  override cancel(handlers: Partial<ClientTransactionHandlers> = {}): ClientTransaction | undefined {
    if (this.cancelTransaction !== undefined) return this.cancelTransaction;
    const complete: ClientTransactionHandlers = { ...IGNORE, ...handlers };
    if (this.current === 'calling') {
      // §9.1: a CANCEL before any provisional could overtake the INVITE; wait for one.
      this.queuedCancel ??= complete;
      return undefined;
    }
    if (this.current !== 'proceeding') return undefined; // a final response came: nothing to cancel
    return this.sendCancel(complete);
  }

  private provisional(response: SipResponse): void {
    if (this.current === 'calling') {
      this.current = 'proceeding';
      this.timerSet.stop('A');
      this.timerSet.stop('B');
    }
    this.deliver(response);
    const queued = this.queuedCancel;
    if (queued !== undefined && this.current === 'proceeding' && this.cancelTransaction === undefined) {
      this.queuedCancel = undefined;
      try {
        this.sendCancel(queued);
      } catch (error) {
        this.context.report(`${this.id}: queued CANCEL`, error);
      }
    }
  }

  private accepted(response: SipResponse): void {
    this.current = 'accepted';
    this.endRequestPhase();
    this.timerSet.start('M', transactionTimeout(this.context.timers), () => this.terminate());
    this.deliver(response);
  }

  private failed(response: SipResponse): void {
    this.current = 'completed';
    this.endRequestPhase();
    this.ack = ackForFailure(this.request, response);
    this.send(this.ack);
    this.deliver(response);
    if (this.current === 'completed') this.timerSet.start('D', this.reliable ? 0 : TIMER_D_UNRELIABLE, () => this.terminate());
  }

  private endRequestPhase(): void {
    this.queuedCancel = undefined;
    for (const timer of ['A', 'B', 'cancel-expiry'] as const) this.timerSet.stop(timer);
  }

  private sendCancel(handlers: ClientTransactionHandlers): ClientTransaction {
    const cancel = this.startCancel(cancelFor(this.request), this.target, handlers);
    this.cancelTransaction = cancel;
    this.timerSet.start('cancel-expiry', transactionTimeout(this.context.timers), () => {
      if (this.current === 'proceeding') this.timeout();
    });
    return cancel;
  }

  private scheduleA(interval: number): void {
    this.timerSet.start('A', interval, () => {
      if (this.current !== 'calling') return;
      this.send(this.request);
      this.scheduleA(2 * interval);
    });
  }
}
