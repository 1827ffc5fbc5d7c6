import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PortierError } from 'portier/sdk';
import { uriParam, type SipUri } from '../message/index.js';
import { defaultPort, SIP_TRANSPORTS, type SipAddress, type SipTransportName } from '../transport/sip-transport.js';

/**
 * Where to send a request for a SIP URI (RFC 3263, without NAPTR and SRV:
 * an intercom is given its registrar or peer as an address or a name with a
 * port). sips: and transport=tls mean TLS; otherwise the transport
 * parameter, or the account's transport, or UDP.
 */
export async function resolveTarget(uri: SipUri, preferred?: SipTransportName): Promise<SipAddress> {
  const transport = transportFor(uri, preferred);
  const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  const port = uri.port ?? defaultPort(transport);
  if (isIP(host) !== 0) return { transport, host, port };
  try {
    const found = await lookup(host);
    return { transport, host: found.address, port };
  } catch (error) {
    throw new PortierError('SIP_HOST_UNKNOWN', `The SIP host "${host}" could not be found (${(error as Error).message}); check the address or the DNS server.`, [], { cause: error });
  }
}

export function transportFor(uri: SipUri, preferred?: SipTransportName): SipTransportName {
  if (uri.scheme === 'sips') return 'TLS';
  const param = uriParam(uri, 'transport')?.toUpperCase();
  if (param !== undefined && (SIP_TRANSPORTS as readonly string[]).includes(param)) return param as SipTransportName;
  return preferred ?? 'UDP';
}
