import type { AuthorizationHeader } from '../auth/index.js';
import { DigestClient } from '../auth/index.js';
import { getCSeq, getTag, getTo, type NameAddr, type SipRequest, type SipResponse } from '../message/index.js';
import type { ClientTransaction } from '../transaction/index.js';
import type { SipAddress } from '../transport/sip-transport.js';
import { CallSession } from './call-session.js';
import { Dialog } from './dialog.js';
import { createOutOfDialogRequest, renewRequest } from './request-factory.js';
import type { UserAgentCore } from './user-agent-core.js';

export interface OutgoingInviteOptions {
  /** Request-URI: whom we call. */
  uri: string;
  from: NameAddr;
  to: NameAddr;
  target: SipAddress;
  sdp: Uint8Array;
  /** Answers a 401/407 (a PBX account). */
  credentials?: { username: string; password: string; realm?: string };
  routes?: readonly string[];
  /** User part of our Contact (a registered account's user ID). */
  contactUser?: string;
}

export type InviteOutcome =
  | { kind: 'answered'; session: CallSession; response: SipResponse }
  /** A final non-2xx (busy 486, decline 603, …), a timeout (408) or the transport failing (503). */
  | { kind: 'failed'; status: number; reason: string; response?: SipResponse }
  /** `status` is the callee's 487; none when the call was dropped before the callee said anything. */
  | { kind: 'cancelled'; status?: number };

export interface OutgoingInviteEvents {
  provisional?(response: SipResponse): void;
}

/**
 * An INVITE we send, until it is answered, refused, or cancelled: answers a
 * digest challenge once per nonce, ACKs the 2xx (again for each 2xx
 * retransmission), and hangs up a 2xx that arrives after we cancelled.
 */
export class OutgoingInvite {
  private transaction: ClientTransaction | undefined;
  private request: SipRequest;
  private readonly digest: DigestClient | undefined;
  private cancelRequested = false;
  private settled = false;
  private heardBack = false;
  private authAttempts = 0;
  private ack: SipRequest | undefined;
  private resolve!: (outcome: InviteOutcome) => void;
  readonly outcome: Promise<InviteOutcome>;

  constructor(
    private readonly core: UserAgentCore,
    private readonly options: OutgoingInviteOptions,
    private readonly events: OutgoingInviteEvents = {},
  ) {
    const transport = options.target.transport;
    this.request = createOutOfDialogRequest({
      method: 'INVITE',
      uri: options.uri,
      from: options.from,
      to: options.to,
      local: core.localAddress(transport),
      contact: core.contactFor(transport, options.contactUser),
      userAgent: core.userAgent,
      ...(options.routes === undefined ? {} : { routes: options.routes }),
    });
    this.request.headers.append('Allow', core.allow);
    this.request.headers.append('Content-Type', 'application/sdp');
    this.request.body = options.sdp;
    this.digest = options.credentials === undefined ? undefined : new DigestClient(options.credentials);
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
  }

  get callId(): string {
    return this.request.headers.get('Call-ID') ?? '';
  }

  get fromTag(): string | undefined {
    return /;\s*tag=([^;\s]+)/i.exec(this.request.headers.get('From') ?? '')?.[1];
  }

  start(): this {
    this.core.trackInvite(this);
    this.send();
    return this;
  }

  /**
   * CANCEL (§9.1): sent once the callee has answered provisionally; the
   * outcome is then 'cancelled' (or 'answered' if its 2xx crossed our
   * CANCEL, which is then hung up). Before anything came back, the CANCEL
   * waits in the transaction for a provisional, but the call is over for
   * us at once: a silent callee would otherwise hold it until Timer B.
   */
  cancel(): void {
    if (this.settled || this.cancelRequested) return;
    this.cancelRequested = true;
    this.transaction?.cancel();
    if (!this.heardBack) this.settle({ kind: 'cancelled' });
  }

  /** A 2xx retransmission that outlived the transaction (§13.2.2.4): ACK it again. */
  retransmittedOk(): void {
    if (this.ack !== undefined) void this.core.sendStateless(this.ack, this.options.target);
  }

  private send(): void {
    // A new transaction (after a digest challenge) has heard nothing yet.
    this.heardBack = false;
    this.transaction = this.core.transactions.sendRequest(this.request, this.options.target, {
      onResponse: (response) => this.response(response),
      onTimeout: () => this.settle({ kind: 'failed', status: 408, reason: 'No answer from the callee (Timer B)' }),
      onTransportError: (error) => this.settle({ kind: 'failed', status: 503, reason: `Could not send the INVITE: ${error.message}` }),
    });
    if (this.cancelRequested) this.transaction.cancel();
  }

  private response(response: SipResponse): void {
    this.heardBack = true;
    if (response.status < 200) {
      if (!this.settled) this.events.provisional?.(response);
      return;
    }
    if (response.status < 300) return this.answered(response);
    if ((response.status === 401 || response.status === 407) && this.retryWithCredentials(response)) return;
    if (response.status === 487 && this.cancelRequested) return this.settle({ kind: 'cancelled', status: 487 });
    this.settle({ kind: 'failed', status: response.status, reason: response.reason, response });
  }

  private answered(response: SipResponse): void {
    if (this.ack !== undefined) return this.retransmittedOk();
    if (getTag(getTo(response)) === undefined) return;
    const dialog = Dialog.asCaller(this.request, response);
    dialog.state = 'confirmed';
    const transport = this.options.target.transport;
    this.ack = dialog.createRequest('ACK', { local: this.core.localAddress(transport) }, { seq: getCSeq(this.request).seq });
    const proxyAuth = this.request.headers.get('Proxy-Authorization');
    if (proxyAuth !== undefined) this.ack.headers.append('Proxy-Authorization', proxyAuth);
    void this.core.sendStateless(this.ack, this.options.target);
    const session = new CallSession(this.core, dialog, transport, this.core.contactFor(transport, this.options.contactUser), this.options.sdp);
    this.core.remember(session, this);
    if (this.cancelRequested || this.settled) {
      void session.hangUp();
      if (!this.settled) this.settle({ kind: 'cancelled' });
      return;
    }
    this.settle({ kind: 'answered', session, response });
  }

  private retryWithCredentials(response: SipResponse): boolean {
    if (this.digest === undefined || this.cancelRequested || this.authAttempts >= 2) return false;
    let header: AuthorizationHeader;
    try {
      header = this.digest.authorizeResponse(response, { method: 'INVITE', uri: this.request.uri, body: this.request.body });
    } catch {
      return false;
    }
    this.authAttempts++;
    this.request = renewRequest(this.request, getCSeq(this.request).seq + 1);
    this.request.headers.set(header.name, header.value);
    this.send();
    return true;
  }

  private settle(outcome: InviteOutcome): void {
    if (this.settled) return;
    this.settled = true;
    // An answered INVITE stays known while its call lasts, to ACK 2xx retransmissions.
    if (outcome.kind !== 'answered') this.core.forgetInvite(this);
    this.resolve(outcome);
  }
}
