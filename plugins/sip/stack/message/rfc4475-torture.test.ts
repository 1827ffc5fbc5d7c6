/**
 * RFC 4475 torture messages that a parser can judge.
 *
 * Left to other layers, and so expected to parse here: badbranch (§3.2.1,
 * transaction layer matches RFC 2543-style branches), unkscm (§3.3.2, the UA
 * answers 416), regaut01 (§3.3.4, the registrar answers 401), bext01 (§3.3.7,
 * the UA answers 420), bcast (§3.3.11, the transport must not send to a
 * broadcast Via), and baddate (§3.1.2.12: Date is not used, and the RFC lets
 * an element accept it).
 */
import { describe, expect, it } from 'vitest';

import { badRequestResponse } from './bad-request.js';
import { getContacts, getCSeq, getFrom, getMaxForwards, getRoutes, getTag, getTo, getVias } from './typed-headers.js';
import { parseSipMessage } from './sip-parser.js';
import { SipParseError } from './sip-parse-error.js';
import type { SipMessage, SipRequest, SipResponse } from './sip-message.js';
import { parseUri, type SipUri } from './sip-uri.js';
import * as t from './test-support/rfc4475.js';

function parse(text: string, transport: 'datagram' | 'stream' = 'datagram'): SipMessage {
  return parseSipMessage(t.bytes(text), { transport });
}

function request(text: string): SipRequest {
  const message = parse(text);
  if (message.kind !== 'request') throw new Error('expected a request');
  return message;
}

