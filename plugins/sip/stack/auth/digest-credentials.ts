/**
 * Digest credentials (Authorization, Proxy-Authorization; RFC 3261 §22.4,
 * RFC 7616 §3.4): what the client sends back and the server checks.
 */
import { parseAuthHeader, quote } from './auth-header.js';
import { DigestAuthError } from './digest-auth-error.js';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  /** As named; MD5 when absent. */
  algorithm: string;
  cnonce: string | undefined;
  opaque: string | undefined;
  qop: string | undefined;
  /** Eight hex digits. */
  nc: string | undefined;
  userhash: boolean;
}

/** Reads the Digest credentials of an Authorization value; throws DIGEST_MALFORMED. */
export function parseDigestCredentials(value: string): DigestCredentials {
  const [item] = parseAuthHeader(value);
  if (item === undefined || item.scheme.toLowerCase() !== 'digest') {
    throw new DigestAuthError('DIGEST_MALFORMED', 'The credentials do not use the Digest scheme.');
  }
  const p = item.params;
  const required = (name: string): string => {
    const v = p.get(name);
    if (v === undefined) throw new DigestAuthError('DIGEST_MALFORMED', `The Digest credentials lack ${name} (RFC 7616 §3.4).`);
    return v;
  };
  const credentials: DigestCredentials = {
    username: required('username'),
    realm: required('realm'),
    nonce: required('nonce'),
    uri: required('uri'),
    response: required('response'),
    algorithm: p.get('algorithm') ?? 'MD5',
    cnonce: p.get('cnonce'),
    opaque: p.get('opaque'),
    qop: p.get('qop'),
    nc: p.get('nc'),
    userhash: p.get('userhash')?.toLowerCase() === 'true',
  };
  if (credentials.qop !== undefined && (credentials.cnonce === undefined || credentials.nc === undefined || !/^[0-9a-fA-F]{8}$/.test(credentials.nc))) {
    throw new DigestAuthError('DIGEST_MALFORMED', 'Digest credentials with qop must carry cnonce and an eight-digit hex nc.');
  }
  return credentials;
}

/** Writes credentials the way RFC 3261 §25.1 spells them: algorithm, qop and nc as tokens, the rest quoted. */
export function formatDigestCredentials(c: DigestCredentials): string {
  const parts = [`username=${quote(c.username)}`, `realm=${quote(c.realm)}`, `nonce=${quote(c.nonce)}`, `uri=${quote(c.uri)}`, `response=${quote(c.response)}`, `algorithm=${c.algorithm}`];
  if (c.cnonce !== undefined) parts.push(`cnonce=${quote(c.cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.qop !== undefined) parts.push(`qop=${c.qop}`);
  if (c.nc !== undefined) parts.push(`nc=${c.nc}`);
  if (c.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
