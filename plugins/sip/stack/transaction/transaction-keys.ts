/**
 * Transaction matching keys, RFC 3261 §17.1.3 (client: branch and CSeq
 * method) and §17.2.3 (server: branch, sent-by and method, ACK matching the
 * INVITE). Only RFC 3261 branches (magic cookie) are matched; the RFC 2543
 * fallback is not implemented, so such requests are dropped.
 */
import { defaultPort, SIP_TRANSPORTS, type SipTransportName } from '../transport/sip-transport.js';
import type { Via } from '../message/index.js';

export function clientKey(branch: string, method: string): string {
  return `${branch} ${method}`;
}

/** ACK and CANCEL are looked up with method INVITE to find the INVITE transaction they refer to. */
export function serverKey(via: Via & { branch: string }, method: string): string {
  return `${via.branch} ${sentBy(via)} ${method}`;
}

/** sent-by compared with the host case-folded and the port made explicit (5060/5061 when absent). */
export function sentBy(via: Via): string {
  const transport = (SIP_TRANSPORTS as readonly string[]).includes(via.transport) ? (via.transport as SipTransportName) : 'UDP';
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort(transport)}`;
}
