import { describe, expect, it } from 'vitest';

import { SipStreamFramer, type StreamFramerEvent } from './stream-framer.js';
import * as t from './test-support/rfc4475.js';

const OPTIONS = t.crlf(
  'OPTIONS sip:door@example.com SIP/2.0',
  'Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1',
  'From: <sip:a@example.com>;tag=1',
  'To: <sip:door@example.com>',
  'Call-ID: f1',
  'CSeq: 1 OPTIONS',
  'Content-Length: 5',
  '',
) + 'hello';

const BYE = t.crlf(
  'BYE sip:door@example.com SIP/2.0',
  'v: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK2',
  'f: <sip:a@example.com>;tag=1',
  't: <sip:door@example.com>;tag=2',
  'i: f1',
  'CSeq: 2 BYE',
  'l: 0',
  '',
);

function kinds(events: StreamFramerEvent[]): string[] {
  return events.map((e) => (e.kind === 'message' ? (e.message.kind === 'request' ? e.message.method : String(e.message.status)) : e.kind === 'error' ? `${e.error.code}${e.fatal ? '!' : ''}` : e.type));
}

describe('SipStreamFramer', () => {
  it('finds every message however the stream is cut', () => {
    const stream = t.bytes(`${OPTIONS}\r\n\r\n${BYE}${OPTIONS}`);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const framer = new SipStreamFramer();
      const events = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      expect(kinds(events)).toEqual(['OPTIONS', 'ping', 'BYE', 'OPTIONS']);
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('reads a byte at a time', () => {
    const framer = new SipStreamFramer();
    const events = [...t.bytes(OPTIONS + BYE)].flatMap((b) => framer.push(Uint8Array.of(b)));
    expect(kinds(events)).toEqual(['OPTIONS', 'BYE']);
    const first = events[0]!;
    expect(first.kind === 'message' && new TextDecoder().decode(first.message.body)).toBe('hello');
  });

  it('reports a CRLF pong', () => {
    expect(kinds(new SipStreamFramer().push(t.bytes(`\r\n${BYE}`)))).toEqual(['pong', 'BYE']);
  });

  it('skips a framed but malformed message and goes on', () => {
    const bad = BYE.replace('CSeq: 2 BYE', 'CSeq: 2 INVITE');
    expect(kinds(new SipStreamFramer().push(t.bytes(bad + OPTIONS)))).toEqual(['SIP_CSEQ_MISMATCH', 'OPTIONS']);
  });

  it('stops for good when Content-Length is missing, bad or too large', () => {
    const missing = new SipStreamFramer();
    expect(kinds(missing.push(t.bytes(BYE.replace('l: 0\r\n', '') + OPTIONS)))).toEqual(['SIP_MISSING_HEADER!']);
    expect(missing.isFailed).toBe(true);
    expect(missing.push(t.bytes(OPTIONS))).toEqual([]);
    expect(kinds(new SipStreamFramer().push(t.bytes(BYE.replace('l: 0', 'l: -1'))))).toEqual(['SIP_BAD_CONTENT_LENGTH!']);
    expect(kinds(new SipStreamFramer().push(t.bytes(BYE.replace('l: 0', 'l: 0\r\nContent-Length: 4'))))).toEqual(['SIP_BAD_CONTENT_LENGTH!']);
    expect(kinds(new SipStreamFramer().push(t.bytes(BYE.replace('l: 0', 'l: 70000'))))).toEqual(['SIP_TOO_LARGE!']);
  });

  it('does not hold more than the size limit while waiting for the end of the headers', () => {
    const framer = new SipStreamFramer({ maxMessageSize: 1000 });
    expect(framer.push(t.bytes(`OPTIONS sip:a@b SIP/2.0\r\nSubject: ${'x'.repeat(500)}`))).toEqual([]);
    expect(kinds(framer.push(t.bytes('y'.repeat(600))))).toEqual(['SIP_TOO_LARGE!']);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('waits for the body Content-Length promises (RFC 4475 clerr on a stream: the connection idle timeout ends it, not the framer)', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(t.bytes(t.clerr))).toEqual([]);
    expect(framer.bufferedBytes).toBe(t.bytes(t.clerr).length);
  });
});
