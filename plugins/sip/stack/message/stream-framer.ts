/**
 * Cuts a TCP or TLS byte stream into SIP messages (RFC 3261 §18.3): read to
 * the blank line, take Content-Length from the headers, wait for that many
 * body bytes. Chunks may split a message anywhere, or hold several.
 *
 * CRLFCRLF between messages is a keep-alive ping and a lone CRLF its pong
 * (RFC 5626 §3.5.1); both are reported so the connection can answer a ping.
 *
 * A message that is framed correctly but malformed inside is reported and
 * skipped: the next one starts right after it. When the framing itself is
 * lost (no Content-Length, a bad one, headers or body beyond the size limit)
 * nothing after it can be trusted: the error is reported as fatal, the
 * framer stops, and the connection should be closed (§18.3 says so for a
 * stream message without Content-Length).
 *
 * Memory stays below `maxMessageSize` plus one chunk; `push` never throws.
 */
import { readHeaderFields } from './header-block.js';
import { headerKey } from './header-names.js';
import { parseContentLength } from './scalar-headers.js';
import { SipParseError } from './sip-parse-error.js';
import { findHeaderEnd, parseSipMessage, resolveParseOptions, type ResolvedParseOptions, type SipParseOptions } from './sip-parser.js';
import type { SipMessage } from './sip-message.js';

export type StreamFramerEvent =
  | { kind: 'message'; message: SipMessage }
  | { kind: 'error'; error: SipParseError; fatal: boolean }
  /** `ping`: CRLFCRLF, answer with CRLF. `pong`: CRLF, the answer to our ping. */
  | { kind: 'keepalive'; type: 'ping' | 'pong' };

export type StreamFramerOptions = Omit<SipParseOptions, 'transport'>;

export class SipStreamFramer {
  private readonly options: ResolvedParseOptions;
  private buffer = new Uint8Array(0);
  /** Where the search for CRLFCRLF resumes, so a slow trickle is not rescanned. */
  private scanned = 0;
  private failed = false;

  constructor(options: StreamFramerOptions = {}) {
    this.options = resolveParseOptions({ ...options, transport: 'stream' });
  }

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** True after a fatal error; the framer then ignores input. */
  get isFailed(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): StreamFramerEvent[] {
    if (this.failed) return [];
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    const events: StreamFramerEvent[] = [];
    for (;;) {
      const event = this.next();
      if (event === null) break;
      events.push(event);
      if (event.kind === 'error' && event.fatal) break;
    }
    return events;
  }

  private next(): StreamFramerEvent | null {
    const b = this.buffer;
    if (b[0] === 13) {
      if (b.length < 2) return null;
      if (b[1] !== 10) return this.fail(new SipParseError('SIP_MALFORMED_START_LINE', 'Bad Request Line', 'A CR not followed by LF arrived between messages.'));
      if (b.length < 3) return null;
      if (b[2] !== 13) return this.consume(2, { kind: 'keepalive', type: 'pong' });
      if (b.length < 4) return null;
      if (b[3] === 10) return this.consume(4, { kind: 'keepalive', type: 'ping' });
      return this.consume(2, { kind: 'keepalive', type: 'pong' });
    }
    const { maxMessageSize } = this.options;
    const headerEnd = findHeaderEnd(b, Math.max(0, this.scanned - 3));
    if (headerEnd === -1) {
      this.scanned = b.length;
      if (b.length > maxMessageSize) {
        return this.fail(new SipParseError('SIP_TOO_LARGE', 'Message Too Large', `No end of headers within ${maxMessageSize} bytes.`));
      }
      return null;
    }
    const bodyStart = headerEnd + 4;
    const length = this.contentLength(b.subarray(0, headerEnd));
    if (length instanceof SipParseError) return this.fail(length);
    const total = bodyStart + length;
    if (total > maxMessageSize) {
      return this.fail(new SipParseError('SIP_TOO_LARGE', 'Message Too Large', `The message would be ${total} bytes; the limit is ${maxMessageSize}.`));
    }
    if (b.length < total) return null;
    const bytes = b.slice(0, total);
    try {
      return this.consume(total, { kind: 'message', message: parseSipMessage(bytes, this.options) });
    } catch (error) {
      const parseError = error instanceof SipParseError ? error : new SipParseError('SIP_BAD_HEADER', 'Bad Request', String(error));
      return this.consume(total, { kind: 'error', error: parseError, fatal: false });
    }
  }

  private contentLength(head: Uint8Array): number | SipParseError {
    try {
      const lines = new TextDecoder().decode(head).split('\r\n').slice(1);
      const fields = readHeaderFields(lines, this.options).filter((f) => headerKey(f.name) === 'content-length');
      if (fields.length === 0) {
        return new SipParseError('SIP_MISSING_HEADER', 'Missing Content-Length', 'A message on a stream transport must carry Content-Length (RFC 3261 §18.3); the connection cannot be read further.', 'Content-Length');
      }
      const values = new Set(fields.map((f) => parseContentLength(f.value)));
      const [length] = values;
      if (values.size !== 1 || length === null || length === undefined) {
        return new SipParseError('SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length', 'Content-Length is not one number of bytes; the connection cannot be read further.', 'Content-Length');
      }
      return length;
    } catch (error) {
      return error instanceof SipParseError ? error : new SipParseError('SIP_BAD_HEADER', 'Bad Header', String(error));
    }
  }

  private consume(count: number, event: StreamFramerEvent): StreamFramerEvent {
    this.buffer = this.buffer.slice(count);
    this.scanned = 0;
    return event;
  }

  private fail(error: SipParseError): StreamFramerEvent {
    this.failed = true;
    this.buffer = new Uint8Array(0);
    return { kind: 'error', error, fatal: true };
  }
}
