/**
 * A dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE sets up,
 * and what every request inside it carries — Call-ID and tags, our CSeq
 * counting up, the peer's Contact as the Request-URI, and the route set.
 */
import {
  createRequest,
  createVia,
  formatCSeq,
  formatNameAddr,
  formatUri,
  formatVia,
  generateBranch,
  getCallId,
  getContacts,
  getCSeq,
  getFrom,
  getRoutes,
  getTag,
  getTo,
  type NameAddr,
  type SipRequest,
  type SipResponse,
  type SipUri,
  type Uri,
} from '../message/index.js';
import type { SipAddress } from '../transport/sip-transport.js';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

export class Dialog {
  state: 'early' | 'confirmed' | 'terminated' = 'early';

  private constructor(
    readonly id: DialogId,
    readonly localUri: NameAddr,
    readonly remoteUri: NameAddr,
    public remoteTarget: Uri,
    /** Route set, in the order our requests carry it. */
    readonly routeSet: NameAddr[],
    public localSeq: number,
    public remoteSeq: number | undefined,
    readonly secure: boolean,
  ) {}

  /** The caller's side (§12.1.2): from our INVITE and the peer's 1xx/2xx with a To tag. */
  static asCaller(invite: SipRequest, response: SipResponse): Dialog {
    const remoteTag = getTag(getTo(response));
    if (remoteTag === undefined) throw new Error('a dialog needs a To tag in the response');
    const contacts = getContacts(response);
    const target = contacts === '*' || contacts[0] === undefined ? getTo(response).uri : contacts[0].uri;
    const from = getFrom(invite);
    return new Dialog(
      { callId: getCallId(invite), localTag: getTag(from)!, remoteTag },
      from,
      getTo(response),
      target,
      getRoutes(response, 'Record-Route').reverse(),
      getCSeq(invite).seq,
      undefined,
      invite.uri.toLowerCase().startsWith('sips:'),
    );
  }

  /** The callee's side (§12.1.1): from the peer's INVITE and the To tag we answer with. */
  static asCallee(invite: SipRequest, localTag: string): Dialog {
    const contacts = getContacts(invite);
    const from = getFrom(invite);
    const target = contacts === '*' || contacts[0] === undefined ? from.uri : contacts[0].uri;
    const to = getTo(invite);
    return new Dialog(
      { callId: getCallId(invite), localTag, remoteTag: getTag(from) ?? '' },
      { ...to, params: [...to.params.filter((p) => p.name.toLowerCase() !== 'tag'), { name: 'tag', value: localTag }] },
      from,
      target,
      getRoutes(invite, 'Record-Route'),
      0,
      getCSeq(invite).seq,
      invite.uri.toLowerCase().startsWith('sips:'),
    );
  }

  /**
   * A new request in this dialog (§12.2.1.1), with our Via and the next CSeq.
   * ACK and CANCEL reuse a CSeq number; pass it as `seq`.
   */
  createRequest(method: string, via: { local: SipAddress; branch?: string }, options: { seq?: number; contact?: string } = {}): SipRequest {
    let uri = this.remoteTarget;
    const routes = [...this.routeSet];
    const first = routes[0];
    // §12.2.1.1: a strict router (no lr) goes in the Request-URI and the target at the end of the Route set.
    if (first !== undefined && first.uri.kind === 'sip' && !first.uri.params.some((p) => p.name.toLowerCase() === 'lr')) {
      uri = first.uri;
      routes.shift();
      routes.push({ displayName: undefined, uri: this.remoteTarget, params: [] });
    }
    const seq = options.seq ?? ++this.localSeq;
    const request = createRequest(method, formatUri(uri));
    request.headers.append('Via', formatVia(createVia(via.local.transport, via.local.host, via.local.port, via.branch ?? generateBranch())));
    request.headers.append('Max-Forwards', '70');
    for (const route of routes) request.headers.append('Route', formatNameAddr(route));
    request.headers.append('From', formatNameAddr(this.localUri));
    request.headers.append('To', formatNameAddr(this.remoteUri));
    request.headers.append('Call-ID', this.id.callId);
    request.headers.append('CSeq', formatCSeq({ seq, method }));
    if (options.contact !== undefined) request.headers.append('Contact', options.contact);
    return request;
  }

  /** The first hop for requests in this dialog: the first Route, or the remote target. */
  nextHop(): SipUri | undefined {
    const uri = this.routeSet[0]?.uri ?? this.remoteTarget;
    return uri.kind === 'sip' ? uri : undefined;
  }

  /** §12.2.2: a request from the peer must count up; a lower CSeq is refused with 500. */
  acceptRemoteSeq(request: SipRequest): boolean {
    const seq = getCSeq(request).seq;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    if (request.method !== 'ACK' && request.method !== 'CANCEL') this.remoteSeq = seq;
    return true;
  }

  /** A target refresh (re-INVITE) moves the peer's Contact. */
  refreshTarget(message: SipRequest | SipResponse): void {
    const contacts = getContacts(message);
    if (contacts !== '*' && contacts[0] !== undefined) this.remoteTarget = contacts[0].uri;
  }
}

