/**
 * SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1), and other absolute URIs
 * (tel:, urn:, …) which SIP carries but does not look into.
 *
 * User, password, parameter and header parts are kept unescaped (so
 * `sip:%75ser@h` and `sip:user@h` compare equal, RFC 3261 §19.1.4, RFC 4475
 * esc01); `formatUri` escapes what each part may not hold literally.
 */
import { escapePercent, unescapePercent } from './grammar.js';
import { SipParseError } from './sip-parse-error.js';

export interface UriParam {
  name: string;
  /** null for a flag such as `;lr`. */
  value: string | null;
}

export interface UriHeader {
  name: string;
  value: string;
}

export interface SipUri {
  kind: 'sip';
  scheme: 'sip' | 'sips';
  user: string | undefined;
  password: string | undefined;
  /** Host name, IPv4 address, or IPv6 reference with its brackets (`[2001:db8::1]`). */
  host: string;
  port: number | undefined;
  params: UriParam[];
  headers: UriHeader[];
}

/** Any other scheme: kept as text, since SIP only routes on it. */
export interface AbsoluteUri {
  kind: 'absolute';
  scheme: string;
  /** Everything after `scheme:`. */
  rest: string;
}

export type Uri = SipUri | AbsoluteUri;

const ESCAPED = '%[0-9A-Fa-f]{2}';
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER = new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|${ESCAPED})+$`);
const PASSWORD = new RegExp(`^(?:[${UNRESERVED}&=+$,]|${ESCAPED})*$`);
const PARAM = new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|${ESCAPED})+$`);
const HEADER_PART = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESCAPED})*$`);
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9.])?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const ABSOLUTE_REST = /^[^\s<>"]+$/;

const USER_SAFE = new RegExp(`[${UNRESERVED}&=+$,;?/]`);
const PASSWORD_SAFE = new RegExp(`[${UNRESERVED}&=+$,]`);
const PARAM_SAFE = new RegExp(`[${UNRESERVED}\\[\\]/:&+$]`);
const HEADER_SAFE = new RegExp(`[${UNRESERVED}\\[\\]/?:+$]`);

/** Parses any URI SIP may carry; null when it breaks the grammar. */
export function parseUri(text: string): Uri | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  const scheme = text.slice(0, colon);
  if (!SCHEME.test(scheme)) return null;
  const lower = scheme.toLowerCase();
  if (lower === 'sip' || lower === 'sips') return parseSipParts(lower, text.slice(colon + 1));
  const rest = text.slice(colon + 1);
  if (!ABSOLUTE_REST.test(rest)) return null;
  return { kind: 'absolute', scheme, rest };
}

/** Parses a sip: or sips: URI, or throws SIP_BAD_URI. */
export function parseSipUri(text: string): SipUri {
  const uri = parseUri(text);
  if (uri === null || uri.kind !== 'sip') {
    throw new SipParseError('SIP_BAD_URI', 'Bad URI', `"${text.slice(0, 100)}" is not a valid sip: or sips: URI (RFC 3261 §19.1).`);
  }
  return uri;
}

function parseSipParts(scheme: 'sip' | 'sips', text: string): SipUri | null {
  // '@' cannot appear unescaped after the userinfo (params and headers exclude it), so the first one ends it.
  const at = text.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  let rest = text;
  if (at !== -1) {
    const userinfo = text.slice(0, at);
    rest = text.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (!USER.test(rawUser)) return null;
    user = unescapePercent(rawUser);
    if (colon !== -1) {
      const rawPassword = userinfo.slice(colon + 1);
      if (!PASSWORD.test(rawPassword)) return null;
      password = unescapePercent(rawPassword);
    }
  }
  const question = rest.indexOf('?');
  const headerText = question === -1 ? undefined : rest.slice(question + 1);
  const beforeHeaders = question === -1 ? rest : rest.slice(0, question);
  const semicolon = beforeHeaders.indexOf(';');
  const hostport = semicolon === -1 ? beforeHeaders : beforeHeaders.slice(0, semicolon);
  const paramText = semicolon === -1 ? undefined : beforeHeaders.slice(semicolon + 1);

  const hp = parseHostPort(hostport);
  if (hp === null) return null;
  const params: UriParam[] = [];
  if (paramText !== undefined) {
    for (const piece of paramText.split(';')) {
      const equals = piece.indexOf('=');
      const name = equals === -1 ? piece : piece.slice(0, equals);
      if (!PARAM.test(name)) return null;
      if (equals === -1) {
        params.push({ name: unescapePercent(name), value: null });
      } else {
        const value = piece.slice(equals + 1);
        if (!PARAM.test(value)) return null;
        params.push({ name: unescapePercent(name), value: unescapePercent(value) });
      }
    }
  }
  const headers: UriHeader[] = [];
  if (headerText !== undefined) {
    for (const piece of headerText.split('&')) {
      const equals = piece.indexOf('=');
      if (equals <= 0) return null;
      const name = piece.slice(0, equals);
      const value = piece.slice(equals + 1);
      if (!HEADER_PART.test(name) || !HEADER_PART.test(value)) return null;
      headers.push({ name: unescapePercent(name), value: unescapePercent(value) });
    }
  }
  return { kind: 'sip', scheme, user, password, host: hp.host, port: hp.port, params, headers };
}

/** host [":" port], where host may be an IPv6 reference. Also used for Via sent-by. */
export function parseHostPort(text: string): { host: string; port: number | undefined } | null {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return null;
    host = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return null;
      portText = after.slice(1);
    }
    if (!IPV6_REFERENCE.test(host)) return null;
  } else {
    const colon = text.indexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
    if (!HOSTNAME.test(host)) return null;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  return { host, port };
}

export function formatUri(uri: Uri): string {
  if (uri.kind === 'absolute') return `${uri.scheme}:${uri.rest}`;
  let text = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    text += escapePercent(uri.user, USER_SAFE);
    if (uri.password !== undefined) text += `:${escapePercent(uri.password, PASSWORD_SAFE)}`;
    text += '@';
  }
  text += uri.host;
  if (uri.port !== undefined) text += `:${uri.port}`;
  for (const p of uri.params) {
    text += `;${escapePercent(p.name, PARAM_SAFE)}`;
    if (p.value !== null) text += `=${escapePercent(p.value, PARAM_SAFE)}`;
  }
  if (uri.headers.length > 0) {
    text += `?${uri.headers.map((h) => `${escapePercent(h.name, HEADER_SAFE)}=${escapePercent(h.value, HEADER_SAFE)}`).join('&')}`;
  }
  return text;
}

/** The value of a URI parameter (names compare case-insensitively); '' for a flag; undefined when absent. */
export function uriParam(uri: SipUri, name: string): string | undefined {
  const param = uri.params.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (param === undefined) return undefined;
  return param.value ?? '';
}
