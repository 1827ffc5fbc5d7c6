import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

describe('first run over HTTPS', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('has no default account: only health and setup answer until the administrator exists', async () => {
    p = await startTestPortier();
    const health = await p.request('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', version: '1.0.0' });

    const before = await p.request('GET', '/api/v1/openapi.json', { user: { username: 'admin', password: 'admin' } });
    expect(before.status).toBe(403);
    expect(before.body).toEqual({
      code: 'NOT_SET_UP',
      message: 'This intercom is not set up yet: create the administrator with POST /api/v1/setup first.',
      details: [],
    });

    const mismatch = await p.request('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: 'something else' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({ code: 'REQUEST_INVALID', details: [{ path: '/body/confirmPassword', message: 'does not match the password' }] });
    const short = await p.request('POST', '/api/v1/setup', { body: { username: 'admin', password: 'short', confirmPassword: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.details).toContainEqual({ path: '/body/password', message: 'at least 8 characters' });
    expect(p.http.users.count()).toBe(0);

    const setup = await p.request('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
    expect(setup.status).toBe(201);
    expect(setup.body).toEqual({ username: 'admin', role: 'admin' });

    const again = await p.request('POST', '/api/v1/setup', { body: { username: 'eve', password: 'password123', confirmPassword: 'password123' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SET_UP');

    const anonymous = await p.request('GET', '/api/v1/openapi.json');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH_REQUIRED');
    const wrong = await p.request('GET', '/api/v1/openapi.json', { user: { username: 'admin', password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('AUTH_FAILED');
    const openapi = await p.request('GET', '/api/v1/openapi.json', { user: ADMIN });
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toContain('/api/v1/setup');
  });

  it('speaks TLS 1.2 at least, with security headers', async () => {
    p = await startTestPortier();
    const health = await p.request('GET', '/api/v1/health');
    expect(health.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
  });
});
