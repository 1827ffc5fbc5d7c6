import { describe, expect, it } from 'vitest';

import { BRANCH_MAGIC_COOKIE, generateBranch, generateCallId, generateTag, isRfc3261Branch } from './identifiers.js';
import { formatNameAddr, parseNameAddr } from './name-addr.js';
import { paramValue, parseHeaderParams, withParam } from './header-params.js';
import { formatCSeq, parseCSeq, parseMaxForwards } from './scalar-headers.js';
import { formatUri, parseSipUri, parseUri, uriParam, type SipUri } from './sip-uri.js';
import { SipParseError } from './sip-parse-error.js';
import { createVia, formatVia, parseVia } from './via.js';
import { isToken } from './grammar.js';

describe('SIP URIs', () => {
  it('reads every part', () => {
    const uri = parseSipUri('sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.0.0.1?Subject=hi%20there&Priority=urgent');
    expect(uri).toEqual({
      kind: 'sip',
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: '[2001:db8::1]',
      port: 5061,
      params: [
        { name: 'transport', value: 'tls' },
        { name: 'lr', value: null },
        { name: 'maddr', value: '239.0.0.1' },
      ],
      headers: [
        { name: 'Subject', value: 'hi there' },
        { name: 'Priority', value: 'urgent' },
      ],
    });
    expect(uriParam(uri, 'LR')).toBe('');
    expect(uriParam(uri, 'TRANSPORT')).toBe('tls');
  });

  it('takes the scheme in any case and other schemes as opaque', () => {
    expect(parseUri('SIP:door@example.com')?.kind).toBe('sip');
    expect(parseUri('tel:+1-201-555-0123')).toEqual({ kind: 'absolute', scheme: 'tel', rest: '+1-201-555-0123' });
    expect(parseUri('urn:service:sos')?.kind).toBe('absolute');
  });

  it.each([
    'sip:',
    'sip:@host',
    'sip:a@',
    'sip:a@host:port',
    'sip:a@host:65536',
    'sip:a@[::1',
    'sip:a@[zz::1]',
    'sip:a b@host',
    'sip:a@host;x=a b',
    'sip:a@host?noequals',
    'sip:a@-host',
    'sip:a%zz@host',
    '<sip:a@host>',
    'no-scheme',
    ':x',
    'x y:z',
  ])('refuses %j', (text) => {
    expect(parseUri(text)).toBeNull();
    if (text.startsWith('sip')) expect(() => parseSipUri(text)).toThrow(SipParseError);
  });

  it('escapes on output what each part may not hold, and reads it back the same', () => {
    const uri: SipUri = {
      kind: 'sip',
      scheme: 'sip',
      user: 'a b@c;d',
      password: 'p:w',
      host: 'example.com',
      port: undefined,
      params: [{ name: 'x', value: 'a;b=c' }],
      headers: [{ name: 'Subject', value: 'a&b=c' }],
    };
    const text = formatUri(uri);
    expect(text).toBe('sip:a%20b%40c;d:p%3Aw@example.com;x=a%3Bb%3Dc?Subject=a%26b%3Dc');
    expect(parseSipUri(text)).toEqual(uri);
  });

  it('formats IPv6 hosts with their port', () => {
    expect(formatUri(parseSipUri('sip:[::1]:5060'))).toBe('sip:[::1]:5060');
  });
});

