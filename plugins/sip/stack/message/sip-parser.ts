/**
 * Parses one SIP message from bytes (RFC 3261 §7, grammar §25).
 *
 * Strict where RFC 3261 is: exactly one SP between the parts of the start
 * line, SIP/2.0 only, the mandatory headers present and each readable,
 * single-valued headers given once, CSeq's method equal to the request's,
 * Content-Length a number that the body can satisfy. Tolerant where it
 * allows: any case and the compact form of a header name, whitespace before
 * the colon, folded lines, several lines for one list header or several
 * values on one line, CRLFs before the start line (§7.5), unknown headers.
 *
 * On a datagram transport Content-Length may be absent (the body is the rest
 * of the packet) or shorter than what follows (the rest is dropped, §18.3);
 * longer is an error. On a stream transport it is required (§18.3, §20.14).
 *
 * Every failure is a SipParseError; no input makes this throw anything else.
 */
import { isToken, splitTopLevel } from './grammar.js';
import { readHeaderFields, type RawHeaderField } from './header-block.js';
import { canonicalHeaderName, headerKey, isListHeader, isSingleHeader } from './header-names.js';
import { parseNameAddr } from './name-addr.js';
import { parseCSeq, parseContentLength, parseDeltaSeconds, parseMaxForwards, isValidCallId } from './scalar-headers.js';
import { badHeader, SipParseError, type AnswerableRequest } from './sip-parse-error.js';
import { parseUri } from './sip-uri.js';
import { SipHeaders, type SipMessage } from './sip-message.js';
import { parseVia } from './via.js';

export interface SipParseOptions {
  /** 'stream' (TCP, TLS, WS) requires Content-Length; 'datagram' (UDP) does not. Default 'datagram'. */
  transport?: 'datagram' | 'stream';
  /** Largest message accepted, headers and body, in bytes. Default 64 KiB. */
  maxMessageSize?: number;
  /** Most header fields (after unfolding, before list splitting). Default 200. */
  maxHeaderCount?: number;
  /** Longest header field, in characters, after unfolding. Default 8192. */
  maxHeaderLineLength?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
export const DEFAULT_MAX_HEADER_COUNT = 200;
export const DEFAULT_MAX_HEADER_LINE_LENGTH = 8192;

export interface ResolvedParseOptions {
  transport: 'datagram' | 'stream';
  maxMessageSize: number;
  maxHeaderCount: number;
  maxHeaderLineLength: number;
}

export function resolveParseOptions(options: SipParseOptions = {}): ResolvedParseOptions {
  return {
    transport: options.transport ?? 'datagram',
    maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    maxHeaderCount: options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT,
    maxHeaderLineLength: options.maxHeaderLineLength ?? DEFAULT_MAX_HEADER_LINE_LENGTH,
  };
}

const decoder = new TextDecoder('utf-8');

/** Index of the first CRLFCRLF at or after `from`, or -1. */
export function findHeaderEnd(bytes: Uint8Array, from = 0, to = bytes.length): number {
  for (let i = from; i + 3 < to; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i;
  }
  return -1;
}

/** Number of CRLF pairs at the start (RFC 3261 §7.5: ignored before a start line). */
export function leadingCrlfLength(bytes: Uint8Array): number {
  let i = 0;
  while (bytes[i] === 13 && bytes[i + 1] === 10) i += 2;
  return i;
}

export function parseSipMessage(bytes: Uint8Array, options: SipParseOptions = {}): SipMessage {
  const limits = resolveParseOptions(options);
  if (bytes.length > limits.maxMessageSize) {
    throw new SipParseError('SIP_TOO_LARGE', 'Message Too Large', `The message is ${bytes.length} bytes; the limit is ${limits.maxMessageSize}.`);
  }
  const start = leadingCrlfLength(bytes);
  const headerEnd = findHeaderEnd(bytes, start);
  if (headerEnd === -1) {
    throw new SipParseError('SIP_INCOMPLETE', 'Incomplete Message', 'The message has no blank line after its headers.');
  }
  const lines = decoder.decode(bytes.subarray(start, headerEnd)).split('\r\n');
  const startLine = lines[0] ?? '';

  let head: StartLine;
  let startLineError: SipParseError | undefined;
  try {
    head = parseStartLine(startLine);
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    startLineError = error;
    head = guessRequest(startLine);
  }
  // A header block that cannot be read is not answered: a bare CR or LF can forge a Via, and the 400 would go where it says.
  const fields = readHeaderFields(lines.slice(1), limits);
  const answerable = head.kind === 'request' ? answerableFrom(head.method, fields) : undefined;
  try {
    if (startLineError !== undefined || head.kind === 'unknown') throw startLineError ?? malformedStartLine(startLine);
    const headers = buildHeaders(fields);
    checkHeaders(head, headers);
    const body = readBody(bytes, headerEnd + 4, headers, limits.transport);
    return head.kind === 'request'
      ? { kind: 'request', method: head.method, uri: head.uri, headers, body }
      : { kind: 'response', status: head.status, reason: head.reason, headers, body };
  } catch (error) {
    if (error instanceof SipParseError) error.request = answerable;
    throw error;
  }
}

type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string }
  | { kind: 'unknown' };

