/**
 * The server side of digest authentication: issue challenges and check the
 * credentials that come back (RFC 3261 §22.4, RFC 7616 §3.3–3.5). Used by the
 * tests as the peer of DigestClient, and by the plugin wherever Portier itself
 * asks a caller to authenticate.
 *
 * Nonces carry their own issue time and an HMAC over it, so checking one needs
 * no table; an old but genuine nonce is "stale" (the client retries at once
 * without asking its user). nc values are remembered per nonce, for a bounded
 * number of nonces, so a replayed request is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { DigestAuthError } from '../digest-auth-error.js';
import { digestHash, digestResponseFromHa1, toDigestAlgorithm, type DigestAlgorithm } from '../digest-algorithm.js';
import { formatDigestChallenge } from '../digest-challenge.js';
import { parseDigestCredentials, type DigestCredentials } from '../digest-credentials.js';
import type { DigestRequest } from '../digest-client.js';

export interface DigestVerifierOptions {
  realm: string;
  /** Challenge algorithms, in order of preference. Default SHA-256 then MD5 (RFC 8760 §2.4). */
  algorithms?: readonly DigestAlgorithm[];
  /** qop options offered. Default auth. */
  qop?: readonly ('auth' | 'auth-int')[];
  /** Key for nonce HMACs; random per verifier by default. */
  secret?: Uint8Array;
  /** How long a nonce stays fresh. Default 5 minutes. */
  nonceLifetimeMs?: number;
  now?: () => number;
}

/** The password of a user, or undefined when the user is unknown. */
export type PasswordLookup = (username: string, realm: string) => string | undefined;

export type DigestVerification =
  | { ok: true; username: string; algorithm: DigestAlgorithm }
  | { ok: false; reason: 'malformed' | 'wrong-realm' | 'unsupported-algorithm' | 'bad-nonce' | 'stale' | 'replay' | 'unknown-user' | 'wrong-response'; stale: boolean };

const MAX_TRACKED_NONCES = 10_000;
const HMAC_BYTES = 16;

export class DigestVerifier {
  readonly realm: string;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly qop: readonly ('auth' | 'auth-int')[];
  private readonly secret: Uint8Array;
  private readonly lifetime: number;
  private readonly now: () => number;
  private readonly counts = new Map<string, number>();

  constructor(options: DigestVerifierOptions) {
    this.realm = options.realm;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.qop = options.qop ?? ['auth'];
    this.secret = options.secret ?? randomBytes(32);
    this.lifetime = options.nonceLifetimeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** WWW-Authenticate (or Proxy-Authenticate) values: one challenge per algorithm, preferred first. */
  challenge(options: { stale?: boolean } = {}): string[] {
    return this.algorithms.map((algorithm) =>
      formatDigestChallenge({
        realm: this.realm,
        nonce: this.issueNonce(),
        opaque: undefined,
        algorithmName: algorithm,
        qop: [...this.qop],
        stale: options.stale ?? false,
        userhash: false,
        domain: undefined,
      }),
    );
  }

  /** Checks an Authorization (or Proxy-Authorization) value for a request. */
  verify(authorization: string, request: DigestRequest, passwordOf: PasswordLookup): DigestVerification {
    let credentials: DigestCredentials;
    try {
      credentials = parseDigestCredentials(authorization);
    } catch (error) {
      if (error instanceof DigestAuthError) return fail('malformed');
      throw error;
    }
    if (credentials.realm !== this.realm) return fail('wrong-realm');
    const algorithm = toDigestAlgorithm(credentials.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) return fail('unsupported-algorithm');
    const qop = credentials.qop;
    if (qop !== undefined ? !this.qop.includes(qop as 'auth' | 'auth-int') : this.qop.length > 0) return fail('malformed');
    const age = this.nonceAge(credentials.nonce);
    if (age === undefined) return fail('bad-nonce');
    if (credentials.uri !== request.uri) return fail('malformed');
    const password = passwordOf(credentials.username, credentials.realm);
    if (password === undefined) return fail('unknown-user');

    let ha1 = digestHash(algorithm, `${credentials.username}:${credentials.realm}:${password}`);
    if (algorithm.endsWith('-sess')) ha1 = digestHash(algorithm, `${ha1}:${credentials.nonce}:${credentials.cnonce ?? ''}`);
    const expected = digestResponseFromHa1(ha1, {
      algorithm,
      method: request.method,
      uri: credentials.uri,
      nonce: credentials.nonce,
      qop: qop as 'auth' | 'auth-int' | undefined,
      cnonce: credentials.cnonce,
      nc: credentials.nc,
      body: request.body,
    });
    if (!sameText(expected, credentials.response.toLowerCase())) return fail('wrong-response');
    // Right password on an expired nonce: stale, so the client retries without asking its user (RFC 7616 §3.3).
    if (age > this.lifetime) return fail('stale', true);
    if (credentials.nc !== undefined && !this.acceptCount(credentials.nonce, Number.parseInt(credentials.nc, 16))) return fail('replay');
    return { ok: true, username: credentials.username, algorithm };
  }

  private issueNonce(): string {
    const body = Buffer.alloc(16);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.now()))), 0);
    randomBytes(8).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** Milliseconds since the nonce was issued, or undefined when this verifier did not issue it. */
  private nonceAge(nonce: string): number | undefined {
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== 16 + HMAC_BYTES || bytes.toString('base64url') !== nonce) return undefined;
    const body = bytes.subarray(0, 16);
    if (!timingSafeEqual(this.mac(body), bytes.subarray(16))) return undefined;
    return this.now() - Number(body.readBigUInt64BE(0));
  }

  private mac(body: Uint8Array): Buffer {
    return createHmac('sha256', this.secret).update(body).update(this.realm).digest().subarray(0, HMAC_BYTES);
  }

  private acceptCount(nonce: string, count: number): boolean {
    const previous = this.counts.get(nonce) ?? 0;
    if (count <= previous) return false;
    this.counts.delete(nonce);
    this.counts.set(nonce, count);
    if (this.counts.size > MAX_TRACKED_NONCES) this.counts.delete(this.counts.keys().next().value!);
    return true;
  }
}

function fail(reason: Extract<DigestVerification, { ok: false }>['reason'], stale = false): DigestVerification {
  return { ok: false, reason, stale };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
