/**
 * The client side of digest authentication: given the challenges of a 401 or
 * 407, pick the strongest one it can answer (RFC 8760 §2.4: prefer SHA-512-256,
 * then SHA-256, then MD5), and build the Authorization or Proxy-Authorization
 * value, counting nc per nonce (RFC 7616 §3.4: the server may reject a
 * repeated count as a replay).
 *
 * qop=auth is used whenever offered; auth-int only when it is all the server
 * offers (it hashes the body, which the server must then see unchanged).
 */
import { randomBytes } from 'node:crypto';

import type { SipResponse } from '../message/sip-message.js';
import { DigestAuthError } from './digest-auth-error.js';
import { DIGEST_ALGORITHMS, digestResponse, userHash, type DigestAlgorithm } from './digest-algorithm.js';
import { parseDigestChallenges, type DigestChallenge } from './digest-challenge.js';
import { formatDigestCredentials } from './digest-credentials.js';

export interface DigestClientOptions {
  username: string;
  password: string;
  /** Only answer challenges for this realm (recommended when the account has one). */
  realm?: string;
  /** Algorithms this side agrees to use. Default all of DIGEST_ALGORITHMS. */
  algorithms?: readonly DigestAlgorithm[];
  /** Makes the cnonce; random 128 bits by default. Tests pass a fixed one. */
  cnonce?: () => string;
}

export interface DigestRequest {
  method: string;
  /** The Request-URI, exactly as it will be sent. */
  uri: string;
  body?: Uint8Array;
}

export interface AuthorizationHeader {
  name: 'Authorization' | 'Proxy-Authorization';
  value: string;
  realm: string;
  algorithm: DigestAlgorithm;
}

export type ChallengeKind = 'origin' | 'proxy';

/** Nonces remembered for nc counting; old ones are forgotten first. */
const MAX_NONCES = 64;

/** The challenge to answer: supported algorithm and qop, right realm, strongest algorithm first. */
export function chooseDigestChallenge(
  challenges: readonly DigestChallenge[],
  options: { realm?: string; algorithms?: readonly DigestAlgorithm[] } = {},
): DigestChallenge | undefined {
  const allowed = options.algorithms ?? DIGEST_ALGORITHMS;
  const usable = challenges.filter(
    (c) =>
      c.algorithm !== undefined &&
      allowed.includes(c.algorithm) &&
      (options.realm === undefined || c.realm === options.realm) &&
      (c.qop === undefined || c.qop.includes('auth') || c.qop.includes('auth-int')),
  );
  const rank = (c: DigestChallenge): number => DIGEST_ALGORITHMS.indexOf(c.algorithm!);
  return [...usable].sort((a, b) => rank(a) - rank(b))[0];
}

export class DigestClient {
  private readonly options: DigestClientOptions;
  private readonly counts = new Map<string, number>();
  private readonly last = new Map<ChallengeKind, DigestChallenge>();

  constructor(options: DigestClientOptions) {
    this.options = options;
  }

  /** Answers the challenges in the given WWW-Authenticate (origin) or Proxy-Authenticate (proxy) values. */
  authorize(challengeValues: readonly string[], request: DigestRequest, kind: ChallengeKind = 'origin'): AuthorizationHeader {
    const challenges = parseDigestChallenges(challengeValues);
    const challenge = chooseDigestChallenge(challenges, this.options);
    if (challenge === undefined) {
      const offered = challenges.map((c) => `${c.algorithmName} (realm "${c.realm}")`).join(', ') || 'no Digest challenge';
      throw new DigestAuthError(
        'DIGEST_NO_USABLE_CHALLENGE',
        `The server offered ${offered}; none matches this account${this.options.realm === undefined ? '' : ` (realm "${this.options.realm}")`} and the supported algorithms ${DIGEST_ALGORITHMS.join(', ')}.`,
      );
    }
    this.last.set(kind, challenge);
    return this.answer(challenge, request, kind);
  }

  /** Answers a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) response. */
  authorizeResponse(response: SipResponse, request: DigestRequest): AuthorizationHeader {
    const kind: ChallengeKind = response.status === 407 ? 'proxy' : 'origin';
    const values = response.headers.getAll(kind === 'proxy' ? 'Proxy-Authenticate' : 'WWW-Authenticate');
    return this.authorize(values, request, kind);
  }

  /** Credentials for a new request using the last challenge (next nc); undefined before any challenge. */
  reauthorize(request: DigestRequest, kind: ChallengeKind = 'origin'): AuthorizationHeader | undefined {
    const challenge = this.last.get(kind);
    return challenge === undefined ? undefined : this.answer(challenge, request, kind);
  }

  private answer(challenge: DigestChallenge, request: DigestRequest, kind: ChallengeKind): AuthorizationHeader {
    const algorithm = challenge.algorithm!;
    const qop = challenge.qop === undefined ? undefined : challenge.qop.includes('auth') ? 'auth' : 'auth-int';
    const cnonce = qop !== undefined || algorithm.endsWith('-sess') ? (this.options.cnonce?.() ?? randomBytes(16).toString('base64url')) : undefined;
    const nc = qop === undefined ? undefined : this.nextCount(challenge.nonce);
    const response = digestResponse({
      algorithm,
      username: this.options.username,
      realm: challenge.realm,
      password: this.options.password,
      method: request.method,
      uri: request.uri,
      nonce: challenge.nonce,
      qop,
      cnonce,
      nc,
      body: request.body,
    });
    const value = formatDigestCredentials({
      username: challenge.userhash ? userHash(algorithm, this.options.username, challenge.realm) : this.options.username,
      realm: challenge.realm,
      nonce: challenge.nonce,
      uri: request.uri,
      response,
      algorithm: challenge.algorithmName,
      cnonce,
      opaque: challenge.opaque,
      qop,
      nc,
      userhash: challenge.userhash,
    });
    return { name: kind === 'proxy' ? 'Proxy-Authorization' : 'Authorization', value, realm: challenge.realm, algorithm };
  }

  private nextCount(nonce: string): string {
    const count = (this.counts.get(nonce) ?? 0) + 1;
    this.counts.delete(nonce);
    this.counts.set(nonce, count);
    if (this.counts.size > MAX_NONCES) this.counts.delete(this.counts.keys().next().value!);
    return count.toString(16).padStart(8, '0');
  }
}
