/**
 * The non-INVITE server transaction, RFC 3261 §17.2.2 (figure 8): Trying,
 * Proceeding, Completed (Timer J: 64*T1 on UDP, 0 reliable), Terminated.
 * A retransmitted request gets the last response again.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import type { InboundMessage } from '../transport/sip-transport.js';
import { ServerTransactionBase } from './server-transaction-base.js';
import type { TransactionContext } from './transaction-context.js';
import { transactionTimeout } from './transaction-timers.js';

type Timer = 'J';

export class NonInviteServerTransaction extends ServerTransactionBase<Timer> {
  private last: SipResponse | undefined;

  constructor(id: string, inbound: InboundMessage<SipRequest>, context: TransactionContext, onTerminated: (transaction: { readonly id: string }) => void) {
    super(id, inbound, context, onTerminated, 'trying');
  }

  respond(response: SipResponse): void {
    if (this.current !== 'trying' && this.current !== 'proceeding') throw this.finalAlreadySent(response.status);
    this.last = response;
    if (response.status < 200) {
      this.current = 'proceeding';
      this.send(response);
      return;
    }
    this.current = 'completed';
    this.send(response);
    this.timerSet.start('J', this.reliable ? 0 : transactionTimeout(this.context.timers), () => this.terminate());
  }

  receiveRetransmission(_inbound: InboundMessage<SipRequest>): void {
    // In Trying there is nothing to repeat yet: the TU is still working on it.
    if ((this.current === 'proceeding' || this.current === 'completed') && this.last !== undefined) this.send(this.last);
  }
}
