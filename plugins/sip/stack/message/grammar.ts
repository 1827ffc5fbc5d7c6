/**
 * The character classes and small scanners of the RFC 3261 §25 grammar that
 * several header parsers share. Everything works on header values that the
 * parser has already unfolded (every CRLF + whitespace turned into one SP).
 */

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** word: token characters plus the separators Call-ID allows (RFC 3261 §25.1). */
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isWord(text: string): boolean {
  return WORD.test(text);
}

export function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/**
 * Splits a header value at the commas that separate list elements, leaving
 * alone commas inside a quoted string, inside <...> (a URI may hold one) and
 * after a backslash in a quoted string. Returns null when a quote or an angle
 * bracket is left open, which is a grammar error for every list header.
 */
export function splitTopLevel(value: string, separator: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (angle) {
      if (c === '>') angle = false;
    } else if (c === '<') {
      angle = true;
    } else if (c === separator) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quoted || angle) return null;
  parts.push(value.slice(start).trim());
  return parts;
}

/**
 * Reads a quoted-string starting at `value[start]` (which must be `"`).
 * Returns the unescaped content and the index after the closing quote, or
 * null when the closing quote is missing.
 */
export function readQuotedString(value: string, start: number): { text: string; end: number } | null {
  if (value[start] !== '"') return null;
  let text = '';
  for (let i = start + 1; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === undefined) return null;
      text += next;
      i++;
    } else if (c === '"') {
      return { text, end: i + 1 };
    } else {
      text += c;
    }
  }
  return null;
}

/** Writes `text` as a quoted-string, escaping `"` and `\`. */
export function quoteString(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Skips SP and HTAB from `index`. */
export function skipWhitespace(value: string, index: number): number {
  let i = index;
  while (isWhitespace(value[i])) i++;
  return i;
}

/** Decodes %HH escapes; a `%` not followed by two hex digits is kept as is (RFC 4475 esc02 "%Z%45"). */
export function unescapePercent(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const hex = text.slice(i + 1, i + 3);
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of encoder.encode(c)) bytes.push(b);
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/** Encodes every character of `text` not matched by `allowed` as %HH (UTF-8). */
export function escapePercent(text: string, allowed: RegExp): string {
  let out = '';
  for (const c of text) {
    if (allowed.test(c)) {
      out += c;
    } else {
      for (const b of new TextEncoder().encode(c)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** True when `text` holds CR or LF, which would end a header line early on the wire (header injection). */
export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}
