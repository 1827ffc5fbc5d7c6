/**
 * The random identifiers a SIP element makes up: branch (RFC 3261 §8.1.1.7,
 * beginning with the magic cookie so peers know it is unique per transaction),
 * tag (§19.3, at least 32 bits of randomness) and Call-ID (§8.1.1.4).
 */
import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7: every branch made by an RFC 3261 element starts with this. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** base64url of fresh random bytes: token characters only, so safe in any header. */
function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new branch: the magic cookie and 96 random bits. */
export function generateBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomToken(12)}`;
}

/** A new From/To tag with 64 random bits. */
export function generateTag(): string {
  return randomToken(8);
}

/** A new Call-ID with 128 random bits, `@host` appended when given. */
export function generateCallId(host?: string): string {
  const id = randomToken(16);
  return host === undefined ? id : `${id}@${host}`;
}

/** Whether a branch came from an RFC 3261 element (and may be used alone to match transactions, §17.2.3). */
export function isRfc3261Branch(branch: string | undefined): boolean {
  return branch !== undefined && branch.startsWith(BRANCH_MAGIC_COOKIE) && branch.length > BRANCH_MAGIC_COOKIE.length;
}
