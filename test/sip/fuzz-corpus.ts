/**
 * A deterministic corpus of malformed SIP messages (issue: "a fuzz corpus of
 * malformed SIP messages … leaves Portier answering the next valid OPTIONS").
 *
 * Every case names what it breaks, and where the answer over UDP is known
 * from RFC 3261 it says so: a request whose Via, From, To, Call-ID and CSeq
 * can still be read gets 400 (505 for another SIP version, §8.2.6), anything
 * else is dropped. Each case has its own Call-ID (`fuzz-<n>`) so an answer can
 * be matched to it. A seeded PRNG makes the random parts the same every run.
 */
import { SeededRandom } from '../support/seeded-random.js';

export interface FuzzCase {
  name: string;
  bytes: Uint8Array;
  udp: boolean;
  /** Also sent alone on a TCP connection. */
  tcp: boolean;
  callId: string;
  /** Over UDP: this status, no answer at all, any final answer, or not asserted. */
  answer: number | 'none' | 'final' | undefined;
  /** An INVITE whose SDP is the broken part: only reaches SDP parsing while incoming calls are allowed. */
  sdp?: boolean;
}

export interface CorpusOptions {
  /** host:port of the sender, for Via (with rport) and Contact. */
  sentBy: string;
  seed?: number;
  /** Goes into every Call-ID and branch, so a corpus sent again is new transactions, not retransmissions. */
  run?: string;
}

const HOST = '127.0.0.1';
/** The largest UDP payload IPv4 can carry. */
export const MAX_UDP_PAYLOAD = 65_507;

