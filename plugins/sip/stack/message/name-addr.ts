/**
 * The address form of From, To, Contact, Route, Record-Route, Reply-To and
 * friends: `"Display" <uri>;param=value` (name-addr) or `uri;param=value`
 * (addr-spec), RFC 3261 §20.10 and §25.1.
 *
 * Strict points, each an RFC 4475 case: an unquoted display name is tokens
 * only (baddn: `Bell, Alexander` must be quoted); no whitespace just inside
 * the angle brackets (badaspec); a quote left open is an error (quotbal); in
 * addr-spec form the URI may not hold `,` `?` or `;`-parameters, because they
 * would be read as header parameters (§20, regbadct).
 */
import { formatHeaderParams, parseHeaderParams, type HeaderParam } from './header-params.js';
import { isToken, quoteString, readQuotedString, skipWhitespace } from './grammar.js';
import { formatUri, parseUri, type Uri } from './sip-uri.js';

export interface NameAddr {
  /** Unquoted, unescaped display name; undefined when there is none. */
  displayName: string | undefined;
  uri: Uri;
  /** Header parameters after the address (`tag`, `expires`, `q`, `lr` when outside <>, …). */
  params: HeaderParam[];
}

/** Parses one address; null when it breaks the grammar. */
export function parseNameAddr(value: string): NameAddr | null {
  const text = value.trim();
  let displayName: string | undefined;
  let index = 0;
  if (text.startsWith('"')) {
    const quoted = readQuotedString(text, 0);
    if (quoted === null) return null;
    displayName = quoted.text;
    index = skipWhitespace(text, quoted.end);
    if (text[index] !== '<') return null;
  } else {
    const open = text.indexOf('<');
    if (open !== -1) {
      const words = text.slice(0, open).trim();
      if (words !== '') {
        if (!words.split(/[ \t]+/).every(isToken)) return null;
        displayName = words.replace(/[ \t]+/g, ' ');
      }
      index = open;
    }
  }
  if (text[index] === '<') {
    const close = text.indexOf('>', index);
    if (close === -1) return null;
    const inner = text.slice(index + 1, close);
    if (inner !== inner.trim()) return null;
    const uri = parseUri(inner);
    if (uri === null) return null;
    const params = parseHeaderParams(text.slice(close + 1));
    if (params === null) return null;
    return { displayName, uri, params };
  }
  const semicolon = text.indexOf(';');
  const uriText = (semicolon === -1 ? text : text.slice(0, semicolon)).trim();
  if (/[,?\s]/.test(uriText)) return null;
  const uri = parseUri(uriText);
  if (uri === null) return null;
  const params = parseHeaderParams(semicolon === -1 ? '' : text.slice(semicolon));
  if (params === null) return null;
  return { displayName, uri, params };
}

/** Always writes the name-addr form (with <>), which is never ambiguous. */
export function formatNameAddr(address: NameAddr): string {
  const name = address.displayName === undefined ? '' : `${formatDisplayName(address.displayName)} `;
  return `${name}<${formatUri(address.uri)}>${formatHeaderParams(address.params)}`;
}

function formatDisplayName(name: string): string {
  const words = name.split(' ');
  return name !== '' && words.every(isToken) ? name : quoteString(name);
}
