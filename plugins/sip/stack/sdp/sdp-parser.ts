import { isIPv4, isIPv6 } from 'node:net';
/**
 * Parses SDP text (RFC 4566 §5). Lines may end in CRLF or a bare LF (§5:
 * parsers SHOULD accept both). Each line is `<letter>=<value>` with no space
 * around `=` (RFC 4475 dblreq's "m =video" is refused). v=0 must come first,
 * then o=. The line types RFC 4566 defines but the stack does not use
 * (i u e p b r z k) are kept so a round trip loses nothing; any other letter
 * makes the whole description unusable (§5: a parser MUST ignore a session
 * description with a type letter it does not understand), so it is refused.
 */
import { SdpError } from './sdp-error.js';
import type { SdpAttribute, SdpConnection, SdpMedia, SdpOrigin, SessionDescription } from './session-description.js';

/** More media sections than any intercom call needs; a bound so hostile input stays small. */
export const MAX_MEDIA_SECTIONS = 32;

const KEPT_TYPES = new Set(['i', 'u', 'e', 'p', 'b', 'r', 'z', 'k']);

function malformed(detail: string): SdpError {
  return new SdpError('SDP_MALFORMED', `The session description is malformed: ${detail}.`);
}

export function parseSdp(text: string): SessionDescription {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  let session: SessionDescription | undefined;
  let media: SdpMedia | undefined;
  let sawOrigin = false;
  let sawName = false;

  for (const [index, line] of lines.entries()) {
    const match = /^([a-z])=(.*)$/.exec(line);
    if (match === null) throw malformed(`line ${index + 1} "${line.slice(0, 40)}" is not <letter>=<value>`);
    const [, type = '', value = ''] = match;
    if (index === 0) {
      if (type !== 'v' || value !== '0') throw malformed('it must start with v=0');
      session = { version: 0, origin: undefined as unknown as SdpOrigin, sessionName: '', connection: undefined, timing: [], attributes: [], media: [], extraLines: [] };
      continue;
    }
    const s = session!;
    if (index === 1 && type !== 'o') throw malformed('o= must follow v=');
    switch (type) {
      case 'v':
        throw malformed('v= appears twice');
      case 'o':
        if (sawOrigin) throw malformed('o= appears twice');
        s.origin = parseOrigin(value);
        sawOrigin = true;
        break;
      case 's':
        if (media !== undefined || sawName) throw malformed('s= is misplaced or repeated');
        s.sessionName = value;
        sawName = true;
        break;
      case 'c':
        if (media === undefined) s.connection = parseConnection(value);
        else media.connection = parseConnection(value);
        break;
      case 't': {
        if (media !== undefined) throw malformed('t= inside a media section');
        const timing = /^(\d+) (\d+)$/.exec(value);
        if (timing === null) throw malformed(`t=${value.slice(0, 40)} is not two numbers`);
        s.timing.push({ start: timing[1]!, stop: timing[2]! });
        break;
      }
      case 'm':
        if (s.media.length >= MAX_MEDIA_SECTIONS) throw malformed(`more than ${MAX_MEDIA_SECTIONS} media sections`);
        media = parseMediaLine(value);
        s.media.push(media);
        break;
      case 'a':
        (media?.attributes ?? s.attributes).push(parseAttribute(value));
        break;
      default:
        if (!KEPT_TYPES.has(type)) throw malformed(`line type "${type}=" is not defined by RFC 4566`);
        (media?.extraLines ?? s.extraLines).push({ type, value });
    }
  }
  if (session === undefined) throw malformed('it is empty');
  if (!sawOrigin) throw malformed('it has no o= line');
  return session;
}

function parseOrigin(value: string): SdpOrigin {
  const parts = value.split(' ');
  if (parts.length !== 6) throw malformed(`o=${value.slice(0, 60)} does not have six fields`);
  const [username, sessionId, sessionVersion, netType, addrType, address] = parts as [string, string, string, string, string, string];
  if (!/^\d+$/.test(sessionId) || !/^\d+$/.test(sessionVersion)) throw malformed('the o= session id and version must be numbers');
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function parseConnection(value: string): SdpConnection {
  const parts = value.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw malformed(`c=${value.slice(0, 60)} is not "nettype addrtype address"`);
  const [netType, addrType, address] = parts as [string, string, string];
  // RFC 4566 §5.7: an IP address of the given type (a multicast one may carry /ttl), or a host name; RTP is sent to it, so nonsense is refused here.
  const host = address.split('/')[0]!;
  const ok =
    (addrType === 'IP4' && (isIPv4(host) || isHostName(host))) ||
    (addrType === 'IP6' && (isIPv6(host) || isHostName(host))) ||
    (addrType !== 'IP4' && addrType !== 'IP6');
  if (!ok || (/^\d+(\.\d+){3}$/.test(host) && !isIPv4(host))) throw malformed(`c=${value.slice(0, 60)}: "${host.slice(0, 45)}" is not an ${addrType} address`);
  return { netType, addrType, address };
}

function isHostName(text: string): boolean {
  return /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(text) && !/^[\d.]+$/.test(text);
}

function parseMediaLine(value: string): SdpMedia {
  const parts = value.split(' ');
  if (parts.length < 4 || parts.some((p) => p === '')) throw malformed(`m=${value.slice(0, 60)} is not "media port proto fmt…"`);
  const [type, portText, protocol, ...formats] = parts as [string, string, string, ...string[]];
  const port = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(portText);
  if (port === null || Number(port[1]) > 65535) throw malformed(`m= port "${portText}" is not a port`);
  return {
    type,
    port: Number(port[1]),
    portCount: port[2] === undefined ? undefined : Number(port[2]),
    protocol,
    formats,
    connection: undefined,
    attributes: [],
    extraLines: [],
  };
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  if (colon === -1) return { name: value, value: undefined };
  return { name: value.slice(0, colon), value: value.slice(colon + 1) };
}
