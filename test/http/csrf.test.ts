import { afterEach, describe, expect, it } from 'vitest';
import { login } from '../support/auth-helpers.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

describe('CSRF protection of cookie-authenticated changes', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('refuses a change without the X-CSRF-Token of that session, and changes nothing', async () => {
    p = await startTestPortier();
    await p.setUp();
    const session = await login(p, ADMIN);
    const other = await login(p, ADMIN);
    const body = { username: 'oscar', role: 'operator', password: 'operator password' };

    const missing = await p.request('POST', '/api/v1/users', { body, headers: { cookie: session.cookie } });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({
      code: 'CSRF_TOKEN_INVALID',
      message: 'A change made with the session cookie needs the X-CSRF-Token header from the login reply (GET /api/v1/session shows it again).',
      details: [],
    });
    const wrong = await p.request('POST', '/api/v1/users', { body, headers: { cookie: session.cookie, 'x-csrf-token': 'guess' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('CSRF_TOKEN_INVALID');
    const othersToken = await p.request('POST', '/api/v1/users', { body, headers: { cookie: session.cookie, 'x-csrf-token': other.csrfToken } });
    expect(othersToken.status).toBe(403);
    expect(p.http.users.get('oscar')).toBeUndefined();

    // Reads need no token.
    expect((await p.request('GET', '/api/v1/users', { headers: { cookie: session.cookie } })).status).toBe(200);

    const right = await p.request('POST', '/api/v1/users', { body, headers: session.changeHeaders() });
    expect(right.status).toBe(201);
    expect(p.http.users.get('oscar')?.role).toBe('operator');
  });

  it('asks nothing of Basic-authenticated changes: a browser never sends those by itself', async () => {
    p = await startTestPortier();
    await p.setUp();
    const created = await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username: 'vera', role: 'viewer', password: 'viewer password' } });
    expect(created.status).toBe(201);
    const deleted = await p.request('DELETE', '/api/v1/users/vera', { user: ADMIN });
    expect(deleted.status).toBe(204);
  });

  it('checks the role before the token, so a viewer learns nothing about it', async () => {
    p = await startTestPortier();
    await p.setUp();
    await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username: 'vera', role: 'viewer', password: 'viewer password' } });
    const viewer = await login(p, { username: 'vera', password: 'viewer password' });
    const reply = await p.request('DELETE', '/api/v1/users/admin', { headers: { cookie: viewer.cookie } });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('FORBIDDEN');
  });
});
