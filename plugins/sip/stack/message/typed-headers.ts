/**
 * Typed reads of the headers the stack works with. A parsed message already
 * passed these checks; a message built by code may not have, so each read
 * throws the same SipParseError the parser would.
 */
import { paramValue } from './header-params.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';
import { parseCSeq, parseDeltaSeconds, parseMaxForwards, type CSeq } from './scalar-headers.js';
import { badHeader, SipParseError } from './sip-parse-error.js';
import type { SipMessage } from './sip-message.js';
import { parseVia, type Via } from './via.js';

function required(message: SipMessage, name: string): string {
  const value = message.headers.get(name);
  if (value === undefined) {
    throw new SipParseError('SIP_MISSING_HEADER', `Missing ${name}`, `The message has no ${name} header.`, name);
  }
  return value;
}

function address(name: string, value: string): NameAddr {
  const parsed = parseNameAddr(value);
  if (parsed === null) throw badHeader(name, `"${value.slice(0, 80)}" is not a valid address`);
  return parsed;
}

/** Every Via, top (most recent hop) first. */
export function getVias(message: SipMessage): Via[] {
  const values = message.headers.getAll('Via');
  if (values.length === 0) required(message, 'Via');
  return values.map((value) => {
    const via = parseVia(value);
    if (via === null) throw badHeader('Via', `"${value.slice(0, 80)}" is not a valid Via`);
    return via;
  });
}

export function getTopVia(message: SipMessage): Via {
  return getVias(message)[0]!;
}

export function getFrom(message: SipMessage): NameAddr {
  return address('From', required(message, 'From'));
}

export function getTo(message: SipMessage): NameAddr {
  return address('To', required(message, 'To'));
}

/** The `tag` parameter of a From or To address. */
export function getTag(value: NameAddr): string | undefined {
  return paramValue(value.params, 'tag');
}

export function getCallId(message: SipMessage): string {
  return required(message, 'Call-ID');
}

export function getCSeq(message: SipMessage): CSeq {
  const cseq = parseCSeq(required(message, 'CSeq'));
  if (cseq === null) throw badHeader('CSeq', 'it must be a number below 2^31 and a method');
  return cseq;
}

export function getMaxForwards(message: SipMessage): number | undefined {
  const value = message.headers.get('Max-Forwards');
  if (value === undefined) return undefined;
  const parsed = parseMaxForwards(value);
  if (parsed === null) throw badHeader('Max-Forwards', 'it must be a number from 0 to 255');
  return parsed;
}

export function getExpires(message: SipMessage): number | undefined {
  const value = message.headers.get('Expires');
  if (value === undefined) return undefined;
  const parsed = parseDeltaSeconds(value);
  if (parsed === null) throw badHeader('Expires', 'it must be a number of seconds below 2^32');
  return parsed;
}

/** The Contact addresses, or '*' for `Contact: *` (a REGISTER removing every binding, RFC 3261 §10.2.2). */
export function getContacts(message: SipMessage): NameAddr[] | '*' {
  const values = message.headers.getAll('Contact');
  if (values.length === 1 && values[0] === '*') return '*';
  return values.map((value) => address('Contact', value));
}

export function getRoutes(message: SipMessage, name: 'Route' | 'Record-Route' = 'Route'): NameAddr[] {
  return message.headers.getAll(name).map((value) => address(name, value));
}
