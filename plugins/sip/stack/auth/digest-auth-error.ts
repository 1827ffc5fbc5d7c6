/**
 * The error the digest layer throws for a challenge or credentials it cannot
 * use. A client that gets DIGEST_NO_USABLE_CHALLENGE gives up on the request
 * and tells the user which algorithms the server offered.
 */
import { PortierError } from 'portier/sdk';

export type DigestAuthErrorCode =
  /** The header breaks the RFC 7235 / RFC 7616 grammar (an open quote, a parameter without a name, a missing realm or nonce). */
  | 'DIGEST_MALFORMED'
  /** No challenge uses an algorithm and qop this side supports. */
  | 'DIGEST_NO_USABLE_CHALLENGE';

export class DigestAuthError extends PortierError {
  declare readonly code: DigestAuthErrorCode;

  constructor(code: DigestAuthErrorCode, message: string) {
    super(code, message);
    this.name = 'DigestAuthError';
  }
}
