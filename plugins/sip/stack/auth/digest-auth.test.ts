import { describe, expect, it } from 'vitest';

import { createResponse } from '../message/sip-message.js';
import { parseAuthHeader } from './auth-header.js';
import { DigestAuthError } from './digest-auth-error.js';
import { digestResponse, userHash } from './digest-algorithm.js';
import { parseDigestChallenges } from './digest-challenge.js';
import { chooseDigestChallenge, DigestClient } from './digest-client.js';
import { parseDigestCredentials } from './digest-credentials.js';
import { DigestVerifier } from './test-support/digest-verifier.js';

/** RFC 7616 §3.9.1. */
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};

const RFC7616_CHALLENGES = [
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`,
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`,
];

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DigestAuthError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('digest computation', () => {
  it('matches RFC 7616 §3.9.1 (MD5 and SHA-256)', () => {
    const input = { ...RFC7616, nc: '00000001', qop: 'auth' as const };
    expect(digestResponse({ ...input, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...input, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('matches RFC 2617 §3.5', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('computes the RFC 2069 form without qop, and -sess and auth-int variants that differ', () => {
    const input = { ...RFC7616, algorithm: 'MD5' as const, qop: undefined };
    const plain = digestResponse(input);
    expect(plain).toMatch(/^[0-9a-f]{32}$/);
    const withQop = { ...RFC7616, nc: '00000001', qop: 'auth' as const };
    expect(digestResponse({ ...withQop, algorithm: 'MD5-sess' })).not.toBe(digestResponse({ ...withQop, algorithm: 'MD5' }));
    const body = new TextEncoder().encode('v=0\r\n');
    expect(digestResponse({ ...withQop, algorithm: 'SHA-256', qop: 'auth-int', body })).not.toBe(digestResponse({ ...withQop, algorithm: 'SHA-256', qop: 'auth-int' }));
    expect(digestResponse({ ...withQop, algorithm: 'SHA-512-256' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the username for userhash (RFC 7616 §3.4.4)', () => {
    expect(userHash('SHA-256', 'Mufasa', 'http-auth@example.org')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('challenge parsing', () => {
  it('reads several challenges in one header, quoted strings with escapes and commas, and other schemes', () => {
    const value =
      'Basic realm="x", Digest realm="door \\"A\\", east", nonce="n1", algorithm=md5-SESS, qop="auth,auth-int", stale=TRUE, opaque="o", Digest realm="r2",nonce=n2';
    const items = parseAuthHeader(value);
    expect(items.map((i) => i.scheme)).toEqual(['Basic', 'Digest', 'Digest']);
    const [first, second] = parseDigestChallenges([value]);
    expect(first).toMatchObject({ realm: 'door "A", east', nonce: 'n1', algorithm: 'MD5-sess', qop: ['auth', 'auth-int'], stale: true, opaque: 'o' });
    expect(second).toMatchObject({ realm: 'r2', nonce: 'n2', algorithm: 'MD5', qop: undefined, stale: false });
  });

  it('reads token68 credentials', () => {
    expect(parseAuthHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')[0]!.token68).toBe('QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('keeps an unknown algorithm but marks it unusable', () => {
    const [challenge] = parseDigestChallenges(['Digest realm="r", nonce="n", algorithm=SHA3-999']);
    expect(challenge!.algorithm).toBeUndefined();
    expect(challenge!.algorithmName).toBe('SHA3-999');
  });

  it.each(['Digest realm="open', 'Digest realm="r", nonce', 'Digest nonce="n"', 'Digest realm="r", realm="s", nonce="n"', 'Digest realm="r" nonce="n"', '"quoted"'])(
    'refuses %j',
    (value) => {
      expect(codeOf(() => parseDigestChallenges([value]))).toBe('DIGEST_MALFORMED');
    },
  );
});

describe('DigestClient', () => {
  it('answers the RFC 7616 challenges with SHA-256, the strongest offered, and the RFC response', () => {
    const client = new DigestClient({ username: RFC7616.username, password: RFC7616.password, cnonce: () => RFC7616.cnonce });
    const header = client.authorize(RFC7616_CHALLENGES, { method: 'GET', uri: RFC7616.uri });
    expect(header.name).toBe('Authorization');
    expect(header.algorithm).toBe('SHA-256');
    const credentials = parseDigestCredentials(header.value);
    expect(credentials).toMatchObject({
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: RFC7616.cnonce,
      opaque: RFC7616.opaque,
      algorithm: 'SHA-256',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    });
  });

  it('uses MD5 when that is all it is allowed, and counts nc per nonce', () => {
    const client = new DigestClient({ username: RFC7616.username, password: RFC7616.password, algorithms: ['MD5'], cnonce: () => RFC7616.cnonce });
    const first = parseDigestCredentials(client.authorize(RFC7616_CHALLENGES, { method: 'GET', uri: RFC7616.uri }).value);
    expect(first.response).toBe('8ca523f5e9506fed4657c9700eebdbec');
    const second = parseDigestCredentials(client.reauthorize({ method: 'GET', uri: RFC7616.uri })!.value);
    expect(second.nc).toBe('00000002');
    const other = parseDigestCredentials(client.authorize(['Digest realm="r", nonce="fresh", qop="auth"'], { method: 'GET', uri: '/' }).value);
    expect(other.nc).toBe('00000001');
  });

  it('answers a 407 with Proxy-Authorization', () => {
    const response = createResponse(407, 'Proxy Authentication Required', [{ name: 'Proxy-Authenticate', value: 'Digest realm="proxy", nonce="p1", qop="auth"' }]);
    const header = new DigestClient({ username: 'door', password: 'pw' }).authorizeResponse(response, { method: 'INVITE', uri: 'sip:reception@example.com' });
    expect(header.name).toBe('Proxy-Authorization');
    expect(header.realm).toBe('proxy');
  });

  it('uses auth-int only when it is all that is offered, and the RFC 2069 form without qop', () => {
    const client = new DigestClient({ username: 'u', password: 'p' });
    expect(parseDigestCredentials(client.authorize(['Digest realm="r", nonce="n", qop="auth-int"'], { method: 'MESSAGE', uri: 'sip:a@b', body: new Uint8Array([1]) }).value).qop).toBe('auth-int');
    const legacy = parseDigestCredentials(client.authorize(['Digest realm="r", nonce="n"'], { method: 'REGISTER', uri: 'sip:b' }).value);
    expect([legacy.qop, legacy.nc, legacy.cnonce]).toEqual([undefined, undefined, undefined]);
  });

  it('sends a hashed username when asked', () => {
    const client = new DigestClient({ username: 'Mufasa', password: 'x' });
    const credentials = parseDigestCredentials(client.authorize(['Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256, userhash=true'], { method: 'REGISTER', uri: 'sip:r' }).value);
    expect(credentials.userhash).toBe(true);
    expect(credentials.username).toBe(userHash('SHA-256', 'Mufasa', 'r'));
  });

  it('refuses when no challenge is usable, saying what was offered', () => {
    const client = new DigestClient({ username: 'u', password: 'p', realm: 'mine' });
    expect(codeOf(() => client.authorize(['Digest realm="other", nonce="n"'], { method: 'REGISTER', uri: 'sip:r' }))).toBe('DIGEST_NO_USABLE_CHALLENGE');
    expect(codeOf(() => client.authorize(['Digest realm="mine", nonce="n", algorithm=SHA3'], { method: 'REGISTER', uri: 'sip:r' }))).toBe('DIGEST_NO_USABLE_CHALLENGE');
    expect(codeOf(() => client.authorize(['Digest realm="mine", nonce="n", qop="auth-conf"'], { method: 'REGISTER', uri: 'sip:r' }))).toBe('DIGEST_NO_USABLE_CHALLENGE');
    expect(codeOf(() => client.authorize(['Basic realm="mine"'], { method: 'REGISTER', uri: 'sip:r' }))).toBe('DIGEST_NO_USABLE_CHALLENGE');
    expect(client.reauthorize({ method: 'REGISTER', uri: 'sip:r' })).toBeUndefined();
  });

  it('ranks SHA-512-256 over SHA-256 over MD5, whatever the order offered', () => {
    const challenges = parseDigestChallenges(['Digest realm="r", nonce="1", algorithm=MD5', 'Digest realm="r", nonce="2", algorithm=SHA-512-256-sess', 'Digest realm="r", nonce="3", algorithm=SHA-256']);
    expect(chooseDigestChallenge(challenges)?.nonce).toBe('2');
  });
});

describe('DigestVerifier with DigestClient', () => {
  const users: Record<string, string> = { door: 's3cret' };
  const lookup = (username: string): string | undefined => users[username];
  const request = { method: 'REGISTER', uri: 'sip:portier.example.com' };

  function setup(now = { t: 1_000_000 }) {
    const verifier = new DigestVerifier({ realm: 'portier', now: () => now.t, nonceLifetimeMs: 60_000 });
    return { verifier, now };
  }

  it('offers SHA-256 then MD5 and accepts a right answer to either', () => {
    const { verifier } = setup();
    const challenges = verifier.challenge();
    expect(parseDigestChallenges(challenges).map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const algorithms of [['SHA-256'], ['MD5']] as const) {
      const client = new DigestClient({ username: 'door', password: 's3cret', algorithms });
      const header = client.authorize(challenges, request);
      expect(verifier.verify(header.value, request, lookup)).toEqual({ ok: true, username: 'door', algorithm: algorithms[0] });
    }
  });

  it('refuses a wrong password, an unknown user, another realm, a forged nonce and another URI', () => {
    const { verifier } = setup();
    const challenges = verifier.challenge();
    const answer = (username: string, password: string, uri = request.uri) => new DigestClient({ username, password }).authorize(challenges, { ...request, uri }).value;
    expect(verifier.verify(answer('door', 'wrong'), request, lookup)).toMatchObject({ ok: false, reason: 'wrong-response' });
    expect(verifier.verify(answer('nobody', 'x'), request, lookup)).toMatchObject({ ok: false, reason: 'unknown-user' });
    expect(verifier.verify(answer('door', 's3cret', 'sip:other'), request, lookup)).toMatchObject({ ok: false, reason: 'malformed' });
    const forged = new DigestClient({ username: 'door', password: 's3cret' }).authorize(['Digest realm="portier", nonce="AAAA", qop="auth", algorithm=SHA-256'], request).value;
    expect(verifier.verify(forged, request, lookup)).toMatchObject({ ok: false, reason: 'bad-nonce' });
    const elsewhere = new DigestClient({ username: 'door', password: 's3cret' }).authorize(['Digest realm="other", nonce="n", qop="auth"'], request).value;
    expect(verifier.verify(elsewhere, request, lookup)).toMatchObject({ ok: false, reason: 'wrong-realm' });
    expect(verifier.verify('Digest username="door"', request, lookup)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifier.verify('Basic ZG9vcjpzM2NyZXQ=', request, lookup)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a replayed nc and accepts the next one', () => {
    const { verifier } = setup();
    const client = new DigestClient({ username: 'door', password: 's3cret' });
    const first = client.authorize(verifier.challenge(), request).value;
    expect(verifier.verify(first, request, lookup).ok).toBe(true);
    expect(verifier.verify(first, request, lookup)).toMatchObject({ ok: false, reason: 'replay' });
    expect(verifier.verify(client.reauthorize(request)!.value, request, lookup).ok).toBe(true);
  });

  it('calls an expired nonce with the right password stale, and the client retries with the new one', () => {
    const { verifier, now } = setup();
    const client = new DigestClient({ username: 'door', password: 's3cret' });
    const old = client.authorize(verifier.challenge(), request).value;
    now.t += 61_000;
    expect(verifier.verify(old, request, lookup)).toEqual({ ok: false, reason: 'stale', stale: true });
    const fresh = verifier.challenge({ stale: true });
    expect(parseDigestChallenges(fresh)[0]!.stale).toBe(true);
    expect(verifier.verify(client.authorize(fresh, request).value, request, lookup).ok).toBe(true);
  });

  it('checks auth-int against the body', () => {
    const verifier = new DigestVerifier({ realm: 'portier', qop: ['auth-int'], algorithms: ['SHA-256-sess'] });
    const body = new TextEncoder().encode('hello');
    const message = { method: 'MESSAGE', uri: 'sip:door@portier', body };
    const value = new DigestClient({ username: 'door', password: 's3cret' }).authorize(verifier.challenge(), message).value;
    expect(verifier.verify(value, message, lookup).ok).toBe(true);
    expect(verifier.verify(value, { ...message, body: new TextEncoder().encode('hellO') }, lookup)).toMatchObject({ ok: false, reason: 'wrong-response' });
  });
});