function refusal(text: string, transport: 'datagram' | 'stream' = 'datagram'): SipParseError {
  try {
    parse(text, transport);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('the message was accepted');
}

function sipUri(text: string): SipUri {
  const uri = parseUri(text);
  if (uri?.kind !== 'sip') throw new Error(`not a SIP URI: ${text}`);
  return uri;
}

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('wsinv: folding, odd whitespace, compact forms, mixed case names', () => {
    const m = request(t.wsinv);
    expect(m.method).toBe('INVITE');
    expect(sipUri(m.uri).params).toEqual([{ name: 'unknownparam', value: null }]);
    expect(getTag(getTo(m))).toBe('1918181833n');
    const from = getFrom(m);
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(getTag(from)).toBe('98asjd8');
    expect(getMaxForwards(m)).toBe(68);
    expect(getCSeq(m)).toEqual({ seq: 9, method: 'INVITE' });
    const vias = getVias(m);
    expect(vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.headers.get('Subject')).toBe('');
    expect(m.headers.get('newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(m.headers.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    const route = getRoutes(m)[0]!;
    expect((route.uri as SipUri).params.map((p) => p.name)).toEqual(['lr', 'unknownwith', 'unknown-no-value']);
    const contacts = getContacts(m);
    expect(contacts).not.toBe('*');
    const [contact] = contacts as Exclude<typeof contacts, '*'>;
    expect(contact!.displayName).toBe('Quoted string ""');
    expect(contact!.params).toEqual([
      { name: 'newparam', value: 'newvalue' },
      { name: 'secondparam', value: null },
      { name: 'q', value: '0.33' },
    ]);
    expect(m.body.length).toBe(150);
  });

  it('intmeth: every legal character in method, URI, tokens and quoted strings', () => {
    const m = request(t.intmeth);
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const uri = sipUri(m.uri);
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(getTo(m).displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7F');
    const from = getFrom(m);
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(getTag(from)).toBe("_token~1'+`*%!-.");
    expect(m.headers.get('Call-ID')).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(getCSeq(m).method).toBe(m.method);
    expect(getMaxForwards(m)).toBe(255);
  });

  it('esc01: escapes in URIs decode to the same URI', () => {
    const m = request(t.esc01);
    expect(sipUri(m.uri).user).toBe('sips:user@example.com');
    expect((getTo(m).uri as SipUri).user).toBe('user');
    expect((getFrom(m).uri as SipUri).user).toBe('I have spaces');
    const [contact] = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
    const uri = contact!.uri as SipUri;
    expect(uri.user).toBe('caller');
    expect(uri.params).toEqual([
      { name: 'lr', value: null },
      { name: 'name', value: 'value%41' },
    ]);
    expect(m.headers.get('Content-Type')).toBe('application/sdp');
    expect(m.headers.get('call-id')).toBe('esc01.239409asdfakjkn23onasd0-3234');
  });

  it('escnull: %00 in a user part is a legal character', () => {
    const m = request(t.escnull);
    expect((getTo(m).uri as SipUri).user).toBe('null-\x00-null');
    const contacts = getContacts(m) as Exclude<ReturnType<typeof getContacts>, '*'>;
    expect(contacts.map((c) => (c.uri as SipUri).user)).toEqual(['\x00', '\x00\x00']);
  });

  it('esc02: % is not an escape in a method, a display name or a header name', () => {
    const m = request(t.esc02);
    expect(m.method).toBe('RE%47IST%45R');
    expect(getTo(m).displayName).toBe('%Z%45');
    expect(getVias(m)[0]!.branch).toBe('z9hG4bK209%fzsnel234');
    expect(m.headers.getAll('Contact')).toEqual(['<sip:alias1@host1.example.com>', '<sip:alias3@host3.example.com>']);
    expect(m.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  });

  it('lwsdisp: no whitespace between display name and <', () => {
    const from = getFrom(request(t.lwsdisp));
    expect(from.displayName).toBe('caller');
    expect((from.uri as SipUri).user).toBe('caller');
  });

  it('longreq: long values and 34 Via headers under every spelling of Via', () => {
    const m = request(t.longreq);
    expect(getVias(m)).toHaveLength(34);
    expect(getVias(m)[33]!.received).toBe('192.0.2.5');
    expect((getTo(m).uri as SipUri).port).toBe(6000);
    expect(getTag(getFrom(m))).toMatch(/^12(982)+424$/);
  });

  it('dblreq: octets beyond Content-Length in a datagram are dropped', () => {
    const m = request(t.dblreq);
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
  });

  it('semiuri: a ; in the user part of a Request-URI is not a parameter', () => {
    const m = request(t.semiuri);
    const uri = sipUri(m.uri);
    expect(uri.user).toBe('user;par=u@example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.params).toEqual([]);
    expect(m.headers.getAll('Accept')).toEqual(['application/sdp', 'application/pkcs7-mime', 'multipart/mixed', 'multipart/signed', 'message/sip', 'message/sipfrag']);
  });

  it('transports: known and unknown transports in Via', () => {
    expect(getVias(request(t.transports)).map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('mpart01: a binary multipart body stays bytes', () => {
    const message = parseSipMessage(t.mpart01());
    expect(message.headers.get('Content-Type')).toBe('multipart/mixed;boundary=7a9cbec02ceef655');
    const body = message.body;
    expect(body.includes(0)).toBe(true);
    expect(body.includes(255)).toBe(true);
    expect(getVias(message)[0]!.rport).toBe(true);
  });

  it('unreason: a UTF-8 reason phrase', () => {
    const m = parse(t.unreason) as SipResponse;
    expect(m.status).toBe(200);
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(m.body.length).toBe(154);
  });

  it('cparam01/cparam02: Contact parameters outside <> belong to the header, inside to the URI', () => {
    const outside = (getContacts(request(t.cparam01)) as Exclude<ReturnType<typeof getContacts>, '*'>)[0]!;
    expect(outside.params).toEqual([{ name: 'unknownparam', value: null }]);
    expect((outside.uri as SipUri).params).toEqual([]);
    const inside = (getContacts(request(t.cparam02)) as Exclude<ReturnType<typeof getContacts>, '*'>)[0]!;
    expect(inside.params).toEqual([]);
    expect((inside.uri as SipUri).params).toEqual([{ name: 'unknownparam', value: null }]);
  });

  it('regescrt: escaped headers in a Contact URI inside <> are legal', () => {
    const contact = (getContacts(request(t.regescrt)) as Exclude<ReturnType<typeof getContacts>, '*'>)[0]!;
    expect((contact.uri as SipUri).headers).toEqual([{ name: 'Route', value: '<sip:sip.example.com>' }]);
  });

  it('inv2543: an RFC 2543 INVITE (no Max-Forwards, branch, tag or Content-Length) parses on a datagram', () => {
    const m = request(t.inv2543);
    expect(getMaxForwards(m)).toBeUndefined();
    expect(getVias(m)[0]!.branch).toBeUndefined();
    expect(getTag(getTo(m))).toBeUndefined();
    expect(new TextDecoder().decode(m.body)).toContain('m=audio 49217 RTP/AVP 0');
  });

  it('noreason: an empty reason phrase', () => {
    const m = parse(t.noreason) as SipResponse;
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  });

  it.each([
    ['badbranch', t.badbranch],
    ['unkscm', t.unkscm],
    ['regaut01', t.regaut01],
    ['bext01', t.bext01],
    ['bcast', t.bcast],
    ['baddate', t.baddate],
  ].map(([name = '', text = '']) => ({ name, text })))('$name parses: what is wrong with it is for another layer', ({ text }) => {
    expect(() => parse(text)).not.toThrow();
  });
});

describe('RFC 4475 invalid messages are refused with a code', () => {
  it.each([
    ['badinv01', t.badinv01, 'SIP_BAD_HEADER', 'Bad Via'],
    ['clerr', t.clerr, 'SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length'],
    ['ncl', t.ncl, 'SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length'],
    ['scalar02', t.scalar02, 'SIP_BAD_HEADER', 'Bad CSeq'],
    ['quotbal', t.quotbal, 'SIP_BAD_HEADER', 'Bad To'],
    ['ltgtruri', t.ltgtruri, 'SIP_BAD_URI', 'Bad Request-URI'],
    ['lwsruri', t.lwsruri, 'SIP_MALFORMED_START_LINE', 'Bad Request Line'],
    ['lwsstart', t.lwsstart, 'SIP_MALFORMED_START_LINE', 'Bad Request Line'],
    ['trws', t.trws, 'SIP_MALFORMED_START_LINE', 'Bad Request Line'],
    ['escruri', t.escruri, 'SIP_BAD_URI', 'Bad Request-URI'],
    ['regbadct', t.regbadct, 'SIP_BAD_HEADER', 'Bad Contact'],
    ['badaspec', t.badaspec, 'SIP_BAD_HEADER', 'Bad To'],
    ['baddn', t.baddn, 'SIP_BAD_HEADER', 'Bad From'],
    ['badvers', t.badvers, 'SIP_UNSUPPORTED_VERSION', 'Version Not Supported'],
    ['mismatch01', t.mismatch01, 'SIP_CSEQ_MISMATCH', 'CSeq Method Mismatch'],
    ['mismatch02', t.mismatch02, 'SIP_CSEQ_MISMATCH', 'CSeq Method Mismatch'],
    ['insuf', t.insuf, 'SIP_MISSING_HEADER', 'Missing From'],
    ['multi01', t.multi01, 'SIP_BAD_HEADER', 'Bad CSeq'],
    ['mcl01', t.mcl01, 'SIP_BAD_CONTENT_LENGTH', 'Bad Content-Length'],
  ].map(([name = '', text = '', code = '', reason = '']) => ({ name, text, code, reason })))('$name → $code', ({ text, code, reason }) => {
    const error = refusal(text);
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
  });

  it('responses with bad scalars are refused and cannot be answered: scalarlg, bigcode', () => {
    expect(refusal(t.scalarlg).code).toBe('SIP_BAD_HEADER');
    expect(refusal(t.scalarlg).request).toBeUndefined();
    expect(refusal(t.bigcode).code).toBe('SIP_MALFORMED_START_LINE');
    expect(refusal(t.bigcode).request).toBeUndefined();
  });

  it('a refused request whose dialog headers are readable gets a 400 with the reason', () => {
    const error = refusal(t.mismatch01);
    const response = badRequestResponse(error, 'tag1')!;
    expect(response.status).toBe(400);
    expect(response.reason).toBe('CSeq Method Mismatch');
    expect(response.headers.get('Via')).toBe('SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw');
    expect(response.headers.get('To')).toBe('sip:j.user@example.com;tag=tag1');
    expect(response.headers.get('Call-ID')).toBe('mismatch01.dj0234sxdfl3');
    expect(response.headers.get('CSeq')).toBe('8 INVITE');
  });

  it('a malformed request line still gets its 400 (lwsruri), and another version a 505', () => {
    expect(badRequestResponse(refusal(t.lwsruri))?.status).toBe(400);
    expect(badRequestResponse(refusal(t.lwsruri))?.headers.get('To')).toBe('sip:user@example.com;tag=3xfe-9921883-z9f');
    expect(badRequestResponse(refusal(t.badvers))?.status).toBe(505);
  });

  it('a request without From cannot be answered (insuf)', () => {
    expect(badRequestResponse(refusal(t.insuf))).toBeNull();
  });
});
