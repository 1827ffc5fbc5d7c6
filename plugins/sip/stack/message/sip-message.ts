/**
 * The SIP message model: a request or a response, its header fields in wire
 * order, and its body as bytes (Content-Length counts bytes, RFC 3261 §20.14).
 *
 * Each stored field holds one value: a list header received as
 * `Via: a, b` is stored as two Via fields, in order, which is what RFC 3261
 * §7.3.1 says it means. Names are stored canonical (`v` → `Via`).
 */
import { canonicalHeaderName, headerKey } from './header-names.js';

export interface SipHeaderField {
  /** Canonical full name, e.g. "Call-ID". */
  name: string;
  value: string;
}

export class SipHeaders implements Iterable<SipHeaderField> {
  private readonly fields: SipHeaderField[] = [];

  constructor(fields: Iterable<SipHeaderField> = []) {
    for (const field of fields) this.append(field.name, field.value);
  }

  /** The first value of `name` (any spelling or compact form). */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.fields.find((f) => f.name.toLowerCase() === key)?.value;
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    return this.fields.filter((f) => f.name.toLowerCase() === key).map((f) => f.value);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Adds a value after all others. */
  append(name: string, value: string): this {
    this.fields.push({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Adds a value before all others (a proxy's Via, a Record-Route). */
  prepend(name: string, value: string): this {
    this.fields.unshift({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Replaces every value of `name` with one, kept where the first one was (or appended). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const index = this.fields.findIndex((f) => f.name.toLowerCase() === key);
    if (index === -1) return this.append(name, value);
    this.remove(name);
    this.fields.splice(index, 0, { name: canonicalHeaderName(name), value });
    return this;
  }

  /** Removes every value of `name`; returns how many there were. */
  remove(name: string): number {
    const key = headerKey(name);
    let removed = 0;
    for (let i = this.fields.length - 1; i >= 0; i--) {
      if (this.fields[i]!.name.toLowerCase() === key) {
        this.fields.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  /** Removes the first value of `name` (a proxy popping its Via); returns it. */
  removeFirst(name: string): string | undefined {
    const key = headerKey(name);
    const index = this.fields.findIndex((f) => f.name.toLowerCase() === key);
    if (index === -1) return undefined;
    return this.fields.splice(index, 1)[0]!.value;
  }

  get size(): number {
    return this.fields.length;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields);
  }

  [Symbol.iterator](): Iterator<SipHeaderField> {
    return this.fields.map((f) => ({ ...f }))[Symbol.iterator]();
  }
}

export interface SipRequest {
  kind: 'request';
  /** Case-sensitive (RFC 3261 §7.1): "INVITE", or an extension method. */
  method: string;
  /** The Request-URI as text; `parseUri` reads it. */
  uri: string;
  headers: SipHeaders;
  body: Uint8Array;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Uint8Array;
}

export type SipMessage = SipRequest | SipResponse;

const EMPTY = new Uint8Array(0);

export function createRequest(method: string, uri: string, fields: Iterable<SipHeaderField> = [], body: Uint8Array = EMPTY): SipRequest {
  return { kind: 'request', method, uri, headers: new SipHeaders(fields), body };
}

export function createResponse(status: number, reason: string, fields: Iterable<SipHeaderField> = [], body: Uint8Array = EMPTY): SipResponse {
  return { kind: 'response', status, reason, headers: new SipHeaders(fields), body };
}
