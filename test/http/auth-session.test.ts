import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS, SESSION_MAX_MS, SessionStore } from '../../platform/http/auth/session-store.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';
import { createUser, login } from '../support/auth-helpers.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const MINUTE = 60_000;

describe('session login over HTTPS', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('answers NOT_SET_UP before the administrator exists', async () => {
    p = await startTestPortier();
    const reply = await p.request('POST', '/api/v1/session', { body: ADMIN });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('NOT_SET_UP');
  });

  it('logs in with a secure cookie, serves requests with it, and logs out', async () => {
    p = await startTestPortier();
    await p.setUp();

    const wrong = await p.request('POST', '/api/v1/session', { body: { username: 'admin', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ code: 'AUTH_FAILED', message: 'The username or password is wrong.', details: [] });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // No Basic challenge, so a browser never caches Basic credentials it would send cross-site.
    expect(wrong.headers['www-authenticate']).toBeUndefined();
    const nobody = await p.request('POST', '/api/v1/session', { body: { username: 'nobody', password: 'not the password' } });
    expect(nobody.body).toEqual(wrong.body);

    const reply = await p.request('POST', '/api/v1/session', { body: { username: 'ADMIN', password: ADMIN.password } });
    expect(reply.status).toBe(201);
    expect(reply.headers['cache-control']).toBe('no-store');
    const setCookie = [reply.headers['set-cookie']].flat()[0]!;
    expect(setCookie).toMatch(/^portier_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(reply.body).toEqual({ username: 'admin', role: 'admin', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const cookie = setCookie.split(';')[0]!;

    const me = await p.request('GET', '/api/v1/session', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(reply.body);
    const users = await p.request('GET', '/api/v1/users', { headers: { cookie } });
    expect(users.status).toBe(200);
    expect(users.body.map((u: { username: string }) => u.username)).toEqual(['admin']);

    const viaBasic = await p.request('GET', '/api/v1/session', { user: ADMIN });
    expect(viaBasic.status).toBe(404);
    expect(viaBasic.body.code).toBe('SESSION_NOT_FOUND');

    const logoutWithoutToken = await p.request('DELETE', '/api/v1/session', { headers: { cookie } });
    expect(logoutWithoutToken.status).toBe(403);
    expect(logoutWithoutToken.body.code).toBe('CSRF_TOKEN_INVALID');
    const logout = await p.request('DELETE', '/api/v1/session', { headers: { cookie, 'x-csrf-token': reply.body.csrfToken } });
    expect(logout.status).toBe(204);
    expect([logout.headers['set-cookie']].flat()[0]).toMatch(/^portier_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);

    const after = await p.request('GET', '/api/v1/session', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_EXPIRED');
    expect(after.body.message).toContain('log in again with POST /api/v1/session');
    const made = await p.request('GET', '/api/v1/session', { headers: { cookie: 'portier_session=made-up' } });
    expect(made.status).toBe(401);
    expect(made.body.code).toBe('SESSION_EXPIRED');
  });

  it('gives each login its own session and ends the one a browser presents when it logs in again', async () => {
    p = await startTestPortier();
    await p.setUp();
    const first = await login(p, ADMIN);
    const second = await login(p, ADMIN);
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrfToken).not.toBe(first.csrfToken);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: first.cookie } })).status).toBe(200);

    const again = await p.request('POST', '/api/v1/session', { body: ADMIN, headers: { cookie: first.cookie } });
    expect(again.status).toBe(201);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: second.cookie } })).status).toBe(200);
  });

  it('shows the role of the user, and Basic credentials win over a cookie', async () => {
    p = await startTestPortier();
    await p.setUp();
    const viewer = await createUser(p, 'vera', 'viewer');
    const session = await login(p, viewer);
    const me = await p.request('GET', '/api/v1/session', { headers: { cookie: session.cookie } });
    expect(me.body).toMatchObject({ username: 'vera', role: 'viewer' });
    const forbidden = await p.request('GET', '/api/v1/users', { headers: { cookie: session.cookie } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    const admin = await p.request('GET', '/api/v1/users', { user: ADMIN, headers: { cookie: session.cookie } });
    expect(admin.status).toBe(200);
  });

  it('ends a session after 30 minutes idle and 12 hours after login, on the kernel clock', async () => {
    const clock = new FakeClock(Date.now());
    p = await startTestPortier({ kernel: { clock } });
    await p.setUp();
    const get = async (cookie: string) => (await p.request('GET', '/api/v1/session', { headers: { cookie } })).status;

    const idle = await login(p, ADMIN);
    await clock.advance(29 * MINUTE);
    expect(await get(idle.cookie)).toBe(200);
    await clock.advance(29 * MINUTE); // 58 min after login, but only 29 idle
    expect(await get(idle.cookie)).toBe(200);
    await clock.advance(30 * MINUTE);
    expect(await get(idle.cookie)).toBe(401);

    const busy = await login(p, ADMIN);
    for (let elapsed = 0; elapsed + 29 * MINUTE < 12 * 60 * MINUTE; elapsed += 29 * MINUTE) {
      await clock.advance(29 * MINUTE);
      expect(await get(busy.cookie)).toBe(200);
    }
    await clock.advance(29 * MINUTE);
    const ended = await p.request('GET', '/api/v1/session', { headers: { cookie: busy.cookie } });
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('SESSION_EXPIRED');
  });
});

describe('SessionStore', () => {
  it('keeps only a digest of the token', () => {
    const store = new SessionStore(new FakeClock());
    const { token } = store.create('admin');
    const held = JSON.stringify([...(store as unknown as { sessions: Map<string, unknown> }).sessions]);
    expect(held).not.toContain(token);
    expect(store.use(token)?.username).toBe('admin');
    expect(store.use(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
  });

  it('ends sessions by idle time and by age exactly at the limits', async () => {
    const clock = new FakeClock();
    const store = new SessionStore(clock);
    const { token } = store.create('admin');
    await clock.advance(SESSION_IDLE_MS - 1);
    expect(store.use(token)).toBeDefined();
    await clock.advance(SESSION_IDLE_MS);
    expect(store.use(token)).toBeUndefined();
    expect(store.size).toBe(0);

    const old = store.create('admin').token;
    const end = clock.now() + SESSION_MAX_MS;
    while (clock.now() + SESSION_IDLE_MS - 1 < end) {
      await clock.advance(SESSION_IDLE_MS - 1);
      expect(store.use(old)).toBeDefined();
    }
    await clock.advanceTo(end - 1);
    expect(store.use(old)).toBeDefined();
    await clock.advanceTo(end);
    expect(store.use(old)).toBeUndefined();
  });

  it('stays bounded: 20 sessions per user, 1000 in all, least recently used out first', () => {
    const store = new SessionStore(new FakeClock());
    const mine = Array.from({ length: 25 }, () => store.create('admin').token);
    expect(store.size).toBe(20);
    expect(store.use(mine[0]!)).toBeUndefined();
    expect(store.use(mine[24]!)).toBeDefined();
    for (let i = 0; i < 1_100; i++) store.create(`user${i}`);
    expect(store.size).toBe(1_000);
  });

  it('ends every session of a user at once, without case', () => {
    const store = new SessionStore(new FakeClock());
    const a = store.create('Admin').token;
    const b = store.create('admin').token;
    const other = store.create('vera').token;
    store.revokeUser('ADMIN');
    expect(store.use(a)).toBeUndefined();
    expect(store.use(b)).toBeUndefined();
    expect(store.use(other)).toBeDefined();
  });
});
