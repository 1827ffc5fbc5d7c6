/**
 * HTTP digest authentication for SIP (RFC 3261 §22.4 with RFC 7616 and
 * RFC 8760: MD5, SHA-256, SHA-512-256 and their -sess forms): a client that
 * answers 401/407 challenges (test-support/ has a verifier that plays the server).
 */
export { parseAuthHeader, type AuthHeaderItem } from './auth-header.js';
export { DigestAuthError, type DigestAuthErrorCode } from './digest-auth-error.js';
export {
  DIGEST_ALGORITHMS,
  digestHa1,
  digestHash,
  digestResponse,
  digestResponseFromHa1,
  toDigestAlgorithm,
  userHash,
  type DigestAlgorithm,
  type DigestInput,
} from './digest-algorithm.js';
export { formatDigestChallenge, parseDigestChallenges, type DigestChallenge } from './digest-challenge.js';
export { chooseDigestChallenge, DigestClient, type AuthorizationHeader, type ChallengeKind, type DigestClientOptions, type DigestRequest } from './digest-client.js';
export { formatDigestCredentials, parseDigestCredentials, type DigestCredentials } from './digest-credentials.js';
