import { formatUri, parseSipUri, type NameAddr, type SipUri } from './stack/message/index.js';
import type { SipTransportName } from './stack/transport/sip-transport.js';
import { P2P_ACCOUNT, type AccountSettings } from './sip-settings.js';

/** Who we are on an account: the From of our requests, the user in our Contact, and how to reach its registrar. */
export interface AccountIdentity {
  account: string;
  from: NameAddr;
  contactUser: string | undefined;
  transport: SipTransportName | undefined;
  /** Where requests go first (the registrar as outbound proxy); undefined for peer-to-peer. */
  registrar: SipUri | undefined;
  credentials: { username: string; password: string } | undefined;
}

const sipUri = (user: string | undefined, host: string, scheme: 'sip' | 'sips' = 'sip'): SipUri => ({ kind: 'sip', scheme, user, password: undefined, host, port: undefined, params: [], headers: [] });

/** The peer-to-peer account: sip:<device address>, no registrar, no credentials. */
export function p2pIdentity(deviceAddress: string): AccountIdentity {
  return { account: P2P_ACCOUNT, from: { displayName: undefined, uri: sipUri(undefined, hostText(deviceAddress)), params: [] }, contactUser: undefined, transport: undefined, registrar: undefined, credentials: undefined };
}

export function accountIdentity(account: AccountSettings): AccountIdentity {
  const transport = account.transport.toUpperCase() as SipTransportName;
  const registrar = parseSipUri(`${transport === 'TLS' ? 'sips' : 'sip'}:${account.registrar ?? account.domain}${transport === 'UDP' || transport === 'TLS' ? '' : `;transport=${account.transport}`}`);
  return {
    account: account.id,
    from: { displayName: account.callerId, uri: sipUri(account.userId, account.domain.replace(/:\d+$/, '')), params: [] },
    contactUser: account.userId,
    transport,
    registrar,
    credentials: { username: account.authenticationId ?? account.userId, password: account.password },
  };
}

/** The registrar's Request-URI for REGISTER: sip:<domain>. */
export function registrarUri(account: AccountSettings): string {
  return formatUri(sipUri(undefined, account.domain.replace(/:\d+$/, ''), account.transport === 'tls' ? 'sips' : 'sip'));
}

function hostText(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
