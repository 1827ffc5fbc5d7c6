/**
 * The non-INVITE client transaction, RFC 3261 §17.1.2 (figure 6): Trying,
 * Proceeding, Completed, Terminated, with Timers E, F and K.
 */
import type { SipResponse } from '../message/index.js';
import { ClientTransactionBase } from './client-transaction-base.js';
import { transactionTimeout } from './transaction-timers.js';

type Timer = 'E' | 'F' | 'K';

export class NonInviteClientTransaction extends ClientTransactionBase<Timer> {
  start(): void {
    this.send(this.request);
    if (!this.reliable) this.scheduleE(this.context.timers.t1);
    this.timerSet.start('F', transactionTimeout(this.context.timers), () => this.timeout());
  }

  receive(response: SipResponse): void {
    if (this.current !== 'trying' && this.current !== 'proceeding') return; // Completed absorbs retransmissions
    if (response.status < 200) {
      this.current = 'proceeding';
      this.deliver(response);
      return;
    }
    this.current = 'completed';
    this.timerSet.stop('E');
    this.timerSet.stop('F');
    this.deliver(response);
    if (this.current === 'completed') {
      this.timerSet.start('K', this.reliable ? 0 : this.context.timers.t4, () => this.terminate());
    }
  }

  /** Doubling from T1 up to T2 while Trying; T2 flat once Proceeding (§17.1.2.2). */
  private scheduleE(interval: number): void {
    this.timerSet.start('E', interval, () => {
      if (this.current !== 'trying' && this.current !== 'proceeding') return;
      this.send(this.request);
      const t2 = this.context.timers.t2;
      this.scheduleE(this.current === 'proceeding' ? t2 : Math.min(2 * interval, t2));
    });
  }
}
