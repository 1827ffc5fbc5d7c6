/**
 * Digest challenges (WWW-Authenticate in a 401, Proxy-Authenticate in a 407;
 * RFC 3261 §22.4, RFC 7616 §3.3). A header may hold several challenges, and a
 * response may carry several headers: one per algorithm is how RFC 8760 §2.4
 * offers SHA-256 next to MD5.
 */
import { parseAuthHeader, quote } from './auth-header.js';
import { DigestAuthError } from './digest-auth-error.js';
import { toDigestAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  /** The algorithm as named (MD5 when absent); `supported` says whether this side can use it. */
  algorithmName: string;
  algorithm: DigestAlgorithm | undefined;
  /** The qop options offered; undefined when the server sent none (RFC 2069 compatibility). */
  qop: string[] | undefined;
  /** The nonce expired but the credentials were right: retry without asking the user (RFC 7616 §3.3). */
  stale: boolean;
  /** RFC 7616 §3.4.4: the server wants the username hashed. */
  userhash: boolean;
  domain: string | undefined;
}

/** Every Digest challenge in the given header values, in order; other schemes are skipped. */
export function parseDigestChallenges(values: readonly string[]): DigestChallenge[] {
  const challenges: DigestChallenge[] = [];
  for (const value of values) {
    for (const item of parseAuthHeader(value)) {
      if (item.scheme.toLowerCase() !== 'digest') continue;
      const p = item.params;
      const realm = p.get('realm');
      const nonce = p.get('nonce');
      if (realm === undefined || nonce === undefined) {
        throw new DigestAuthError('DIGEST_MALFORMED', 'A Digest challenge lacks its realm or nonce (RFC 7616 §3.3).');
      }
      const qopText = p.get('qop');
      const algorithmName = p.get('algorithm') ?? 'MD5';
      challenges.push({
        realm,
        nonce,
        opaque: p.get('opaque'),
        algorithmName,
        algorithm: toDigestAlgorithm(algorithmName),
        qop: qopText === undefined ? undefined : qopText.split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== ''),
        stale: p.get('stale')?.toLowerCase() === 'true',
        userhash: p.get('userhash')?.toLowerCase() === 'true',
        domain: p.get('domain'),
      });
    }
  }
  return challenges;
}

/** Writes one challenge as a header value (SIP form: algorithm and stale as tokens, qop quoted). */
export function formatDigestChallenge(challenge: Omit<DigestChallenge, 'algorithm'>): string {
  const parts = [`realm=${quote(challenge.realm)}`];
  if (challenge.domain !== undefined) parts.push(`domain=${quote(challenge.domain)}`);
  parts.push(`nonce=${quote(challenge.nonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.stale) parts.push('stale=TRUE');
  parts.push(`algorithm=${challenge.algorithmName}`);
  if (challenge.qop !== undefined) parts.push(`qop=${quote(challenge.qop.join(','))}`);
  if (challenge.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