const VERSION = /^SIP\/(\d+)\.(\d+)$/i;

function parseStartLine(line: string): StartLine {
  if (/^SIP\//i.test(line)) {
    const match = /^(\S+) (\d{3})(?: (.*))?$/.exec(line);
    if (match === null) throw malformedStartLine(line);
    checkVersion(match[1]!);
    const status = Number(match[2]);
    if (status < 100 || status > 699) throw malformedStartLine(line);
    return { kind: 'response', status, reason: match[3] ?? '' };
  }
  const parts = line.split(' ');
  if (parts.length !== 3 || !isToken(parts[0]!)) throw malformedStartLine(line);
  const [method, uri, version] = parts as [string, string, string];
  if (!VERSION.test(version)) throw malformedStartLine(line);
  checkVersion(version);
  const parsed = parseUri(uri);
  if (parsed === null) {
    throw new SipParseError('SIP_BAD_URI', 'Bad Request-URI', `The Request-URI "${uri.slice(0, 100)}" is not a valid URI (RFC 3261 §19.1).`);
  }
  if (parsed.kind === 'sip' && parsed.headers.length > 0) {
    // RFC 3261 §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 escruri).
    throw new SipParseError('SIP_BAD_URI', 'Bad Request-URI', 'The Request-URI carries URI headers (?name=value), which RFC 3261 §19.1.1 forbids there.');
  }
  return { kind: 'request', method, uri };
}

function checkVersion(version: string): void {
  const match = VERSION.exec(version);
  if (match === null) throw malformedStartLine(version);
  if (Number(match[1]) !== 2 || Number(match[2]) !== 0) {
    throw new SipParseError('SIP_UNSUPPORTED_VERSION', 'Version Not Supported', `The message uses ${version}; only SIP/2.0 is supported.`);
  }
}

function malformedStartLine(line: string): SipParseError {
  return new SipParseError(
    'SIP_MALFORMED_START_LINE',
    'Bad Request Line',
    `"${line.slice(0, 100)}" is not a SIP request or status line (method SP Request-URI SP SIP/2.0, or SIP/2.0 SP code SP reason, with single spaces).`,
  );
}

