/**
 * Turns the lines between the start line and the blank line into header
 * fields: unfolds continuation lines (a line starting with SP or HTAB
 * continues the one before, and the line break plus indentation means one SP,
 * RFC 3261 §7.3.1), splits name from value at the first colon (whitespace may
 * precede it: RFC 4475 wsinv "TO :"), and enforces the count and length
 * limits before any of that text is looked at further.
 */
import { isToken } from './grammar.js';
import { SipParseError } from './sip-parse-error.js';

export interface RawHeaderField {
  /** The name as received. */
  name: string;
  /** The unfolded value, trimmed. */
  value: string;
}

export interface HeaderBlockLimits {
  maxHeaderCount: number;
  maxHeaderLineLength: number;
}

export function readHeaderFields(lines: readonly string[], limits: HeaderBlockLimits): RawHeaderField[] {
  const folded: string[] = [];
  for (const line of lines) {
    if (/[\r\n]/.test(line)) {
      throw new SipParseError('SIP_BAD_HEADER', 'Bad Header', 'A header line holds a lone CR or LF; SIP lines end with CRLF (RFC 3261 §7).');
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const previous = folded.pop();
      if (previous === undefined) {
        throw new SipParseError('SIP_MALFORMED_START_LINE', 'Bad Request Line', 'The line after the start line is indented, so it would continue the start line, which cannot be folded.');
      }
      folded.push(`${previous.trimEnd()} ${line.trimStart()}`);
    } else {
      folded.push(line);
      if (folded.length > limits.maxHeaderCount) {
        throw new SipParseError('SIP_TOO_MANY_HEADERS', 'Too Many Headers', `The message has more than ${limits.maxHeaderCount} header fields.`);
      }
    }
    const current = folded[folded.length - 1]!;
    if (current.length > limits.maxHeaderLineLength) {
      throw new SipParseError('SIP_HEADER_TOO_LONG', 'Header Too Long', `A header field is longer than ${limits.maxHeaderLineLength} characters.`);
    }
  }
  return folded.map(toField);
}

function toField(line: string): RawHeaderField {
  const colon = line.indexOf(':');
  if (colon === -1) {
    throw new SipParseError('SIP_BAD_HEADER', 'Bad Header', `The header line "${line.slice(0, 60)}" has no colon.`);
  }
  const name = line.slice(0, colon).trimEnd();
  if (!isToken(name)) {
    throw new SipParseError('SIP_BAD_HEADER', 'Bad Header', `"${name.slice(0, 60)}" is not a valid header name.`);
  }
  return { name, value: line.slice(colon + 1).trim() };
}
