/**
 * The keys of STUN MESSAGE-INTEGRITY (RFC 5389 §15.4):
 * long-term credentials (TURN) use MD5(username ":" realm ":" password),
 * short-term credentials (ICE) the password itself. SASLprep is not applied:
 * Portier's credentials come from settings, and the TURN servers it talks to
 * compare the same bytes.
 */
import { createHash } from 'node:crypto';

export function longTermKey(username: string, realm: string, password: string): Uint8Array {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

export function shortTermKey(password: string): Uint8Array {
  return Buffer.from(password, 'utf8');
}