describe('name-addr and addr-spec', () => {
  it('reads a display name, URI and parameters', () => {
    const address = parseNameAddr('"Front \\"Door\\"" <sip:door@example.com;transport=tcp>;tag=xyz;expires=60')!;
    expect(address.displayName).toBe('Front "Door"');
    expect((address.uri as SipUri).params).toEqual([{ name: 'transport', value: 'tcp' }]);
    expect(address.params).toEqual([
      { name: 'tag', value: 'xyz' },
      { name: 'expires', value: '60' },
    ]);
    expect(formatNameAddr(address)).toBe('"Front \\"Door\\"" <sip:door@example.com;transport=tcp>;tag=xyz;expires=60');
  });

  it('reads parameters after an addr-spec as header parameters', () => {
    const address = parseNameAddr('sip:door@example.com;tag=1')!;
    expect((address.uri as SipUri).params).toEqual([]);
    expect(paramValue(address.params, 'TAG')).toBe('1');
    expect(formatNameAddr(address)).toBe('<sip:door@example.com>;tag=1');
  });

  it('keeps quoted parameter values as they came and gives them unquoted on request', () => {
    const address = parseNameAddr('<sip:door@192.0.2.1>;+sip.instance="<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>"')!;
    expect(address.params[0]!.value).toBe('"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>"');
    expect(paramValue(address.params, '+sip.instance')).toBe('<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>');
  });

  it('quotes a display name only when it is not all tokens', () => {
    expect(formatNameAddr({ ...parseNameAddr('<sip:a@b>')!, displayName: 'Reception' })).toBe('Reception <sip:a@b>');
    expect(formatNameAddr({ ...parseNameAddr('<sip:a@b>')!, displayName: 'Doe, John' })).toBe('"Doe, John" <sip:a@b>');
    expect(formatNameAddr({ ...parseNameAddr('<sip:a@b>')!, displayName: '' })).toBe('"" <sip:a@b>');
  });

  it.each(['"unterminated <sip:a@b>', 'Doe, John <sip:a@b>', '< sip:a@b>', '<sip:a@b', 'sip:a@b?x=y', '<sip:a@b>;;', '<sip:a@b>;=1', '<sip:a@b>;a="x', ''])(
    'refuses %j',
    (text) => {
      expect(parseNameAddr(text)).toBeNull();
    },
  );
});

describe('header params', () => {
  it('adds, replaces and removes', () => {
    const params = parseHeaderParams(';a=1;b')!;
    expect(withParam(params, 'A', '2')).toEqual([
      { name: 'b', value: null },
      { name: 'A', value: '2' },
    ]);
    expect(withParam(params, 'b', undefined)).toEqual([{ name: 'a', value: '1' }]);
  });
});

describe('Via', () => {
  it('reads sent-by, branch, received, rport, maddr and ttl', () => {
    const via = parseVia('SIP/2.0/udp [2001:db8::9]:5070;branch=z9hG4bK77;received=192.0.2.1;rport=40000;maddr=224.2.0.1;ttl=16;alias')!;
    expect(via).toMatchObject({ transport: 'UDP', host: '[2001:db8::9]', port: 5070, branch: 'z9hG4bK77', received: '192.0.2.1', rport: 40000, maddr: '224.2.0.1', ttl: 16 });
    expect(via.extensions).toEqual([{ name: 'alias', value: null }]);
    expect(parseVia(formatVia(via))).toEqual(via);
  });

  it('takes a bare IPv6 address in received and maddr', () => {
    const via = parseVia('SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK1;received=2001:db8::7;maddr=ff02::1')!;
    expect([via.received, via.maddr]).toEqual(['2001:db8::7', 'ff02::1']);
  });

  it('builds the Via of an outgoing request', () => {
    const via = createVia('tcp', '192.0.2.7', 5060, 'z9hG4bKx');
    expect(formatVia(via)).toBe('SIP/2.0/TCP 192.0.2.7:5060;branch=z9hG4bKx;rport');
  });

  it.each(['SIP/2.0 host', 'SIP/2.0/UDP', 'SIP/2.0/UDP host;received=', 'SIP/2.0/UDP host:99999', 'SIP/2.0/UDP ho st'])('refuses %j', (text) => {
    expect(parseVia(text)).toBeNull();
  });
});

describe('CSeq and numbers', () => {
  it('reads and writes CSeq within 2^31', () => {
    expect(parseCSeq('0009 \t INVITE')).toEqual({ seq: 9, method: 'INVITE' });
    expect(formatCSeq({ seq: 2147483647, method: 'BYE' })).toBe('2147483647 BYE');
    expect(parseCSeq('2147483648 BYE')).toBeNull();
    expect(parseCSeq('1 BYE extra')).toBeNull();
    expect(parseMaxForwards('0')).toBe(0);
  });
});

describe('identifiers', () => {
  it('makes branches with the magic cookie, and tags and Call-IDs that are tokens and unique', () => {
    const branch = generateBranch();
    expect(branch.startsWith(BRANCH_MAGIC_COOKIE)).toBe(true);
    expect(isRfc3261Branch(branch)).toBe(true);
    expect(isRfc3261Branch('z9hG4bK')).toBe(false);
    expect(isRfc3261Branch('1234')).toBe(false);
    const tags = new Set(Array.from({ length: 100 }, generateTag));
    expect(tags.size).toBe(100);
    for (const tag of tags) expect(isToken(tag)).toBe(true);
    expect(generateCallId('192.0.2.1')).toMatch(/^[A-Za-z0-9_-]{22}@192\.0\.2\.1$/);
  });
});