const SDP = ['v=0', `o=fuzz 1 1 IN IP4 ${HOST}`, 's=-', `c=IN IP4 ${HOST}`, 't=0 0', 'm=audio 40000 RTP/AVP 8 0', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');

interface Parts {
  method: string;
  startLine?: string;
  headers: string[];
  body: string;
}

function request(method: string, callId: string, sentBy: string, body = '', extra: string[] = []): Parts {
  return {
    method,
    headers: [
      `Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bK-${callId};rport`,
      'Max-Forwards: 70',
      `From: "Fuzz" <sip:fuzz@${HOST}>;tag=t-${callId}`,
      `To: <sip:portier@${HOST}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:fuzz@${sentBy}>`,
      ...(body === '' ? [] : ['Content-Type: application/sdp']),
      ...extra,
      `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    ],
    body,
  };
}

function text(parts: Parts): string {
  return [parts.startLine ?? `${parts.method} sip:portier@${HOST} SIP/2.0`, ...parts.headers, '', parts.body].join('\r\n');
}

const latin1 = (value: string): Uint8Array => Buffer.from(value, 'latin1');

/** Replaces the first header line whose name is `name` (case-insensitive); `null` removes it. */
function withHeader(parts: Parts, name: string, line: string | null): Parts {
  const index = parts.headers.findIndex((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  const headers = [...parts.headers];
  if (line === null) headers.splice(index, 1);
  else headers[index] = line;
  return { ...parts, headers };
}

export function buildFuzzCorpus(options: CorpusOptions): FuzzCase[] {
  const seeded = new SeededRandom(options.seed ?? 0x5eed);
  const random = (): number => seeded.next();
  const { sentBy } = options;
  const cases: FuzzCase[] = [];
  let n = 0;
  const nextId = () => `fuzz-${options.run ?? '0'}-${++n}`;
  const add = (name: string, build: (callId: string) => Uint8Array | string, answer: FuzzCase['answer'], where: { udp?: boolean; tcp?: boolean; sdp?: boolean } = {}) => {
    const callId = nextId();
    const built = build(callId);
    cases.push({ name, bytes: typeof built === 'string' ? latin1(built) : built, udp: where.udp ?? true, tcp: where.tcp ?? false, callId, answer, ...(where.sdp ? { sdp: true } : {}) });
  };
  const options_ = (callId: string, extra: string[] = []) => request('OPTIONS', callId, sentBy, '', extra);

  // Truncations of a valid INVITE: at every class of place a cut can fall.
  const invite = (callId: string) => text(request('INVITE', callId, sentBy, SDP));
  const cutAt = (name: string, offset: (full: string) => number) => {
    const callId = nextId();
    const full = invite(callId);
    const at = Math.max(0, Math.min(full.length, offset(full)));
    const headerEnd = full.indexOf('\r\n\r\n');
    // Without the blank line nothing can be read; with it, the body is short of Content-Length: 400.
    const answer = at < 4 ? 'none' : at >= headerEnd + 4 && at < full.length ? 400 : at >= full.length ? 403 : 'none';
    cases.push({ name: `truncated ${name} (at ${at} of ${full.length})`, bytes: latin1(full.slice(0, at)), udp: true, tcp: true, callId, answer });
  };
  cutAt('to nothing', () => 0);
  cutAt('inside the method', () => 3);
  cutAt('after the method', () => 7);
  cutAt('inside the Request-URI', () => 15);
  cutAt('before the version', (f) => f.indexOf(' SIP/2.0') + 1);
  cutAt('inside the version', (f) => f.indexOf('SIP/2.0') + 5);
  cutAt('between CR and LF of the start line', (f) => f.indexOf('\r\n') + 1);
  cutAt('after the start line', (f) => f.indexOf('\r\n') + 2);
  for (const header of ['Via', 'Max-Forwards', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Type', 'Content-Length']) {
    const start = (f: string) => f.indexOf(`\r\n${header}:`) + 2;
    cutAt(`inside the ${header} name`, (f) => start(f) + Math.ceil(header.length / 2));
    cutAt(`after the ${header} colon`, (f) => start(f) + header.length + 1);
    cutAt(`inside the ${header} value`, (f) => start(f) + header.length + 2 + Math.floor((f.indexOf('\r\n', start(f)) - start(f) - header.length - 2) / 2));
    cutAt(`after the ${header} line`, (f) => f.indexOf('\r\n', start(f)) + 2);
  }
  cutAt('inside the blank line', (f) => f.indexOf('\r\n\r\n') + 3);
  cutAt('right after the blank line', (f) => f.indexOf('\r\n\r\n') + 4);
  for (const line of SDP.split('\r\n').slice(0, -2)) cutAt(`after the SDP line ${line.slice(0, 12)}`, (f) => f.indexOf(`${line}\r\n`) + line.length + 2);
  cutAt('one byte short of the body', (f) => f.length - 1);
  cutAt('nowhere (complete)', (f) => f.length);
  for (let i = 0; i < 24; i++) {
    const fraction = random();
    cutAt(`at a random point #${i}`, (f) => 4 + Math.floor(fraction * (f.length - 4)));
  }

  // Oversized.
  add('70 KiB body over TCP', (id) => text(request('MESSAGE', id, sentBy, 'x'.repeat(70 * 1024))).replace('application/sdp', 'text/plain'), undefined, { udp: false, tcp: true });
  add('1 MiB of headers with no end over TCP', (id) => `OPTIONS sip:portier@${HOST} SIP/2.0\r\nCall-ID: ${id}\r\n${'X-Fuzz: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1024 * 1024 / 96)}`, undefined, { udp: false, tcp: true });
  add('the largest UDP datagram', (id) => {
    const head = text(options_(id, ['X-Pad: ']));
    return head.replace('X-Pad: ', `X-Pad: ${'p'.repeat(MAX_UDP_PAYLOAD - head.length)}`);
  }, undefined);
  add('500 headers', (id) => text(options_(id, Array.from({ length: 500 }, (_, i) => `X-Fuzz-${i}: ${i}`))), undefined, { tcp: true });
  add('a 20 KiB header line', (id) => text(options_(id, [`Subject: ${'s'.repeat(20 * 1024)}`])), undefined, { tcp: true });
  add('a 20 KiB Via', (id) => text(withHeader(options_(id), 'Via', `Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bK-${id};rport;x=${'v'.repeat(20 * 1024)}`)), undefined, { tcp: true });
  add('200 Via headers', (id) => text({ ...options_(id), headers: [...Array.from({ length: 200 }, (_, i) => `Via: SIP/2.0/UDP 192.0.2.${i % 250}:5060;branch=z9hG4bK-${i}`), ...options_(id).headers] }), undefined);

  // Bad start lines.
  add('start line without a version', (id) => text({ ...options_(id), startLine: `OPTIONS sip:portier@${HOST}` }), 400, { tcp: true });
  add('SIP/3.0', (id) => text({ ...options_(id), startLine: `OPTIONS sip:portier@${HOST} SIP/3.0` }), 505, { tcp: true });
  add('SIP/2.1', (id) => text({ ...options_(id), startLine: `OPTIONS sip:portier@${HOST} SIP/2.1` }), 505);
  add('lower-case start line', (id) => text({ ...options_(id), startLine: `options sip:portier@${HOST} sip/2.0` }), 'final', { tcp: true });
  add('two spaces in the start line', (id) => text({ ...options_(id), startLine: `OPTIONS  sip:portier@${HOST} SIP/2.0` }), 400);
  add('tabs in the start line', (id) => text({ ...options_(id), startLine: `OPTIONS\tsip:portier@${HOST}\tSIP/2.0` }), undefined);
  add('a method that is not a token', (id) => text({ ...options_(id), startLine: `OPT{IONS sip:portier@${HOST} SIP/2.0` }), undefined);
  add('a status line with code 999', (id) => text({ ...options_(id), startLine: 'SIP/2.0 999 Nope' }), 'none');
  add('a status line with no code', (id) => text({ ...options_(id), startLine: 'SIP/2.0 OK' }), 'none');
  add('only the start line', () => `OPTIONS sip:portier@${HOST} SIP/2.0\r\n\r\n`, 'none', { tcp: true });
  add('an empty datagram', () => '', 'none');
  add('only CRLFs', () => '\r\n'.repeat(40), 'none', { tcp: true });
  add('CR without LF', () => '\r\r\r\r\r\r', 'none', { tcp: true });
  add('an HTTP request', () => `GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`, 'none', { tcp: true });
  add('a TLS ClientHello on the plain port', () => new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, ...Array.from({ length: 32 }, (_, i) => i)]), 'none', { tcp: true });
  for (let i = 0; i < 20; i++) {
    const length = 1 + Math.floor(random() * 1400);
    const bytes = new Uint8Array(length);
    for (let j = 0; j < length; j++) bytes[j] = Math.floor(random() * 256);
    add(`binary garbage #${i} (${length} bytes)`, () => bytes, 'none', { tcp: i < 5 });
  }

  // Bad Content-Length.
  add('negative Content-Length', (id) => text(withHeader(options_(id), 'Content-Length', 'Content-Length: -1')), 400, { tcp: true });
  add('non-numeric Content-Length', (id) => text(withHeader(options_(id), 'Content-Length', 'Content-Length: ten')), 400, { tcp: true });
  add('Content-Length of 2^64', (id) => text(withHeader(options_(id), 'Content-Length', 'Content-Length: 18446744073709551616')), 400, { tcp: true });
  add('Content-Length larger than the body', (id) => text(withHeader(options_(id), 'Content-Length', 'Content-Length: 500')), 400, { tcp: true });
  add('two different Content-Lengths', (id) => text({ ...options_(id), headers: [...options_(id).headers, 'Content-Length: 5'] }) + 'hello', 400, { tcp: true });
  add('two equal Content-Lengths', (id) => text({ ...options_(id), headers: [...options_(id).headers, 'Content-Length: 0'] }), 400, { tcp: true });
  add('compact l: and Content-Length disagreeing', (id) => text({ ...options_(id), headers: [...options_(id).headers, 'l: 3'] }) + 'abc', 400, { tcp: true });
  add('no Content-Length (fine on UDP, fatal on TCP)', (id) => text(withHeader(options_(id), 'Content-Length', null)), 200, { tcp: true });
  add('Content-Length shorter than the body', (id) => text(options_(id)) + 'trailing garbage', 200);
  add('Content-Length with a plus sign', (id) => text(withHeader(options_(id), 'Content-Length', 'Content-Length: +0')), 400, { tcp: true });

  // Header injection.
  add('a bare CR inside a header value', (id) => text(options_(id, ['Subject: hello\rVia: SIP/2.0/UDP 192.0.2.66;branch=z9hG4bK-evil'])), 'none', { tcp: true });
  add('a bare LF inside a header value', (id) => text(options_(id, ['Subject: hello\nVia: SIP/2.0/UDP 192.0.2.66;branch=z9hG4bK-evil'])), 'none', { tcp: true });
  add('a NUL inside a header value', (id) => text(options_(id, ['Subject: hel\0lo'])), 'final', { tcp: true });
  add('a NUL inside the Call-ID', (id) => text(withHeader(options_(id), 'Call-ID', `Call-ID: ${id}\0evil`)), undefined, { tcp: true });
  // A header block that cannot be read line by line is not answered: which lines are Via, From, … is not known.
  add('a NUL inside a header name', (id) => text(options_(id, ['Sub\0ject: hello'])), 'none');
  add('a folded line injecting a header', (id) => text(options_(id, ['Subject: hello\r\n Via: SIP/2.0/UDP 192.0.2.66;branch=z9hG4bK-evil'])), 200);
  add('%0D%0A in the Request-URI', (id) => text({ ...options_(id), startLine: `OPTIONS sip:portier%0D%0AVia:evil@${HOST} SIP/2.0` }), 'final');
  add('CRLF in a quoted display name', (id) => text(withHeader(options_(id), 'From', `From: "Fu\r\nX-Evil: 1" <sip:fuzz@${HOST}>;tag=t-${id}`)), undefined, { tcp: true });
  add('a header without a colon', (id) => text(options_(id, ['Subject hello'])), 'none');
  add('a header with an empty name', (id) => text(options_(id, [': hello'])), 'none');
  add('a header line starting with a space as the first header', (id) => {
    const parts = options_(id);
    return text({ ...parts, headers: [' X-Fold: continuation', ...parts.headers] });
  }, undefined);

  // Invalid URIs.
  for (const [name, uri] of [
    ['an empty sip: URI', 'sip:'],
    ['sip:@', 'sip:@'],
    ['a port above 65535', `sip:portier@${HOST}:99999`],
    ['a URI in angle brackets', `<sip:portier@${HOST}>`],
    ['URI headers in the Request-URI', `sip:portier@${HOST}?Subject=x`],
    ['an unterminated IPv6 reference', 'sip:portier@[::1'],
    ['a bad escape', `sip:por%zztier@${HOST}`],
    ['an http URI', 'http://example.com/'],
    ['a URI of 8 KiB', `sip:${'u'.repeat(8192)}@${HOST}`],
  ] as const) {
    add(`Request-URI: ${name}`, (id) => text({ ...options_(id), startLine: `OPTIONS ${uri} SIP/2.0` }), 'final');
  }
  add('a From that is not an address', (id) => text(withHeader(options_(id), 'From', `From: <sip:fuzz@${HOST};tag=t-${id}`)), 400);
  add('a To with an unclosed quote', (id) => text(withHeader(options_(id), 'To', `To: "Portier <sip:portier@${HOST}>`)), 400);
  add('a Contact with a bad URI', (id) => text(withHeader(options_(id), 'Contact', 'Contact: <sip:@:>')), 400);
  add('a Via with port 99999', (id) => text(withHeader(options_(id), 'Via', `Via: SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bK-${id}`)), 'none');
  add('a Via with rport=abc', (id) => text(withHeader(options_(id), 'Via', `Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bK-${id};rport=abc`)), 'none');
  add('a Via naming an unknown transport', (id) => text(withHeader(options_(id), 'Via', `Via: SIP/2.0/CARRIER-PIGEON ${sentBy};branch=z9hG4bK-${id};rport`)), undefined);
  add('a Via without a branch (RFC 2543)', (id) => text(withHeader(options_(id), 'Via', `Via: SIP/2.0/UDP ${sentBy};rport`)), undefined);

  // Missing mandatory headers: nothing to answer with.
  for (const header of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    add(`no ${header}`, (id) => text(withHeader(options_(id), header, null)), 'none', { tcp: true });
    add(`an empty ${header}`, (id) => text(withHeader(options_(id), header, `${header}:`)), header === 'Via' || header === 'Call-ID' ? undefined : 400);
  }
  add('two Call-IDs', (id) => text(options_(id, [`Call-ID: other-${id}`])), 400);
  add('two To headers', (id) => text(options_(id, [`To: <sip:other@${HOST}>`])), 400);

  // CSeq.
  add('a CSeq naming another method', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: 1 INVITE')), 400, { tcp: true });
  add('a CSeq without a method', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: 1')), 400);
  add('a CSeq without a number', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: OPTIONS')), 400);
  add('a CSeq of 2^31 - 1', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: 2147483647 OPTIONS')), 200);
  add('a CSeq of 2^31', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: 2147483648 OPTIONS')), 400);
  add('a CSeq of 40 digits', (id) => text(withHeader(options_(id), 'CSeq', `CSeq: ${'9'.repeat(40)} OPTIONS`)), 400);
  add('a negative CSeq', (id) => text(withHeader(options_(id), 'CSeq', 'CSeq: -1 OPTIONS')), 400);

  // Other scalar headers.
  add('Max-Forwards 256', (id) => text(withHeader(options_(id), 'Max-Forwards', 'Max-Forwards: 256')), 400);
  add('Max-Forwards 0', (id) => text(withHeader(options_(id), 'Max-Forwards', 'Max-Forwards: 0')), 'final');
  add('Expires of 2^40', (id) => text(options_(id, ['Expires: 1099511627776'])), 400);
  add('Contact * next to another', (id) => text(options_(id, ['Contact: *'])), 400);
  add('a Route without angle brackets', (id) => text(options_(id, [`Route: sip:proxy@${HOST};lr`])), 400);
  add('a Content-Type without a subtype', (id) => text(options_(id, ['Content-Type: application'])), 400);
  add('Require of an unknown extension', (id) => text(options_(id, ['Require: x-fuzz'])), 420);

  // Invalid UTF-8.
  add('invalid UTF-8 in a header value', (id) => text(options_(id, ['Subject: \xc3\x28 \xff\xfe \xed\xa0\x80'])), 'final', { tcp: true });
  add('invalid UTF-8 in the display name', (id) => text(withHeader(options_(id), 'From', `From: "\xff\xfe\xc0\xaf" <sip:fuzz@${HOST}>;tag=t-${id}`)), 'final');
  add('invalid UTF-8 in the Request-URI', (id) => text({ ...options_(id), startLine: `OPTIONS sip:\xff\xfe@${HOST} SIP/2.0` }), 'final');
  add('invalid UTF-8 in the Call-ID', (id) => text(withHeader(options_(id), 'Call-ID', `Call-ID: ${id}\xff\xfe`)), undefined);
  add('invalid UTF-8 in the body', (id) => text(request('MESSAGE', id, sentBy, '\xff\xfe\xfd\xc3\x28')).replace('application/sdp', 'text/plain'), 'final', { tcp: true });

  // Valid messages in the wrong place.
  add('a response to nothing', (id) => text({ ...options_(id), startLine: 'SIP/2.0 200 OK' }), 'none', { tcp: true });
  add('a 180 to nothing', (id) => text({ ...request('INVITE', id, sentBy), startLine: 'SIP/2.0 180 Ringing' }), 'none');
  add('an ACK to nothing', (id) => text(request('ACK', id, sentBy)), 'none', { tcp: true });
  add('a CANCEL to nothing', (id) => text(request('CANCEL', id, sentBy)), 481, { tcp: true });
  add('a BYE to no dialog', (id) => text(withHeader(request('BYE', id, sentBy), 'To', `To: <sip:portier@${HOST}>;tag=no-such-dialog`)), 481, { tcp: true });
  add('an INFO to no dialog', (id) => text(withHeader(request('INFO', id, sentBy), 'To', `To: <sip:portier@${HOST}>;tag=no-such-dialog`)), 481);
  add('a re-INVITE to no dialog', (id) => text(withHeader(request('INVITE', id, sentBy, SDP), 'To', `To: <sip:portier@${HOST}>;tag=no-such-dialog`)), 481);
  add('a PRACK to nothing', (id) => text(request('PRACK', id, sentBy)), 'final');
  // 501, not 405: §21.5.2, a method the UAS does not recognise at all.
  add('an unknown method', (id) => text(request('FUZZ', id, sentBy)), 501);

  // INVITEs with broken SDP: refused while incoming calls are off, and refused as offers when on.
  for (const [name, body] of [
    ['garbage SDP', 'this is not SDP at all \x00\xff'],
    ['an empty SDP body', ''],
    ['SDP with only v=0', 'v=0\r\n'],
    ['SDP without m= lines', SDP.replace(/m=.*\r\n/, '').replace(/a=.*\r\n/g, '')],
    ['SDP with port 0 only', SDP.replace('m=audio 40000', 'm=audio 0')],
    ['SDP with port 99999', SDP.replace('m=audio 40000', 'm=audio 99999')],
    ['SDP with no codec in common', SDP.replace('RTP/AVP 8 0', 'RTP/AVP 99').replace('a=rtpmap:8 PCMA/8000', 'a=rtpmap:99 opus/48000/2')],
    ['SDP with video only', SDP.replace('m=audio 40000 RTP/AVP 8 0', 'm=video 40000 RTP/AVP 96')],
    ['SDP with an impossible IPv4 c= address', SDP.replace(`c=IN IP4 ${HOST}`, 'c=IN IP4 999.1.1.1')],
    ['SDP with a c= of one field', SDP.replace(`c=IN IP4 ${HOST}`, 'c=IN')],
    ['SDP with a 10 000-digit port', SDP.replace('m=audio 40000', `m=audio ${'4'.repeat(10_000)}`)],
  ] as const) {
    add(`an INVITE with ${name}`, (id) => {
      const parts = request('INVITE', id, sentBy, body);
      return text(body === '' ? { ...parts, headers: [...parts.headers.slice(0, -1), 'Content-Type: application/sdp', parts.headers.at(-1)!] } : parts);
    }, 403, { tcp: true, sdp: true });
  }

  // Seeded mutations of a valid OPTIONS: flipped, deleted and repeated bytes and lines.
  for (let i = 0; i < 40; i++) {
    add(`OPTIONS with flipped bytes #${i}`, (id) => {
      const bytes = latin1(text(options_(id)));
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    }, undefined, { tcp: i < 10 });
  }
  for (let i = 0; i < 20; i++) {
    add(`OPTIONS with a byte range deleted #${i}`, (id) => {
      const full = text(options_(id));
      const start = Math.floor(random() * full.length);
      return full.slice(0, start) + full.slice(start + 1 + Math.floor(random() * 20));
    }, undefined);
  }
  for (let i = 0; i < 20; i++) {
    add(`OPTIONS with lines shuffled and repeated #${i}`, (id) => {
      const parts = options_(id);
      const headers = [...parts.headers];
      for (let k = 0; k < 3; k++) {
        const from = Math.floor(random() * headers.length);
        const to = Math.floor(random() * headers.length);
        if (random() < 0.5) headers.splice(to, 0, headers[from]!);
        else [headers[from], headers[to]] = [headers[to]!, headers[from]!];
      }
      return text({ ...parts, headers });
    }, undefined);
  }
  return cases;
}
