/**
 * The generic syntax of WWW-Authenticate, Proxy-Authenticate, Authorization
 * and Proxy-Authorization (RFC 7235 §2.1, §4.1; RFC 3261 §25.1):
 * `Scheme name=token, name="quoted \"string\"", …`, and in the challenge
 * headers several challenges one after the other, separated by commas as well.
 * A new challenge starts where a token is followed by whitespace and another
 * token instead of `=`.
 */
import { DigestAuthError } from './digest-auth-error.js';

export interface AuthHeaderItem {
  /** As written; compare case-insensitively. */
  scheme: string;
  /** Parameter names in lower case; values unquoted and unescaped. */
  params: Map<string, string>;
  /** token68 form (e.g. Basic credentials), when the scheme used it. */
  token68: string | undefined;
}

const TOKEN_CHAR = /[A-Za-z0-9!#$%&'*+\-.^_`|~]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

function malformed(detail: string): DigestAuthError {
  return new DigestAuthError('DIGEST_MALFORMED', `The authentication header is malformed: ${detail}.`);
}

export function parseAuthHeader(value: string): AuthHeaderItem[] {
  const items: AuthHeaderItem[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (value[i] === ' ' || value[i] === '\t') i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < value.length && TOKEN_CHAR.test(value[i]!)) i++;
    return value.slice(start, i);
  };
  const skipCommas = (): void => {
    for (;;) {
      skipSpace();
      if (value[i] !== ',') return;
      i++;
    }
  };
  /** True when the text at i is `token =` (a parameter) rather than a new scheme. */
  const atParam = (): boolean => /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+[ \t]*=(?!=*[ \t]*(,|$))/.test(value.slice(i));

  skipCommas();
  while (i < value.length) {
    const scheme = readToken();
    if (scheme === '') throw malformed(`expected an authentication scheme at "${value.slice(i, i + 20)}"`);
    const item: AuthHeaderItem = { scheme, params: new Map(), token68: undefined };
    items.push(item);
    skipSpace();
    if (i < value.length && value[i] !== ',' && !atParam()) {
      const token68 = TOKEN68.exec(value.slice(i));
      if (token68 === null) throw malformed(`unexpected "${value.slice(i, i + 20)}" after ${scheme}`);
      item.token68 = token68[0];
      i += token68[0].length;
    }
    for (;;) {
      skipCommas();
      if (i >= value.length || !atParam()) break;
      const name = readToken().toLowerCase();
      skipSpace();
      i++; // '='
      skipSpace();
      let paramValue: string;
      if (value[i] === '"') {
        paramValue = '';
        i++;
        for (;;) {
          if (i >= value.length) throw malformed(`the value of ${name} has no closing quote`);
          const c = value[i]!;
          if (c === '\\') {
            if (i + 1 >= value.length) throw malformed(`the value of ${name} ends in a backslash`);
            paramValue += value[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else {
            paramValue += c;
            i++;
          }
        }
      } else {
        paramValue = readToken();
        if (paramValue === '') throw malformed(`${name} has no value`);
      }
      if (item.params.has(name)) throw malformed(`${name} appears twice in one ${scheme} item`);
      item.params.set(name, paramValue);
      skipSpace();
      if (i < value.length && value[i] !== ',') throw malformed(`unexpected "${value.slice(i, i + 20)}" after ${name}`);
    }
  }
  return items;
}

/** Writes a quoted-string, escaping `"` and `\`. */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
