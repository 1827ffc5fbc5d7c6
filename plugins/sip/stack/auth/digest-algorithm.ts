/**
 * The digest algorithms of RFC 7616 §3.2 (adopted for SIP by RFC 8760) and
 * the response computation of RFC 7616 §3.4.1–3.4.3 (RFC 2617 §3.2.2 for MD5,
 * RFC 2069 when the server sends no qop).
 */
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

/** Strongest first: the order a client picks in (RFC 8760 §2.4 asks servers to list in order of preference too). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-512-256', 'SHA-512-256-sess', 'SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'];

const NODE_HASH: Readonly<Record<string, string>> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' };

/** The algorithm named in a challenge (case-insensitive; absent means MD5, RFC 7616 §3.3), or undefined when unsupported. */
export function toDigestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  if (name === undefined) return 'MD5';
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase());
}

function hashOf(algorithm: DigestAlgorithm): string {
  return NODE_HASH[algorithm.toLowerCase().replace(/-sess$/, '')]!;
}

/** H(data) as lower-case hex. */
export function digestHash(algorithm: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(hashOf(algorithm)).update(data).digest('hex');
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** 'auth', 'auth-int', or undefined for the RFC 2069 form. */
  qop: 'auth' | 'auth-int' | undefined;
  /** Required with qop or a -sess algorithm. */
  cnonce?: string;
  /** Eight hex digits, e.g. "00000001". Required with qop. */
  nc?: string;
  /** The message body, for auth-int. */
  body?: Uint8Array;
}

/** H(A1), RFC 7616 §3.4.2: for -sess, H(H(user:realm:password):nonce:cnonce). */
export function digestHa1(input: Pick<DigestInput, 'algorithm' | 'username' | 'realm' | 'password' | 'nonce' | 'cnonce'>): string {
  const base = digestHash(input.algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (!input.algorithm.endsWith('-sess')) return base;
  return digestHash(input.algorithm, `${base}:${input.nonce}:${input.cnonce ?? ''}`);
}

/** The request-digest (the `response` parameter). */
export function digestResponse(input: DigestInput): string {
  const ha1 = digestHa1(input);
  return digestResponseFromHa1(ha1, input);
}

/** The same, from an H(A1) a server stored instead of the password (for a non -sess algorithm). */
export function digestResponseFromHa1(ha1: string, input: Omit<DigestInput, 'username' | 'realm' | 'password'>): string {
  const h = (text: string): string => digestHash(input.algorithm, text);
  const a2 = input.qop === 'auth-int' ? `${input.method}:${input.uri}:${digestHash(input.algorithm, input.body ?? new Uint8Array(0))}` : `${input.method}:${input.uri}`;
  if (input.qop === undefined) return h(`${ha1}:${input.nonce}:${h(a2)}`);
  return h(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${h(a2)}`);
}

/** RFC 7616 §3.4.4: the hashed username sent when the server asks for userhash=true. */
export function userHash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}
