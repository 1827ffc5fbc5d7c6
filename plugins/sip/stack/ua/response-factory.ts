import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  420: 'Bad Extension',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  603: 'Decline',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}

/**
 * A response to `request` (§8.2.6.2): its Vias, From, Call-ID and CSeq as
 * they came, and its To with our tag added when the request had none.
 */
export function createResponseTo(request: SipRequest, status: number, options: { reason?: string; toTag?: string } = {}): SipResponse {
  const response = createResponse(status, options.reason ?? reasonPhrase(status));
  for (const via of request.headers.getAll('Via')) response.headers.append('Via', via);
  response.headers.append('From', request.headers.get('From') ?? '');
  const to = request.headers.get('To') ?? '';
  const tagged = /;\s*tag\s*=/i.test(to) || options.toTag === undefined || status === 100 ? to : `${to};tag=${options.toTag}`;
  response.headers.append('To', tagged);
  response.headers.append('Call-ID', request.headers.get('Call-ID') ?? '');
  response.headers.append('CSeq', request.headers.get('CSeq') ?? '');
  return response;
}