/** When the start line is bad but begins with a method token, the request can still be answered. */
function guessRequest(line: string): StartLine {
  const method = line.split(' ')[0] ?? '';
  if (method !== '' && isToken(method) && !/^SIP\//i.test(line)) return { kind: 'request', method, uri: '' };
  return { kind: 'unknown' };
}

function answerableFrom(method: string, fields: readonly RawHeaderField[]): AnswerableRequest | undefined {
  // ACK is never answered (RFC 3261 §17.2.1).
  if (method === 'ACK') return undefined;
  const values = (name: string): string[] => fields.filter((f) => headerKey(f.name) === name).map((f) => f.value);
  const via = values('via');
  const [from] = values('from');
  const [to] = values('to');
  const [callId] = values('call-id');
  const [cseq] = values('cseq');
  if (via.length === 0 || from === undefined || to === undefined || callId === undefined || cseq === undefined) return undefined;
  return { method, via, from, to, callId, cseq };
}

/** Headers whose list elements must each be a full value; an empty one is a grammar error, not noise. */
const STRICT_LISTS = new Set(['via', 'contact', 'route', 'record-route']);

function buildHeaders(fields: readonly RawHeaderField[]): SipHeaders {
  const headers = new SipHeaders();
  for (const field of fields) {
    const name = canonicalHeaderName(field.name);
    if (!isListHeader(name)) {
      headers.append(name, field.value);
      continue;
    }
    const parts = splitTopLevel(field.value, ',');
    if (parts === null) throw badHeader(name, 'a quoted string or <...> is not closed');
    const strict = STRICT_LISTS.has(name.toLowerCase());
    for (const part of parts) {
      if (part === '') {
        if (strict) throw badHeader(name, 'it has an empty element between commas');
        continue;
      }
      headers.append(name, part);
    }
  }
  return headers;
}

function checkHeaders(head: StartLine, headers: SipHeaders): void {
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!headers.has(name)) {
      throw new SipParseError('SIP_MISSING_HEADER', `Missing ${name}`, `The message has no ${name} header, which every SIP request and response carries (RFC 3261 §8.1.1).`, name);
    }
  }
  const seen = new Map<string, number>();
  for (const field of headers) {
    const key = field.name.toLowerCase();
    if (!isSingleHeader(key)) continue;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 2) {
      if (key === 'content-length') {
        throw new SipParseError('SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length', 'The message has more than one Content-Length header.', 'Content-Length');
      }
      throw badHeader(field.name, 'it appears more than once, but only one is allowed');
    }
  }
  for (const value of headers.getAll('Via')) {
    if (parseVia(value) === null) throw badHeader('Via', `"${value.slice(0, 80)}" is not SIP/2.0/transport host[:port][;params]`);
  }
  for (const name of ['From', 'To']) {
    const value = headers.get(name)!;
    if (parseNameAddr(value) === null) throw badHeader(name, `"${value.slice(0, 80)}" is not a valid address`);
  }
  if (!isValidCallId(headers.get('Call-ID')!)) throw badHeader('Call-ID', 'it must be word[@word] with no spaces');
  const cseq = parseCSeq(headers.get('CSeq')!);
  if (cseq === null) throw badHeader('CSeq', 'it must be a number below 2^31 and a method');
  if (head.kind === 'request' && cseq.method !== head.method) {
    throw new SipParseError('SIP_CSEQ_MISMATCH', 'CSeq Method Mismatch', `The CSeq method ${cseq.method} is not the request method ${head.method}.`, 'CSeq');
  }
  const maxForwards = headers.get('Max-Forwards');
  if (maxForwards !== undefined && parseMaxForwards(maxForwards) === null) throw badHeader('Max-Forwards', 'it must be a number from 0 to 255');
  const expires = headers.get('Expires');
  if (expires !== undefined && parseDeltaSeconds(expires) === null) throw badHeader('Expires', 'it must be a number of seconds below 2^32');
  const contacts = headers.getAll('Contact');
  for (const value of contacts) {
    if (value === '*') {
      if (contacts.length > 1) throw badHeader('Contact', '"*" must be the only Contact');
    } else if (parseNameAddr(value) === null) {
      throw badHeader('Contact', `"${value.slice(0, 80)}" is not a valid address`);
    }
  }
  for (const name of ['Route', 'Record-Route']) {
    for (const value of headers.getAll(name)) {
      const address = parseNameAddr(value);
      if (address === null || !value.includes('<')) throw badHeader(name, `"${value.slice(0, 80)}" is not <uri>[;params]`);
    }
  }
  const contentType = headers.get('Content-Type');
  if (contentType !== undefined && !/^[A-Za-z0-9\-.!%*_+`'~]+[ \t]*\/[ \t]*[A-Za-z0-9\-.!%*_+`'~]+[ \t]*(;.*)?$/.test(contentType)) {
    throw badHeader('Content-Type', 'it must be type/subtype[;params]');
  }
}

function readBody(bytes: Uint8Array, bodyStart: number, headers: SipHeaders, transport: 'datagram' | 'stream'): Uint8Array {
  const available = bytes.length - bodyStart;
  const text = headers.get('Content-Length');
  if (text === undefined) {
    if (transport === 'stream') {
      throw new SipParseError('SIP_MISSING_HEADER', 'Missing Content-Length', 'A message on a stream transport (TCP, TLS) must carry Content-Length (RFC 3261 §18.3).', 'Content-Length');
    }
    return bytes.slice(bodyStart);
  }
  const length = parseContentLength(text);
  if (length === null) {
    throw new SipParseError('SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length', `Content-Length "${text.slice(0, 40)}" is not a number of bytes.`, 'Content-Length');
  }
  if (length > available) {
    throw new SipParseError('SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length', `Content-Length says ${length} bytes but only ${available} follow the headers.`, 'Content-Length');
  }
  return bytes.slice(bodyStart, bodyStart + length);
}
