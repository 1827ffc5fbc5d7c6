import { afterEach, describe, expect, it } from 'vitest';
import { ADDRESS_POLICY, LoginThrottle, PAIR_POLICY, addressGroup } from '../../platform/http/auth/login-throttle.js';
import { PortierError } from '../../sdk/errors.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';
import { createUser, login } from '../support/auth-helpers.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const MINUTE = 60_000;

/** The TOO_MANY_ATTEMPTS error check() throws, or undefined when it lets the attempt through. */
function refusal(throttle: LoginThrottle, client: string, username: string): (PortierError & { retryAfterSeconds: number }) | undefined {
  try {
    throttle.check(client, username);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PortierError);
    return error as PortierError & { retryAfterSeconds: number };
  }
}

describe('LoginThrottle', () => {
  it('locks a (client, user) pair after 5 failures in 15 minutes, then doubles the wait on each further failure', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 4; i++) expect(throttle.fail('10.0.0.1', 'admin')).toBe(0);
    expect(refusal(throttle, '10.0.0.1', 'admin')).toBeUndefined();
    expect(throttle.fail('10.0.0.1', 'admin')).toBe(MINUTE);

    const locked = refusal(throttle, '10.0.0.1', 'Admin');
    expect(locked?.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked?.retryAfterSeconds).toBe(60);
    expect(locked?.message).toBe(
      'Too many failed sign-ins for "Admin" from this address. Try again in 60 seconds (after 2026-01-05T09:01:00Z); each further failure doubles the wait.',
    );
    // Only that pair, only that address.
    expect(refusal(throttle, '10.0.0.2', 'admin')).toBeUndefined();
    expect(refusal(throttle, '10.0.0.1', 'operator')).toBeUndefined();

    await clock.advance(MINUTE);
    expect(refusal(throttle, '10.0.0.1', 'admin')).toBeUndefined();
    expect(throttle.fail('10.0.0.1', 'admin')).toBe(2 * MINUTE);
    await clock.advance(2 * MINUTE);
    expect(throttle.fail('10.0.0.1', 'admin')).toBe(4 * MINUTE);
    expect(refusal(throttle, '10.0.0.1', 'admin')?.message).toContain('Try again in 4 minutes');
    for (let wait = 4 * MINUTE; wait < 60 * MINUTE; wait *= 2) {
      await clock.advance(wait);
      throttle.fail('10.0.0.1', 'admin');
    }
    await clock.advance(60 * MINUTE);
    expect(throttle.fail('10.0.0.1', 'admin')).toBe(60 * MINUTE); // capped
  });

  it('clears a pair on success, and forgets it after an hour of quiet', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 4; i++) throttle.fail('10.0.0.1', 'admin');
    throttle.succeed('10.0.0.1', 'admin');
    for (let i = 0; i < 4; i++) expect(throttle.fail('10.0.0.1', 'admin')).toBe(0);

    throttle.fail('10.0.0.1', 'admin'); // locked, level 1
    await clock.advance(MINUTE + 60 * MINUTE);
    for (let i = 0; i < 4; i++) expect(throttle.fail('10.0.0.1', 'admin')).toBe(0);
    expect(throttle.fail('10.0.0.1', 'admin')).toBe(MINUTE); // back to the first lock's length
  });

  it('caps failures per address over all usernames (spraying), without a success resetting it', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 19; i++) expect(throttle.fail('10.0.0.9', `user${i}`)).toBe(0);
    throttle.succeed('10.0.0.9', 'user0');
    expect(throttle.fail('10.0.0.9', 'user19')).toBe(MINUTE);
    const locked = refusal(throttle, '10.0.0.9', 'admin');
    expect(locked?.message).toMatch(/^Too many failed sign-ins from this address\. Try again in 60 seconds/);
    expect(refusal(throttle, '10.0.0.10', 'admin')).toBeUndefined();
  });

  it('counts an IPv6 /64 as one address for the cap, but keeps pairs per full address', () => {
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');

    const throttle = new LoginThrottle(new FakeClock());
    for (let i = 0; i < 5; i++) throttle.fail('2001:db8:1:2::1', 'admin');
    expect(refusal(throttle, '2001:db8:1:2::1', 'admin')).toBeDefined();
    expect(refusal(throttle, '2001:db8:1:2::2', 'admin')).toBeUndefined();
    for (let i = 0; i < 15; i++) throttle.fail(`2001:db8:1:2::${(i + 16).toString(16)}`, `user${i}`);
    expect(refusal(throttle, '2001:db8:1:2::beef', 'anyone')).toBeDefined();
    expect(refusal(throttle, '2001:db8:1:3::1', 'anyone')).toBeUndefined();
  });

  it('keeps memory bounded', async () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(clock, { pair: { ...PAIR_POLICY, maxKeys: 100 }, address: { ...ADDRESS_POLICY, maxKeys: 50 } });
    for (let i = 0; i < 1_000; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`, `user${i}`);
    expect(throttle.size()).toEqual({ pairs: 100, addresses: 50 });
    // Stale keys go as new failures arrive, not only when the bound is hit.
    await clock.advance(2 * 60 * MINUTE);
    throttle.fail('10.9.9.9', 'admin');
    expect(throttle.size()).toEqual({ pairs: 1, addresses: 1 });
  });
});

describe('login throttling over HTTPS', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('answers 429 with Retry-After to the address that failed, and only to it', async () => {
    const clock = new FakeClock(Date.now());
    p = await startTestPortier({ kernel: { clock } });
    await p.setUp();
    const wrong = { username: 'admin', password: 'not the password' };

    for (let i = 1; i <= 4; i++) {
      const reply = await p.request('GET', '/api/v1/users', { user: wrong });
      expect(reply.status).toBe(401);
      expect(reply.body.message).toBe('The username or password is wrong.');
    }
    // Session logins count against the same pair.
    const fifth = await p.request('POST', '/api/v1/session', { body: wrong });
    expect(fifth.status).toBe(401);
    expect(fifth.body).toMatchObject({
      code: 'AUTH_FAILED',
      message: 'The username or password is wrong. Too many failed attempts: sign-in from this address is blocked for 60 seconds.',
    });

    const locked = await p.request('GET', '/api/v1/users', { user: ADMIN });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.body.message).toMatch(/^Too many failed sign-ins for "admin" from this address\. Try again in 60 seconds \(after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
    const lockedSession = await p.request('POST', '/api/v1/session', { body: ADMIN });
    expect(lockedSession.status).toBe(429);
    expect(lockedSession.headers['retry-after']).toBe('60');

    // Another address (127.0.0.2, also loopback) is not locked out: nobody can lock the administrator out everywhere.
    const elsewhere = await p.request('GET', '/api/v1/users', { user: ADMIN, localAddress: '127.0.0.2' });
    expect(elsewhere.status).toBe(200);
    await login(p, ADMIN, '127.0.0.2');

    await clock.advance(30_000);
    expect((await p.request('GET', '/api/v1/users', { user: ADMIN })).headers['retry-after']).toBe('30');
    await clock.advance(30_000);
    expect((await p.request('GET', '/api/v1/users', { user: ADMIN })).status).toBe(200);
    // The success cleared the pair: the next mistake is an ordinary 401, not a doubled lock.
    const again = await p.request('GET', '/api/v1/users', { user: wrong });
    expect(again.status).toBe(401);
    expect(again.body.message).toBe('The username or password is wrong.');
  });

  it('stops someone guessing between the requests of a client polling with the right password, by the address cap', async () => {
    p = await startTestPortier();
    await p.setUp();
    const wrong = { username: 'admin', password: 'not the password' };
    // Each success clears the (address, admin) pair, so the pair never locks…
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 4; j++) expect((await p.request('GET', '/api/v1/users', { user: wrong })).status).toBe(401);
      expect((await p.request('GET', '/api/v1/users', { user: ADMIN })).status).toBe(i < 4 ? 200 : 429);
    }
    // …but the 20th failure from the address locked it, for every name.
    const locked = await p.request('GET', '/api/v1/users', { user: wrong });
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/^Too many failed sign-ins from this address\./);
  });

  it('locks an address that sprays one password over many usernames, but not the others', async () => {
    p = await startTestPortier();
    await p.setUp();
    const viewer = await createUser(p, 'vera', 'viewer');
    // Parallel, to show concurrent guesses cannot outrun the count.
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) => p.request('GET', '/api/v1/users', { user: { username: `guess${i}`, password: 'Summer2026!' } })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);

    const basicHere = await p.request('GET', '/api/v1/openapi.json', { user: viewer });
    expect(basicHere.status).toBe(429);
    const signInHere = await p.request('POST', '/api/v1/session', { body: viewer });
    expect(signInHere.status).toBe(429);
    expect(signInHere.body.message).toMatch(/^Too many failed sign-ins from this address\./);
    const signInElsewhere = await p.request('POST', '/api/v1/session', { body: viewer, localAddress: '127.0.0.2' });
    expect(signInElsewhere.status).toBe(201);
  });
});
