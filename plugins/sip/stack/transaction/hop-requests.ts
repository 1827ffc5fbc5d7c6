/**
 * The two requests a client transaction builds from the INVITE it carries:
 * the ACK for a non-2xx final response (§17.1.1.3) and CANCEL (§9.1). Both
 * reuse the INVITE's top Via (so the branch matches its transaction at the
 * next hop), Request-URI, Call-ID, From, CSeq number and Route set.
 */
import { createRequest, getCSeq, type SipHeaderField, type SipRequest, type SipResponse } from '../message/index.js';

function hopHeaders(invite: SipRequest, method: string, to: string | undefined): SipHeaderField[] {
  const fields: SipHeaderField[] = [];
  const via = invite.headers.get('Via');
  if (via !== undefined) fields.push({ name: 'Via', value: via });
  fields.push({ name: 'Max-Forwards', value: invite.headers.get('Max-Forwards') ?? '70' });
  for (const name of ['From', 'Call-ID']) {
    const value = invite.headers.get(name);
    if (value !== undefined) fields.push({ name, value });
  }
  if (to !== undefined) fields.push({ name: 'To', value: to });
  fields.push({ name: 'CSeq', value: `${getCSeq(invite).seq} ${method}` });
  for (const value of invite.headers.getAll('Route')) fields.push({ name: 'Route', value });
  return fields;
}

/** The ACK for a 300–699: To from the response (it carries the UAS's tag). */
export function ackForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  return createRequest('ACK', invite.uri, hopHeaders(invite, 'ACK', response.headers.get('To') ?? invite.headers.get('To')));
}

/** CANCEL: To as in the INVITE, without the tag a provisional may have carried (§9.1). */
export function cancelFor(invite: SipRequest): SipRequest {
  return createRequest('CANCEL', invite.uri, hopHeaders(invite, 'CANCEL', invite.headers.get('To')));
}
