/**
 * Header parameters: `;name`, `;name=value` after a header value
 * (generic-param, RFC 3261 §25.1). Values keep their wire form, quotes
 * included, so a parameter the stack does not understand goes back out
 * exactly as it came; `paramValue` gives the unquoted text.
 */
import { isToken, readQuotedString, splitTopLevel } from './grammar.js';

export interface HeaderParam {
  /** As received; compare with `sameName`. */
  name: string;
  /** Token, host or quoted-string (with its quotes); null for a flag such as `;lr`. */
  value: string | null;
}

const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
/** Via `received` and `maddr` may hold a bare IPv6 address (RFC 3261 §25.1), colons and all. */
const IPV6_ADDRESS = /^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$/;
/**
 * A token, plus UTF-8 beyond ASCII: RFC 4475 intmeth counts a Cyrillic
 * parameter value as valid, and rejecting it would gain nothing.
 */
const PARAM_VALUE = /^[A-Za-z0-9\-.!%*_+`'~\u0080-\uffff]+$/;

/**
 * Parses `;a=1;b;c="x;y"` (the leading `;` optional). Returns null when a
 * parameter is empty (`;;`), its name is not a token, or its value is neither
 * a token, an IPv6 reference nor a complete quoted-string.
 */
export function parseHeaderParams(text: string): HeaderParam[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const body = trimmed.startsWith(';') ? trimmed.slice(1) : trimmed;
  const pieces = splitTopLevel(body, ';');
  if (pieces === null) return null;
  const params: HeaderParam[] = [];
  for (const piece of pieces) {
    const equals = piece.indexOf('=');
    const name = (equals === -1 ? piece : piece.slice(0, equals)).trim();
    if (!isToken(name)) return null;
    if (equals === -1) {
      params.push({ name, value: null });
      continue;
    }
    const value = piece.slice(equals + 1).trim();
    if (!isParamValue(value)) return null;
    params.push({ name, value });
  }
  return params;
}

function isParamValue(value: string): boolean {
  if (value.startsWith('"')) {
    const quoted = readQuotedString(value, 0);
    return quoted !== null && quoted.end === value.length;
  }
  return PARAM_VALUE.test(value) || IPV6_REFERENCE.test(value) || IPV6_ADDRESS.test(value);
}

export function formatHeaderParams(params: readonly HeaderParam[]): string {
  return params.map((p) => (p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`)).join('');
}

/** Parameter names are case-insensitive (RFC 3261 §7.3.1). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function findParam(params: readonly HeaderParam[], name: string): HeaderParam | undefined {
  return params.find((p) => sameName(p.name, name));
}

/** The value with its quotes removed; `''` for a flag; undefined when absent. */
export function paramValue(params: readonly HeaderParam[], name: string): string | undefined {
  const param = findParam(params, name);
  if (param === undefined) return undefined;
  if (param.value === null) return '';
  if (param.value.startsWith('"')) return readQuotedString(param.value, 0)?.text ?? param.value;
  return param.value;
}

/** A copy of `params` with `name` set (replacing any earlier value) or removed when `value` is undefined. */
export function withParam(params: readonly HeaderParam[], name: string, value: string | null | undefined): HeaderParam[] {
  const rest = params.filter((p) => !sameName(p.name, name));
  return value === undefined ? rest : [...rest, { name, value }];
}
