import { hostname } from 'node:os';
import type { PluginStore } from 'portier/sdk';

export interface TlsIdentity {
  cert: string;
  key: string;
}

const STORE_KEY = 'tls-identity';

/**
 * The certificate the SIP TLS listener presents: made once (a self-signed
 * P-256 certificate, X.509 by a well-kept library) and kept in the plugin's
 * store, so peers that pinned it keep trusting it across restarts.
 */
export async function tlsIdentity(store: PluginStore): Promise<TlsIdentity> {
  const kept = store.get<TlsIdentity>(STORE_KEY);
  if (kept !== undefined) return kept;
  const { default: selfsigned } = await import('selfsigned');
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: hostname() }, { name: 'organizationName', value: 'Portier intercom SIP' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 825 * 24 * 3600 * 1000),
  });
  const identity = { cert: pems.cert, key: pems.private };
  store.set(STORE_KEY, identity);
  return identity;
}
