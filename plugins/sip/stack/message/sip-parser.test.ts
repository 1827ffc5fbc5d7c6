import { describe, expect, it } from 'vitest';

import { parseSipMessage } from './sip-parser.js';
import { SipParseError } from './sip-parse-error.js';
import { serializeSipMessage } from './sip-serializer.js';
import type { SipMessage } from './sip-message.js';
import * as t from './test-support/rfc4475.js';

const HEAD = [
  'INVITE sip:door@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKabc;rport',
  'From: "Reception" <sip:reception@example.com>;tag=a1',
  'To: <sip:door@example.com>',
  'Call-ID: c1@192.0.2.20',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
];

function message(extra: string[] = [], body = ''): string {
  return t.crlf(...HEAD, ...extra, `Content-Length: ${t.bytes(body).length}`, '') + body;
}

function parse(text: string | Uint8Array, options: Parameters<typeof parseSipMessage>[1] = {}): SipMessage {
  return parseSipMessage(typeof text === 'string' ? t.bytes(text) : text, options);
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SipParseError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('parseSipMessage', () => {
  it('maps compact forms and any case to one canonical name', () => {
    const m = parse(
      t.crlf('OPTIONS sip:a@b SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 'f: <sip:x@y>;tag=1', 't: <sip:a@b>', 'i: id1', 'CSEQ: 2 OPTIONS', 'k: replaces', 'M: <sip:x@h>', 'o: dialog', 'u: talk', 'x: 1800', 'L: 0', ''),
    );
    expect([...m.headers].map((f) => f.name)).toEqual(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Supported', 'Contact', 'Event', 'Allow-Events', 'Session-Expires', 'Content-Length']);
    expect(m.headers.get('call-id')).toBe('id1');
    expect(m.headers.get('i')).toBe('id1');
  });

  it('unfolds continuation lines into one space', () => {
    const m = parse(message(['Subject: first', '\t second', '   third']));
    expect(m.headers.get('Subject')).toBe('first second third');
  });

  it('splits list headers on commas and keeps order across lines', () => {
    const m = parse(message(['Allow: INVITE, ACK', 'Allow: BYE', 'Supported: timer, ,100rel']));
    expect(m.headers.getAll('Allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(m.headers.getAll('Supported')).toEqual(['timer', '100rel']);
  });

  it('does not split a comma inside a quoted string, inside <>, or in WWW-Authenticate and unknown headers', () => {
    const m = parse(
      message([
        'Contact: "Doe, John" <sip:j@h;x=1>, <sip:k,l@h>',
        'WWW-Authenticate: Digest realm="a, b", nonce="n", qop="auth,auth-int"',
        'X-Custom: a, b',
      ]),
    );
    expect(m.headers.getAll('Contact')).toEqual(['"Doe, John" <sip:j@h;x=1>', '<sip:k,l@h>']);
    expect(m.headers.getAll('WWW-Authenticate')).toEqual(['Digest realm="a, b", nonce="n", qop="auth,auth-int"']);
    expect(m.headers.getAll('X-Custom')).toEqual(['a, b']);
  });

  it('accepts Contact: * alone and refuses it among other contacts', () => {
    expect(parse(message(['Contact: *'])).headers.get('Contact')).toBe('*');
    expect(codeOf(() => parse(message(['Contact: *, <sip:a@b>'])))).toBe('SIP_BAD_HEADER');
  });

  it('ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
    expect(parse(`\r\n\r\n${message()}`).kind).toBe('request');
  });

  it('refuses a lone LF inside a header block and a continuation of the start line', () => {
    expect(codeOf(() => parse(message(['Subject: a\nb'])))).toBe('SIP_BAD_HEADER');
    expect(codeOf(() => parse(message().replace('\r\nVia', '\r\n Via')))).toBe('SIP_MALFORMED_START_LINE');
  });

  it('refuses input with no blank line after the headers', () => {
    expect(codeOf(() => parse(message().slice(0, -4)))).toBe('SIP_INCOMPLETE');
  });

  describe('Content-Length', () => {
    it('on a datagram: absent means the rest of the packet; shorter truncates; longer is an error', () => {
      const withoutLength = t.crlf(...HEAD, '') + 'hello';
      expect(new TextDecoder().decode(parse(withoutLength).body)).toBe('hello');
      const shorter = t.crlf(...HEAD, 'Content-Length: 3', '') + 'hello';
      expect(new TextDecoder().decode(parse(shorter).body)).toBe('hel');
      const longer = t.crlf(...HEAD, 'Content-Length: 6', '') + 'hello';
      expect(codeOf(() => parse(longer))).toBe('SIP_BAD_CONTENT_LENGTH');
    });

    it('on a stream: required', () => {
      expect(codeOf(() => parse(t.crlf(...HEAD, ''), { transport: 'stream' }))).toBe('SIP_MISSING_HEADER');
    });

    it.each(['-1', '1.5', 'ten', '0x10', '', '99999999999999999999'])('refuses %j', (value) => {
      expect(codeOf(() => parse(t.crlf(...HEAD, `Content-Length: ${value}`, '')))).toBe('SIP_BAD_CONTENT_LENGTH');
    });

    it('counts bytes, not characters', () => {
      const m = parse(message([], 'größe'));
      expect(m.body.length).toBe(7);
    });
  });

  describe('limits', () => {
    it('refuses a message over maxMessageSize', () => {
      const big = message([], 'x'.repeat(70_000));
      expect(codeOf(() => parse(big))).toBe('SIP_TOO_LARGE');
      expect(parse(big, { maxMessageSize: 100_000 }).body.length).toBe(70_000);
    });

    it('refuses more header fields than maxHeaderCount', () => {
      const many = Array.from({ length: 200 }, (_, i) => `X-H${i}: ${i}`);
      expect(codeOf(() => parse(message(many)))).toBe('SIP_TOO_MANY_HEADERS');
      expect(parse(message(many), { maxHeaderCount: 300 }).headers.size).toBeGreaterThan(200);
    });

    it('refuses a header field longer than maxHeaderLineLength, folded or not', () => {
      expect(codeOf(() => parse(message([`Subject: ${'a'.repeat(9000)}`])))).toBe('SIP_HEADER_TOO_LONG');
      const folded = Array.from({ length: 100 }, () => ` ${'b'.repeat(90)}`);
      expect(codeOf(() => parse(message(['Subject: a', ...folded])))).toBe('SIP_HEADER_TOO_LONG');
      expect(codeOf(() => parse(message(['Subject: a', ...folded]), { maxHeaderLineLength: 20_000 }))).toBe('accepted');
    });
  });

  describe('start line', () => {
    it.each([
      ['INVITE sip:a@b SIP/2.0 extra', 'SIP_MALFORMED_START_LINE'],
      ['INVITE sip:a@b', 'SIP_MALFORMED_START_LINE'],
      ['INV ITE sip:a@b SIP/2.0', 'SIP_MALFORMED_START_LINE'],
      ['INVITE sip:a@b HTTP/1.1', 'SIP_MALFORMED_START_LINE'],
      ['INVITE sip:a@b SIP/3.0', 'SIP_UNSUPPORTED_VERSION'],
      ['INVITE sip:a@[::1 SIP/2.0', 'SIP_BAD_URI'],
      ['INVITE sip:a@b:99999 SIP/2.0', 'SIP_BAD_URI'],
      ['INVITE sip: SIP/2.0', 'SIP_BAD_URI'],
    ])('%j → %s', (line, code) => {
      const text = message().replace('INVITE sip:door@192.0.2.10 SIP/2.0', line);
      expect(codeOf(() => parse(text))).toBe(code);
    });

    it('reads status lines, with and without a reason', () => {
      const response = (line: string): string => t.crlf(line, ...HEAD.slice(1), 'Content-Length: 0', '');
      const ok = parse(response('SIP/2.0 180 Ringing'));
      expect(ok.kind === 'response' && [ok.status, ok.reason]).toEqual([180, 'Ringing']);
      const bare = parse(response('SIP/2.0 200'));
      expect(bare.kind === 'response' && bare.reason).toBe('');
      expect(codeOf(() => parse(response('SIP/2.0 20 OK')))).toBe('SIP_MALFORMED_START_LINE');
      expect(codeOf(() => parse(response('SIP/2.0 700 Nope')))).toBe('SIP_MALFORMED_START_LINE');
    });
  });

  describe('header checks', () => {
    it.each([
      ['Max-Forwards: 256', 'SIP_BAD_HEADER'],
      ['Expires: -1', 'SIP_BAD_HEADER'],
      ['Expires: 4294967296', 'SIP_BAD_HEADER'],
      ['Content-Type: sdp', 'SIP_BAD_HEADER'],
      ['Route: sip:proxy.example.com;lr', 'SIP_BAD_HEADER'],
      ['Record-Route: <sip:proxy.example.com;lr>,', 'SIP_BAD_HEADER'],
      ['Via: SIP/2.0/UDP h;branch=', 'SIP_BAD_HEADER'],
      ['Via: SIP/2.0/UDP h;rport=x', 'SIP_BAD_HEADER'],
      ['Via: SIP/2.0/UDP h;ttl=300', 'SIP_BAD_HEADER'],
      ['Call-ID: two words', 'SIP_BAD_HEADER'],
    ])('%j → %s', (line, code) => {
      const name = line.slice(0, line.indexOf(':'));
      const extra = name === 'Max-Forwards' || name === 'Call-ID' ? [] : [line];
      let text = message(extra);
      if (extra.length === 0) text = text.replace(new RegExp(`${name}: [^\\r]*`), line);
      expect(codeOf(() => parse(text))).toBe(code);
    });

    it('names the header at fault', () => {
      try {
        parse(message(['Expires: soon']));
      } catch (error) {
        expect((error as SipParseError).header).toBe('Expires');
        expect((error as SipParseError).reason).toBe('Bad Expires');
        expect((error as SipParseError).message).toContain('Expires');
      }
      expect.assertions(3);
    });
  });
});

describe('round trip: parse → serialize → parse', () => {
  const valid: Array<[string, Uint8Array]> = [
    ...(['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri', 'transports', 'unreason', 'noreason', 'bcast', 'bext01', 'regaut01', 'unkscm'] as const).map(
      (name): [string, Uint8Array] => [name, t.bytes(t[name])],
    ),
    ['mpart01', t.mpart01()],
  ];

  it.each(valid)('%s keeps its meaning', (_, bytes) => {
    const first = parseSipMessage(bytes);
    const wire = serializeSipMessage(first);
    const second = parseSipMessage(wire, { transport: 'stream' });
    expect(second.kind).toBe(first.kind);
    if (first.kind === 'request' && second.kind === 'request') expect([second.method, second.uri]).toEqual([first.method, first.uri]);
    if (first.kind === 'response' && second.kind === 'response') expect([second.status, second.reason]).toEqual([first.status, first.reason]);
    expect([...second.headers]).toEqual([...first.headers].map((f) => (f.name === 'Content-Length' ? { ...f, value: String(first.body.length) } : f)));
    expect(second.body).toEqual(first.body);
    // Canonical output is a fixed point.
    expect(serializeSipMessage(second)).toEqual(wire);
  });
});
