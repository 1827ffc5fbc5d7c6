/**
 * Headers that hold one number (and CSeq, a number and a method), with the
 * ranges RFC 3261 sets. RFC 4475 scalar02/scalarlg send values far outside
 * them; each is refused rather than wrapped or rounded.
 */
import { isToken, isWord } from './grammar.js';

export interface CSeq {
  seq: number;
  method: string;
}

/** RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31. */
export const MAX_CSEQ = 2 ** 31 - 1;
/** RFC 3261 §20.19 / §10.2.1.1: delta-seconds up to 2**32 - 1. */
export const MAX_DELTA_SECONDS = 2 ** 32 - 1;

export function parseCSeq(value: string): CSeq | null {
  const match = /^(\d{1,10})[ \t]+(\S+)$/.exec(value.trim());
  if (match === null) return null;
  const seq = Number(match[1]);
  const method = match[2]!;
  if (seq > MAX_CSEQ || !isToken(method)) return null;
  return { seq, method };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}

/** Max-Forwards: 0–255 (RFC 3261 §20.22; 255 is the largest value §16.6 ever needs). */
export function parseMaxForwards(value: string): number | null {
  return parseBoundedInteger(value, 255);
}

/** Expires header, or the `expires` parameter of a Contact: delta-seconds. */
export function parseDeltaSeconds(value: string): number | null {
  return parseBoundedInteger(value, MAX_DELTA_SECONDS);
}

/** Content-Length: digits only (RFC 4475 ncl sends -999). */
export function parseContentLength(value: string): number | null {
  return parseBoundedInteger(value, Number.MAX_SAFE_INTEGER);
}

function parseBoundedInteger(value: string, max: number): number | null {
  const text = value.trim();
  // Leading zeros are legal (RFC 4475 wsinv: "0068"); strip them before the length check.
  const digits = text.replace(/^0+(?=\d)/, '');
  if (!/^\d{1,16}$/.test(digits)) return null;
  const number = Number(digits);
  return number <= max ? number : null;
}

/** Call-ID = word [ "@" word ] (RFC 3261 §25.1). */
export function isValidCallId(value: string): boolean {
  const at = value.indexOf('@');
  if (at === -1) return isWord(value);
  return isWord(value.slice(0, at)) && isWord(value.slice(at + 1));
}
