import type { Clock } from 'portier/sdk';
import { formatNameAddr, getCallId, getCSeq, getFrom, getTag, getTo, type SipRequest, type SipResponse } from '../message/index.js';
import {
  DEFAULT_TIMERS,
  TransactionLayer,
  type ServerTransaction,
  type TransactionTimers,
  type TransactionUser,
} from '../transaction/index.js';
import type { InboundMessage, SipAddress, SipTransport, SipTransportName } from '../transport/sip-transport.js';
import type { CallSession } from './call-session.js';
import { dialogKey } from './dialog.js';
import { IncomingInvite } from './incoming-invite.js';
import type { OutgoingInvite } from './outgoing-invite.js';
import { createResponseTo } from './response-factory.js';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO';
/** Methods we know but do not take (405 with Allow); anything else is 501 (§8.2.1). */
const KNOWN_METHODS = new Set(['REGISTER', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'PRACK', 'UPDATE', 'REFER', 'PUBLISH']);

export interface UserAgentCoreOptions {
  transport: SipTransport;
  clock: Clock;
  /** User-Agent header. */
  userAgent: string;
  /** User part of our Contact (the peer-to-peer account has none). */
  contactUser?: string;
  timers?: Partial<TransactionTimers>;
  /** A new INVITE outside any dialog; the callee decides (ringing, accept, reject). */
  onIncomingInvite(invite: IncomingInvite): void;
  onError?(where: string, error: unknown): void;
}

/**
 * The UA core (RFC 3261 §8, §12-15) over the transaction layer: it answers
 * OPTIONS, routes requests inside a dialog to their call, hands new INVITEs
 * to the callee, answers CANCEL, and refuses the rest with the right code.
 */
export class UserAgentCore implements TransactionUser {
  readonly transactions: TransactionLayer;
  readonly allow = ALLOW;
  readonly timers: TransactionTimers;
  private readonly sessions = new Map<string, CallSession>();
  private readonly incoming = new Map<string, IncomingInvite>();
  /** Our answered or pending INVITEs by Call-ID, to ACK a 2xx retransmission. */
  private readonly outgoing = new Map<string, OutgoingInvite>();

  constructor(private readonly options: UserAgentCoreOptions) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.transactions = new TransactionLayer(options.transport, options.clock, this, {
      timers: this.timers,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  get userAgent(): string {
    return this.options.userAgent;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  localAddress(transport: SipTransportName): SipAddress {
    const address = this.options.transport.localAddress(transport);
    if (address === undefined) throw Object.assign(new Error(`SIP over ${transport} is not enabled`), { code: 'SIP_TRANSPORT_UNAVAILABLE' });
    return address;
  }

  /** Our Contact on a transport: where the peer sends requests inside the dialog. */
  contactFor(transport: SipTransportName, user = this.options.contactUser): string {
    const { host, port } = this.localAddress(transport);
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const scheme = transport === 'TLS' ? 'sips' : 'sip';
    const params = transport === 'UDP' ? '' : `;transport=${transport.toLowerCase()}`;
    return formatNameAddr({ displayName: undefined, uri: { kind: 'sip', scheme, user, password: undefined, host: hostPart, port, params: params === '' ? [] : [{ name: 'transport', value: transport.toLowerCase() }], headers: [] }, params: [] });
  }

  /** Sends a request in its own client transaction; resolves with the final status (408 on timeout, 503 when it cannot be sent). */
  async request(request: SipRequest, target: SipAddress): Promise<number> {
    return (await this.requestWithResponse(request, target))?.status ?? 408;
  }

  /** Like request(), with the final response; undefined on timeout or transport failure. */
  requestWithResponse(request: SipRequest, target: SipAddress): Promise<SipResponse | undefined> {
    return new Promise((resolve) => {
      this.transactions.sendRequest(request, target, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response);
        },
        onTimeout: () => resolve(undefined),
        onTransportError: () => resolve(undefined),
      });
    });
  }

  sendStateless(request: SipRequest, target: SipAddress): Promise<void> {
    return this.transactions.sendStateless(request, target).catch((error: unknown) => this.options.onError?.('send', error));
  }

  /** Sends a response again outside its transaction (a 2xx until its ACK arrives). */
  resend(response: SipResponse, inbound: InboundMessage<SipRequest>): void {
    this.options.transport.sendResponse(response, inbound).catch((error: unknown) => this.options.onError?.('resend', error));
  }

