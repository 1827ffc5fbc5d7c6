/** Requests and responses for transaction tests, built with the message layer's own constructors. */
import {
  createRequest,
  createResponse,
  createVia,
  formatVia,
  generateBranch,
  type SipHeaderField,
  type SipRequest,
  type SipResponse,
} from '../../message/index.js';
import type { SipAddress, SipTransportName } from '../../transport/sip-transport.js';

export const LOCAL: SipAddress = { transport: 'UDP', host: '192.0.2.1', port: 5060 };
export const PEER: SipAddress = { transport: 'UDP', host: '198.51.100.7', port: 5060 };

export function peer(transport: SipTransportName): SipAddress {
  return { ...PEER, transport };
}

export interface RequestOptions {
  transport?: SipTransportName;
  branch?: string;
  /** sent-by of the top Via; the sender's address by default. */
  viaHost?: string;
  viaPort?: number;
  cseq?: number;
  /** CSeq method when it differs from the request's (ACK, CANCEL built by hand). */
  cseqMethod?: string;
  toTag?: string;
  route?: string;
}

export function request(method: string, options: RequestOptions = {}): SipRequest {
  const transport = options.transport ?? 'UDP';
  const via = createVia(transport, options.viaHost ?? PEER.host, options.viaPort ?? PEER.port, options.branch ?? generateBranch());
  const fields: SipHeaderField[] = [
    { name: 'Via', value: formatVia(via) },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: '<sip:door@example.org>;tag=from1' },
    { name: 'To', value: `<sip:resident@example.org>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}` },
    { name: 'Call-ID', value: 'call-1@example.org' },
    { name: 'CSeq', value: `${options.cseq ?? 1} ${options.cseqMethod ?? method}` },
  ];
  if (options.route !== undefined) fields.push({ name: 'Route', value: options.route });
  return createRequest(method, 'sip:resident@example.org', fields);
}

export function branchOf(message: SipRequest | SipResponse): string {
  const via = message.headers.get('Via') ?? '';
  return /;branch=([^;]+)/.exec(via)?.[1] ?? '';
}

const REASONS: Record<number, string> = { 100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 408: 'Request Timeout', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated' };

/** A response to `to` as its UAS would send it: Via, From, Call-ID, CSeq copied, To tagged unless 100. */
export function response(to: SipRequest, status: number, toTag = 'uas1'): SipResponse {
  const fields: SipHeaderField[] = [];
  for (const value of to.headers.getAll('Via')) fields.push({ name: 'Via', value });
  const toValue = to.headers.get('To') ?? '';
  fields.push({ name: 'From', value: to.headers.get('From') ?? '' });
  fields.push({ name: 'To', value: status === 100 || toValue.includes(';tag=') ? toValue : `${toValue};tag=${toTag}` });
  fields.push({ name: 'Call-ID', value: to.headers.get('Call-ID') ?? '' });
  fields.push({ name: 'CSeq', value: to.headers.get('CSeq') ?? '' });
  return createResponse(status, REASONS[status] ?? 'Status', fields);
}
