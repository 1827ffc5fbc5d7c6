import {
  createRequest,
  createVia,
  formatCSeq,
  formatNameAddr,
  formatVia,
  generateBranch,
  generateCallId,
  generateTag,
  type NameAddr,
  type SipRequest,
} from '../message/index.js';
import type { SipAddress } from '../transport/sip-transport.js';

export interface OutOfDialogRequest {
  method: string;
  /** Request-URI. */
  uri: string;
  from: NameAddr;
  to: NameAddr;
  local: SipAddress;
  callId?: string;
  seq?: number;
  contact?: string;
  /** Route headers (an outbound proxy), first hop first. */
  routes?: readonly string[];
  userAgent?: string;
}

/** A request outside any dialog (§8.1.1): the seven mandatory headers, our Via with a fresh branch and rport. */
export function createOutOfDialogRequest(spec: OutOfDialogRequest): SipRequest {
  const request = createRequest(spec.method, spec.uri);
  request.headers.append('Via', formatVia(createVia(spec.local.transport, spec.local.host, spec.local.port, generateBranch())));
  request.headers.append('Max-Forwards', '70');
  for (const route of spec.routes ?? []) request.headers.append('Route', route);
  const from = spec.from.params.some((p) => p.name.toLowerCase() === 'tag') ? spec.from : { ...spec.from, params: [...spec.from.params, { name: 'tag', value: generateTag() }] };
  request.headers.append('From', formatNameAddr(from));
  request.headers.append('To', formatNameAddr(spec.to));
  request.headers.append('Call-ID', spec.callId ?? generateCallId(spec.local.host));
  request.headers.append('CSeq', formatCSeq({ seq: spec.seq ?? 1, method: spec.method }));
  if (spec.contact !== undefined) request.headers.append('Contact', spec.contact);
  if (spec.userAgent !== undefined) request.headers.append('User-Agent', spec.userAgent);
  return request;
}

/** A fresh top Via branch and the next CSeq, for sending the same request again (after a 401, a refresh). */
export function renewRequest(request: SipRequest, seq: number): SipRequest {
  const copy = { ...request, headers: request.headers.clone() };
  const via = copy.headers.removeFirst('Via');
  if (via !== undefined) copy.headers.prepend('Via', via.replace(/;\s*branch=[^;,\s]+/i, `;branch=${generateBranch()}`));
  copy.headers.set('CSeq', formatCSeq({ seq, method: request.method }));
  return copy;
}
