/**
 * The answer to a request the parser refused (RFC 3261 §8.2.6, §21.4.1):
 * 400 with the error's reason phrase, or 505 for another SIP version,
 * carrying the request's Via, From, To (with a tag added), Call-ID and CSeq
 * exactly as received, so the client can match it to its transaction.
 */
import { generateTag } from './identifiers.js';
import { createResponse, type SipResponse } from './sip-message.js';
import type { SipParseError } from './sip-parse-error.js';

/** Null when the message cannot be answered (a response, ACK, or a request missing those headers). */
export function badRequestResponse(error: SipParseError, toTag: string = generateTag()): SipResponse | null {
  const request = error.request;
  if (request === undefined) return null;
  const status = error.code === 'SIP_UNSUPPORTED_VERSION' ? 505 : 400;
  const response = createResponse(status, error.reason.replace(/[\r\n]/g, ' '));
  for (const via of request.via) response.headers.append('Via', via);
  response.headers.append('From', request.from);
  response.headers.append('To', /;\s*tag\s*=/i.test(request.to) ? request.to : `${request.to};tag=${toTag}`);
  response.headers.append('Call-ID', request.callId);
  response.headers.append('CSeq', request.cseq);
  return response;
}
