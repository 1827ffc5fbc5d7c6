import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { SipAddress, SipTransportName } from '../transport/sip-transport.js';
import { Dialog } from './dialog.js';
import { createResponseTo } from './response-factory.js';
import { resolveTarget } from './target-resolver.js';
import type { UserAgentCore } from './user-agent-core.js';

export type CallEndReason = 'local-hangup' | 'remote-hangup' | 'no-ack' | 'transport-error' | 'shutdown';

export interface CallSessionEvents {
  /** The call ended; the dialog is gone. */
  ended?(reason: CallEndReason): void;
  /** SIP INFO in the dialog (RFC 6086), e.g. application/dtmf-relay. Answered 200 unless this throws. */
  info?(contentType: string, body: Uint8Array): void;
  /** A re-INVITE (hold, a new address): returns our answer to its offer, or throws to refuse it with 488. */
  reinvite?(offer: Uint8Array, contentType: string | undefined): Uint8Array;
}

/**
 * An established INVITE dialog usage, from either side: it answers what the
 * peer sends inside the dialog (BYE, INFO, re-INVITE, OPTIONS) and sends BYE
 * and INFO of its own.
 */
export class CallSession {
  private ended = false;
  private readonly handlers: CallSessionEvents = {};

  constructor(
    private readonly core: UserAgentCore,
    readonly dialog: Dialog,
    readonly transport: SipTransportName,
    private readonly contact: string,
    /** Our latest SDP, offered again when the peer refreshes the session. */
    public localSdp: Uint8Array,
  ) {}

  get active(): boolean {
    return !this.ended;
  }

  on(events: CallSessionEvents): void {
    Object.assign(this.handlers, events);
  }

  /** Ends the call with BYE; resolves once it was answered (or could not be sent). */
  async hangUp(): Promise<void> {
    if (this.ended) return;
    this.end('local-hangup');
    try {
      await this.send('BYE');
    } catch {
      // The call is over on our side whatever the peer answers.
    }
  }

  /** Sends INFO with a body (e.g. application/dtmf-relay); resolves with the final status. */
  async sendInfo(contentType: string, body: Uint8Array): Promise<number> {
    return this.send('INFO', { contentType, body });
  }

  /** Called by the UA core for a request inside this dialog. */
  handleRequest(transaction: ServerTransaction): void {
    const request = transaction.inbound.message;
    if (!this.dialog.acceptRemoteSeq(request)) {
      transaction.respond(createResponseTo(request, 500, { reason: 'CSeq Out Of Order' }));
      return;
    }
    switch (request.method) {
      case 'BYE':
        transaction.respond(createResponseTo(request, 200));
        this.end('remote-hangup');
        return;
      case 'INFO':
        return this.answerInfo(transaction, request);
      case 'INVITE':
        return this.answerReinvite(transaction, request);
      case 'OPTIONS':
        transaction.respond(this.core.optionsResponse(request));
        return;
      default:
        transaction.respond(this.core.notAllowed(request));
    }
  }

  /** The UA core lost the transport or is shutting down. */
  end(reason: CallEndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.dialog.state = 'terminated';
    this.core.forget(this);
    this.handlers.ended?.(reason);
  }

  private answerInfo(transaction: ServerTransaction, request: SipRequest): void {
    const type = request.headers.get('Content-Type')?.split(';')[0]?.trim().toLowerCase() ?? '';
    try {
      this.handlers.info?.(type, request.body);
      transaction.respond(createResponseTo(request, 200));
    } catch {
      transaction.respond(createResponseTo(request, 415));
    }
  }

  private answerReinvite(transaction: ServerTransaction, request: SipRequest): void {
    let answer = this.localSdp;
    if (request.body.length > 0 && this.handlers.reinvite !== undefined) {
      try {
        answer = this.handlers.reinvite(request.body, request.headers.get('Content-Type'));
      } catch {
        transaction.respond(createResponseTo(request, 488));
        return;
      }
    }
    this.localSdp = answer;
    this.dialog.refreshTarget(request);
    const ok = createResponseTo(request, 200, { toTag: this.dialog.id.localTag });
    ok.headers.append('Contact', this.contact);
    ok.headers.append('Content-Type', 'application/sdp');
    ok.body = answer;
    transaction.respond(ok);
  }

  private async send(method: 'BYE' | 'INFO', body?: { contentType: string; body: Uint8Array }): Promise<number> {
    const hop = this.dialog.nextHop();
    if (hop === undefined) return 0;
    const target: SipAddress = await resolveTarget(hop, this.transport);
    const local = this.core.localAddress(this.transport);
    const request = this.dialog.createRequest(method, { local });
    if (body !== undefined) {
      request.headers.append('Content-Type', body.contentType);
      request.body = body.body;
    }
    return this.core.request(request, target);
  }
}
