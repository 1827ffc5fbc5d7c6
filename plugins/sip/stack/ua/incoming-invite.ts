import type { Clock, TimerHandle } from 'portier/sdk';
import { generateTag, type SipRequest } from '../message/index.js';
import type { ServerTransaction, TransactionTimers } from '../transaction/index.js';
import { CallSession } from './call-session.js';
import { Dialog } from './dialog.js';
import { createResponseTo } from './response-factory.js';
import type { UserAgentCore } from './user-agent-core.js';

export type IncomingInviteState = 'offered' | 'ringing' | 'answered' | 'rejected' | 'cancelled';

/**
 * An INVITE someone sent us, until it is answered, refused or cancelled. The
 * 2xx that answers it is sent again (T1 doubling to T2) until the ACK comes,
 * and a call whose ACK never comes is ended with BYE (RFC 3261 §13.3.1.4).
 */
export class IncomingInvite {
  state: IncomingInviteState = 'offered';
  readonly localTag = generateTag();
  private cancelledListener: (() => void) | undefined;
  private retransmit: TimerHandle | undefined;
  private giveUp: TimerHandle | undefined;
  private session: CallSession | undefined;

  constructor(
    private readonly core: UserAgentCore,
    readonly transaction: ServerTransaction,
    private readonly clock: Clock,
    private readonly timers: TransactionTimers,
  ) {}

  get request(): SipRequest {
    return this.transaction.inbound.message;
  }

  /** Where the INVITE came from (to tell the user, and to check it against what is allowed). */
  get source(): string {
    return `${this.transaction.inbound.source.host}:${this.transaction.inbound.source.port}`;
  }

  onCancelled(listener: () => void): void {
    this.cancelledListener = listener;
  }

  ringing(): void {
    if (this.state !== 'offered') return;
    this.state = 'ringing';
    const response = createResponseTo(this.request, 180, { toTag: this.localTag });
    response.headers.append('Contact', this.core.contactFor(this.transaction.inbound.local.transport));
    this.transaction.respond(response);
  }

  /** Answers 200 with our SDP; the session is live at once, and ends with BYE if no ACK ever comes. */
  accept(sdp: Uint8Array): CallSession {
    if (this.state !== 'offered' && this.state !== 'ringing') throw new Error(`cannot answer an INVITE that is ${this.state}`);
    this.state = 'answered';
    const transport = this.transaction.inbound.local.transport;
    const contact = this.core.contactFor(transport);
    const ok = createResponseTo(this.request, 200, { toTag: this.localTag });
    ok.headers.append('Contact', contact);
    ok.headers.append('Allow', this.core.allow);
    ok.headers.append('Content-Type', 'application/sdp');
    ok.body = sdp;
    const dialog = Dialog.asCallee(this.request, this.localTag);
    dialog.state = 'confirmed';
    const session = new CallSession(this.core, dialog, transport, contact, sdp);
    this.session = session;
    this.core.remember(session, this);
    this.transaction.respond(ok);
    if (transport === 'UDP') this.scheduleRetransmit(() => this.core.resend(ok, this.transaction.inbound), this.timers.t1);
    this.giveUp = this.clock.setTimeout(() => {
      this.stopRetransmitting();
      if (session.active) void session.hangUp().then(() => session.end('no-ack'));
    }, 64 * this.timers.t1);
    return session;
  }

  reject(status: number, reason?: string): void {
    if (this.state !== 'offered' && this.state !== 'ringing') return;
    this.state = 'rejected';
    this.transaction.respond(createResponseTo(this.request, status, { toTag: this.localTag, ...(reason === undefined ? {} : { reason }) }));
  }

  /** The caller sent CANCEL before we answered: 487 to the INVITE. */
  cancelled(): void {
    if (this.state !== 'offered' && this.state !== 'ringing') return;
    this.state = 'cancelled';
    this.transaction.respond(createResponseTo(this.request, 487, { toTag: this.localTag }));
    this.cancelledListener?.();
  }

  /** The ACK to our 2xx arrived. */
  acknowledged(): void {
    this.stopRetransmitting();
    if (this.giveUp !== undefined) this.clock.clearTimeout(this.giveUp);
    this.giveUp = undefined;
  }

  stopRetransmitting(): void {
    if (this.retransmit !== undefined) this.clock.clearTimeout(this.retransmit);
    this.retransmit = undefined;
  }

  private scheduleRetransmit(send: () => void, interval: number): void {
    this.retransmit = this.clock.setTimeout(() => {
      if (this.session?.active !== true) return;
      try {
        send();
      } catch {
        return;
      }
      this.scheduleRetransmit(send, Math.min(interval * 2, this.timers.t2));
    }, interval);
  }
}
