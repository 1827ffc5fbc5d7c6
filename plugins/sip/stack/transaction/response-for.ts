/**
 * A response built from a request as RFC 3261 §8.2.6 says: Via, From, To,
 * Call-ID and CSeq copied, and Timestamp for a 100 (§8.2.6.1). Used for the
 * 100 Trying the INVITE server transaction sends on the TU's behalf.
 */
import { createResponse, type SipHeaderField, type SipRequest, type SipResponse } from '../message/index.js';

const COPIED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

export function responseFor(request: SipRequest, status: number, reason: string): SipResponse {
  const fields: SipHeaderField[] = [];
  for (const name of COPIED) for (const value of request.headers.getAll(name)) fields.push({ name, value });
  const timestamp = request.headers.get('Timestamp');
  if (status === 100 && timestamp !== undefined) fields.push({ name: 'Timestamp', value: timestamp });
  return createResponse(status, reason, fields);
}
