/**
 * Writes a message the canonical way: single spaces in the start line, one
 * line per header value in stored order with its canonical name, CRLF line
 * ends, and a Content-Length that is always the body's byte length (where the
 * message had one, else last).
 *
 * Nothing a caller puts in a name, value, method, URI or reason phrase can
 * end a line early: CR or LF anywhere is refused (header injection), as is a
 * header name that is not a token.
 */
import { PortierError } from 'portier/sdk';

import { hasLineBreak, isToken } from './grammar.js';
import type { SipMessage } from './sip-message.js';

export type SipSerializeErrorCode = 'SIP_HEADER_INJECTION' | 'SIP_BAD_HEADER_NAME' | 'SIP_BAD_START_LINE';

export class SipSerializeError extends PortierError {
  declare readonly code: SipSerializeErrorCode;

  constructor(code: SipSerializeErrorCode, message: string) {
    super(code, message);
    this.name = 'SipSerializeError';
  }
}

const encoder = new TextEncoder();

export function serializeSipMessage(message: SipMessage): Uint8Array {
  const head = encoder.encode(serializeHead(message));
  const out = new Uint8Array(head.length + message.body.length);
  out.set(head, 0);
  out.set(message.body, head.length);
  return out;
}

/** The start line and headers, ending with the blank line. */
export function serializeHead(message: SipMessage): string {
  const lines = [startLine(message)];
  let lengthWritten = false;
  for (const { name, value } of message.headers) {
    if (!isToken(name)) {
      throw new SipSerializeError('SIP_BAD_HEADER_NAME', `"${escapeForMessage(name)}" is not a valid SIP header name (letters, digits and -.!%*_+\`'~ only).`);
    }
    if (name.toLowerCase() === 'content-length') {
      if (!lengthWritten) lines.push(`Content-Length: ${message.body.length}`);
      lengthWritten = true;
      continue;
    }
    if (hasLineBreak(value)) {
      throw new SipSerializeError('SIP_HEADER_INJECTION', `The ${name} header value contains a line break; remove CR and LF from it.`);
    }
    lines.push(`${name}: ${value}`);
  }
  if (!lengthWritten) lines.push(`Content-Length: ${message.body.length}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function startLine(message: SipMessage): string {
  if (message.kind === 'request') {
    if (!isToken(message.method)) {
      throw new SipSerializeError('SIP_BAD_START_LINE', `"${escapeForMessage(message.method)}" is not a valid SIP method.`);
    }
    if (message.uri === '' || /[\s<>]/.test(message.uri)) {
      throw new SipSerializeError('SIP_BAD_START_LINE', `The Request-URI "${escapeForMessage(message.uri)}" is empty or holds whitespace or <>.`);
    }
    return `${message.method} ${message.uri} SIP/2.0`;
  }
  if (!Number.isInteger(message.status) || message.status < 100 || message.status > 699) {
    throw new SipSerializeError('SIP_BAD_START_LINE', `Status ${message.status} is not a SIP status code (100–699).`);
  }
  if (hasLineBreak(message.reason)) {
    throw new SipSerializeError('SIP_HEADER_INJECTION', 'The reason phrase contains a line break; remove CR and LF from it.');
  }
  return `SIP/2.0 ${message.status} ${message.reason}`;
}

function escapeForMessage(text: string): string {
  return JSON.stringify(text.slice(0, 60)).slice(1, -1);
}
