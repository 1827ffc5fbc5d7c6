/**
 * Header names: case-insensitive on the wire (RFC 3261 §7.3.1), some with a
 * one-letter compact form (§7.3.3 and the RFCs that registered more; IANA
 * "Header Fields" registry). The stack stores every name in its full,
 * canonical spelling so `Via`, `v` and `vIA` are one header.
 */

const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact', // RFC 3841
  b: 'Referred-By', // RFC 3892
  c: 'Content-Type',
  d: 'Request-Disposition', // RFC 3841
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact', // RFC 3841
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info', // RFC 4474
  o: 'Event', // RFC 6665
  r: 'Refer-To', // RFC 3515
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events', // RFC 6665
  v: 'Via',
  x: 'Session-Expires', // RFC 4028
  y: 'Identity', // RFC 8224
};

/** Names whose usual spelling is not simple capitalisation of each word. */
const SPECIAL: readonly string[] = [
  'Call-ID',
  'CSeq',
  'WWW-Authenticate',
  'MIME-Version',
  'RAck',
  'RSeq',
  'SIP-ETag',
  'SIP-If-Match',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
];
const SPECIAL_BY_KEY = new Map(SPECIAL.map((name) => [name.toLowerCase(), name]));

/**
 * Headers whose grammar is `x *(COMMA x)`: a comma between values separates
 * list elements, so several lines and one comma-joined line mean the same
 * (RFC 3261 §7.3.1). Only these are split; for any other header a comma may be
 * part of the value (WWW-Authenticate, Date, Subject, unknown headers).
 */
const LIST_HEADERS = new Set(
  [
    'Via',
    'Contact',
    'Route',
    'Record-Route',
    'Path',
    'Service-Route',
    'Allow',
    'Supported',
    'Require',
    'Proxy-Require',
    'Unsupported',
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Content-Encoding',
    'Content-Language',
    'Allow-Events',
    'Alert-Info',
    'Call-Info',
    'Error-Info',
    'In-Reply-To',
    'Warning',
    'Reason',
    'Accept-Contact',
    'Reject-Contact',
    'Request-Disposition',
    'P-Asserted-Identity',
  ].map((n) => n.toLowerCase()),
);

/**
 * Headers a message may carry once at most; a second one is a 400
 * (RFC 4475 multi01, mcl01). Only those whose duplicates change the meaning
 * of the message are checked.
 */
const SINGLE_HEADERS = new Set(['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires']);

/** The full, canonical spelling of a header name (compact forms expanded). */
export function canonicalHeaderName(name: string): string {
  const key = name.toLowerCase();
  const compact = COMPACT[key];
  if (compact !== undefined) return compact;
  const special = SPECIAL_BY_KEY.get(key);
  if (special !== undefined) return special;
  return key.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** The key two names compare by: lower-case full name. */
export function headerKey(name: string): string {
  return canonicalHeaderName(name).toLowerCase();
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}

export function isSingleHeader(name: string): boolean {
  return SINGLE_HEADERS.has(headerKey(name));
}

/** The compact form of a full name, when it has one. */
export function compactHeaderName(name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  for (const [letter, full] of Object.entries(COMPACT)) if (full === canonical) return letter;
  return undefined;
}
