/**
 * What the transport layer (RFC 3261 §18) offers the transactions above it.
 * Addresses here are resolved: an IP address and a port, never a host name
 * (the UA core resolves names before it picks a target).
 */
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';

export const SIP_TRANSPORTS = ['UDP', 'TCP', 'TLS'] as const;
export type SipTransportName = (typeof SIP_TRANSPORTS)[number];

export interface SipAddress {
  transport: SipTransportName;
  /** An IP address. */
  host: string;
  port: number;
}

/** A message as it arrived: from where, to which of our listeners, and on which connection of a stream transport. */
export interface InboundMessage<M extends SipMessage = SipMessage> {
  message: M;
  source: SipAddress;
  /** Our listener or connection end it arrived on. */
  local: SipAddress;
  /** The connection it came on (TCP, TLS): responses go back on it while it is open. */
  connectionId: string | undefined;
}

export function isReliable(transport: SipTransportName): boolean {
  return transport !== 'UDP';
}

export function defaultPort(transport: SipTransportName): number {
  return transport === 'TLS' ? 5061 : 5060;
}

export function addressKey(address: SipAddress): string {
  return `${address.transport} ${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/** The transport layer as the transactions see it. */
export interface SipTransport {
  /** Our address on a transport, as it goes in Via and Contact. */
  localAddress(transport: SipTransportName): SipAddress | undefined;
  /**
   * Sends a request to a resolved target, opening a connection when the
   * transport is a stream and none is open. Rejects (SIP_TRANSPORT_ERROR) when
   * the message cannot be sent, which the transaction reports as a 503.
   */
  sendRequest(request: SipRequest, target: SipAddress): Promise<void>;
  /**
   * Sends a response where RFC 3261 §18.2.2 and RFC 3581 say: back on the
   * connection the request came on while it is open, else to the top Via's
   * received/rport or sent-by.
   */
  sendResponse(response: SipResponse, request: InboundMessage<SipRequest>): Promise<void>;
  onMessage(listener: (inbound: InboundMessage) => void): () => void;
}
