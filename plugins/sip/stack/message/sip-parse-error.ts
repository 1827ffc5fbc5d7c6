/**
 * The one error the SIP message layer throws for bytes it will not accept.
 *
 * `code` is stable (for programs and logs); `reason` is a short phrase fit for
 * the reason phrase of the 400 (or 505) a server sends back, so the peer's
 * administrator sees what was wrong. When the bad message was a request whose
 * Via, From, To, Call-ID and CSeq could still be read, `request` carries them,
 * which is all RFC 3261 §8.2.6 needs to build that answer (see
 * `badRequestResponse`). Without them no answer is possible and the message is
 * dropped silently, as RFC 3261 §16.3 / §18.3 expect for garbage.
 */
import { PortierError } from 'portier/sdk';

export type SipParseErrorCode =
  /** The first line is neither a request line nor a status line. */
  | 'SIP_MALFORMED_START_LINE'
  /** SIP-Version other than SIP/2.0 (answer 505, RFC 3261 §8.2.2.3 / RFC 4475 badvers). */
  | 'SIP_UNSUPPORTED_VERSION'
  /** Content-Length missing on a stream, not a number, repeated with different values, or longer than the body. */
  | 'SIP_BAD_CONTENT_LENGTH'
  /** The message (or its header part) is larger than the configured limit. */
  | 'SIP_TOO_LARGE'
  /** More header fields than the configured limit. */
  | 'SIP_TOO_MANY_HEADERS'
  /** One header field line longer than the configured limit. */
  | 'SIP_HEADER_TOO_LONG'
  /** A header every request or response must carry is absent. */
  | 'SIP_MISSING_HEADER'
  /** A header field whose value breaks its grammar, or a single-valued header given twice. */
  | 'SIP_BAD_HEADER'
  /** The CSeq method is not the request method (RFC 4475 mismatch01/02). */
  | 'SIP_CSEQ_MISMATCH'
  /** A URI (Request-URI or inside a header) that breaks RFC 3261 §19.1 / §25. */
  | 'SIP_BAD_URI'
  /** Bytes end before the message does (no blank line after the headers). */
  | 'SIP_INCOMPLETE';

/** What a server needs to answer a bad request (RFC 3261 §8.2.6.1), as read from it. */
export interface AnswerableRequest {
  method: string;
  /** Via values, top first, exactly as received. */
  via: string[];
  from: string;
  to: string;
  callId: string;
  cseq: string;
}

export class SipParseError extends PortierError {
  declare readonly code: SipParseErrorCode;
  /** Reason phrase for the error response, e.g. "Bad Via". */
  readonly reason: string;
  /** The canonical name of the header at fault, when one is. */
  readonly header: string | undefined;
  /** Set when the message was a request that can be answered. */
  request: AnswerableRequest | undefined;

  constructor(code: SipParseErrorCode, reason: string, message: string, header?: string) {
    super(code, message);
    this.name = 'SipParseError';
    this.reason = reason;
    this.header = header;
    this.request = undefined;
  }
}

export function isSipParseError(error: unknown): error is SipParseError {
  return error instanceof SipParseError;
}

/** Shorthand for the common case: a header value that breaks its grammar. */
export function badHeader(header: string, detail: string): SipParseError {
  return new SipParseError('SIP_BAD_HEADER', `Bad ${header}`, `The ${header} header is malformed: ${detail}.`, header);
}