  remember(session: CallSession, invite: IncomingInvite | OutgoingInvite): void {
    this.sessions.set(dialogKey(session.dialog.id), session);
    if (invite instanceof IncomingInvite) this.incoming.set(dialogKey(session.dialog.id), invite);
    else this.outgoing.set(session.dialog.id.callId, invite);
  }

  forget(session: CallSession): void {
    const key = dialogKey(session.dialog.id);
    this.sessions.delete(key);
    this.incoming.get(key)?.stopRetransmitting();
    this.incoming.delete(key);
    this.outgoing.delete(session.dialog.id.callId);
  }

  trackInvite(invite: OutgoingInvite): void {
    this.outgoing.set(invite.callId, invite);
  }

  forgetInvite(invite: OutgoingInvite): void {
    if (this.outgoing.get(invite.callId) === invite) this.outgoing.delete(invite.callId);
  }

  optionsResponse(request: SipRequest): SipResponse {
    const response = createResponseTo(request, 200);
    response.headers.append('Allow', ALLOW);
    response.headers.append('Accept', 'application/sdp, application/dtmf-relay, application/dtmf');
    response.headers.append('User-Agent', this.options.userAgent);
    return response;
  }

  notAllowed(request: SipRequest): SipResponse {
    const known = KNOWN_METHODS.has(request.method) || ALLOW.includes(request.method);
    const response = createResponseTo(request, known ? 405 : 501);
    response.headers.append('Allow', ALLOW);
    return response;
  }

  /** Ends every call (BYE) and stops every transaction. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.hangUp()));
    this.transactions.close();
  }

  // ---- TransactionUser ---------------------------------------------------

  onRequest(transaction: ServerTransaction): void {
    const request = transaction.inbound.message;
    try {
      this.route(transaction, request);
    } catch (error) {
      this.options.onError?.(`answering ${request.method}`, error);
      try {
        transaction.respond(createResponseTo(request, 500));
      } catch {
        // Already answered.
      }
    }
  }

  onCancel(cancel: ServerTransaction, invite: ServerTransaction | undefined): void {
    const request = cancel.inbound.message;
    const pending = invite === undefined ? undefined : [...this.pendingIncoming].find((i) => i.transaction === invite && (i.state === 'offered' || i.state === 'ringing'));
    if (pending === undefined) {
      cancel.respond(createResponseTo(request, 481));
      return;
    }
    cancel.respond(createResponseTo(request, 200));
    pending.cancelled();
    this.pendingIncoming.delete(pending);
  }

  onAck(inbound: InboundMessage<SipRequest>): void {
    const key = this.keyOf(inbound.message);
    this.incoming.get(key)?.acknowledged();
  }

  onStrayResponse(inbound: InboundMessage<SipResponse>): void {
    const response = inbound.message;
    if (response.status >= 200 && response.status < 300 && getCSeq(response).method === 'INVITE') {
      this.outgoing.get(getCallId(response))?.retransmittedOk();
    }
  }

  private readonly pendingIncoming = new Set<IncomingInvite>();

  private route(transaction: ServerTransaction, request: SipRequest): void {
    const require = request.headers.get('Require');
    if (require !== undefined && require.trim() !== '' && request.method !== 'ACK') {
      const response = createResponseTo(request, 420);
      response.headers.append('Unsupported', require);
      transaction.respond(response);
      return;
    }
    if (request.method === 'OPTIONS' && getTag(getTo(request)) === undefined) {
      transaction.respond(this.optionsResponse(request));
      return;
    }
    if (getTag(getTo(request)) !== undefined) {
      const session = this.sessions.get(this.keyOf(request));
      if (session === undefined) transaction.respond(createResponseTo(request, 481));
      else session.handleRequest(transaction);
      return;
    }
    if (request.method === 'INVITE') {
      // Only invites still ringing can be cancelled; the settled ones go as new ones come.
      for (const earlier of this.pendingIncoming) if (earlier.state !== 'offered' && earlier.state !== 'ringing') this.pendingIncoming.delete(earlier);
      const invite = new IncomingInvite(this, transaction, this.options.clock, this.timers);
      this.pendingIncoming.add(invite);
      this.options.onIncomingInvite(invite);
      return;
    }
    if (request.method === 'BYE' || request.method === 'INFO') {
      transaction.respond(createResponseTo(request, 481));
      return;
    }
    transaction.respond(this.notAllowed(request));
  }

  /** The dialog a request from the peer belongs to: our tag is in To, theirs in From. */
  private keyOf(request: SipRequest): string {
    return dialogKey({ callId: getCallId(request), localTag: getTag(getTo(request)) ?? '', remoteTag: getTag(getFrom(request)) ?? '' });
  }
}
