import { afterEach, describe, expect, it } from 'vitest';
import { createUser, login } from '../support/auth-helpers.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

describe('users API over HTTPS', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('creates, lists, changes and deletes users, never showing a hash or a password', async () => {
    p = await startTestPortier();
    await p.setUp();

    const created = await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username: 'oscar', role: 'operator', password: 'operator password' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: 'oscar', role: 'operator', createdAt: expect.any(Number), updatedAt: expect.any(Number) });

    const duplicate = await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username: 'OSCAR', role: 'viewer', password: 'another password' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'USER_EXISTS', message: 'A user named "OSCAR" already exists (names are compared without case).' });

    const invalid = await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username: 'bad name', role: 'boss', password: 'short' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['/body/password', '/body/role', '/body/username']);

    const list = await p.request('GET', '/api/v1/users', { user: ADMIN });
    expect(list.status).toBe(200);
    expect(list.body.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['oscar', 'operator'],
    ]);
    expect(list.text).not.toMatch(/scrypt|password/i);

    const demoted = await p.request('PATCH', '/api/v1/users/Oscar', { user: ADMIN, body: { role: 'viewer' } });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ username: 'oscar', role: 'viewer' });
    const repassed = await p.request('PATCH', '/api/v1/users/oscar', { user: ADMIN, body: { password: 'a new password' } });
    expect(repassed.status).toBe(200);
    expect(repassed.text).not.toMatch(/scrypt|a new password/);
    expect((await p.request('GET', '/api/v1/openapi.json', { user: { username: 'oscar', password: 'a new password' } })).status).toBe(200);

    const empty = await p.request('PATCH', '/api/v1/users/oscar', { user: ADMIN, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('give a role, a password, or both');
    const unknownField = await p.request('PATCH', '/api/v1/users/oscar', { user: ADMIN, body: { role: 'viewer', passwordHash: 'x' } });
    expect(unknownField.status).toBe(400);

    const missing = await p.request('PATCH', '/api/v1/users/nobody', { user: ADMIN, body: { role: 'viewer' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'USER_NOT_FOUND', message: 'There is no user named "nobody".' });
    expect((await p.request('DELETE', '/api/v1/users/nobody', { user: ADMIN })).status).toBe(404);

    const deleted = await p.request('DELETE', '/api/v1/users/oscar', { user: ADMIN });
    expect(deleted.status).toBe(204);
    expect(p.http.users.get('oscar')).toBeUndefined();
    expect((await p.request('GET', '/api/v1/openapi.json', { user: { username: 'oscar', password: 'a new password' } })).status).toBe(401);
  });

  it('never deletes or demotes the last administrator', async () => {
    p = await startTestPortier();
    await p.setUp();
    const remove = await p.request('DELETE', '/api/v1/users/admin', { user: ADMIN });
    expect(remove.status).toBe(409);
    expect(remove.body).toEqual({
      code: 'LAST_ADMIN',
      message: 'Cannot delete "admin": it is the only administrator. Make another user an administrator first.',
      details: [],
    });
    // A refused role change leaves the password in the same request unchanged too.
    const demote = await p.request('PATCH', '/api/v1/users/admin', { user: ADMIN, body: { role: 'operator', password: 'a new password' } });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('LAST_ADMIN');
    expect((await p.request('GET', '/api/v1/users', { user: ADMIN })).status).toBe(200);
    expect(p.http.users.get('admin')?.role).toBe('admin');

    const second = await createUser(p, 'ada', 'admin');
    const nowPossible = await p.request('PATCH', '/api/v1/users/admin', { user: second, body: { role: 'viewer' } });
    expect(nowPossible.status).toBe(200);
    const self = await p.request('DELETE', '/api/v1/users/ada', { user: second });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('LAST_ADMIN');
  });

  it('forgets remembered Basic credentials and ends sessions when a password or role changes, or the user goes', async () => {
    p = await startTestPortier();
    await p.setUp();
    const vera = await createUser(p, 'vera', 'operator');
    // Remembered by the credential cache from here on.
    expect((await p.request('GET', '/api/v1/openapi.json', { user: vera })).status).toBe(200);
    const session = await login(p, vera);
    const otherUser = await login(p, ADMIN);

    expect((await p.request('PATCH', '/api/v1/users/vera', { user: ADMIN, body: { password: 'vera new password' } })).status).toBe(200);
    const oldBasic = await p.request('GET', '/api/v1/openapi.json', { user: vera });
    expect(oldBasic.status).toBe(401);
    expect(oldBasic.body.code).toBe('AUTH_FAILED');
    const oldSession = await p.request('GET', '/api/v1/session', { headers: { cookie: session.cookie } });
    expect(oldSession.status).toBe(401);
    expect(oldSession.body.code).toBe('SESSION_EXPIRED');
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: otherUser.cookie } })).status).toBe(200);

    const renewed = { username: 'vera', password: 'vera new password' };
    const second = await login(p, renewed);
    expect((await p.request('PATCH', '/api/v1/users/vera', { user: ADMIN, body: { role: 'viewer' } })).status).toBe(200);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: second.cookie } })).status).toBe(401);

    const third = await login(p, renewed);
    expect((await p.request('DELETE', '/api/v1/users/vera', { user: ADMIN })).status).toBe(204);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: third.cookie } })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: otherUser.cookie } })).status).toBe(200);
  });

  it('lets any signed-in user change their own password, given the current one', async () => {
    p = await startTestPortier();
    await p.setUp();
    const vera = await createUser(p, 'vera', 'viewer');
    const session = await login(p, vera);
    const elsewhere = await login(p, vera);

    const wrong = await p.request('PUT', '/api/v1/users/me/password', {
      headers: session.changeHeaders(),
      body: { currentPassword: 'not it', newPassword: 'vera new password' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({
      code: 'CURRENT_PASSWORD_INVALID',
      message: 'The current password is wrong; nothing was changed.',
      details: [{ path: '/body/currentPassword', message: 'is wrong' }],
    });
    const short = await p.request('PUT', '/api/v1/users/me/password', { headers: session.changeHeaders(), body: { currentPassword: vera.password, newPassword: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.details).toContainEqual({ path: '/body/newPassword', message: 'at least 8 characters' });

    const changed = await p.request('PUT', '/api/v1/users/me/password', {
      headers: session.changeHeaders(),
      body: { currentPassword: vera.password, newPassword: 'vera new password' },
    });
    expect(changed.status).toBe(204);
    expect([changed.headers['set-cookie']].flat()[0]).toMatch(/^portier_session=; Max-Age=0/);
    // Every session of hers ended, this one included.
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: session.cookie } })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/session', { headers: { cookie: elsewhere.cookie } })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/openapi.json', { user: vera })).status).toBe(401);

    const basic = { username: 'vera', password: 'vera new password' };
    const viaBasic = await p.request('PUT', '/api/v1/users/me/password', { user: basic, body: { currentPassword: basic.password, newPassword: 'third password' } });
    expect(viaBasic.status).toBe(204);
    expect(viaBasic.headers['set-cookie']).toBeUndefined();
    expect((await p.request('GET', '/api/v1/openapi.json', { user: basic })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/openapi.json', { user: { username: 'vera', password: 'third password' } })).status).toBe(200);
  });

  it('counts wrong current passwords against the login throttle, so an open session is no way to guess', async () => {
    p = await startTestPortier();
    await p.setUp();
    const vera = await createUser(p, 'vera', 'viewer');
    const session = await login(p, vera);
    for (let i = 0; i < 5; i++) {
      const reply = await p.request('PUT', '/api/v1/users/me/password', {
        headers: session.changeHeaders(),
        body: { currentPassword: `guess ${i}`, newPassword: 'vera new password' },
      });
      expect(reply.status).toBe(422);
    }
    const locked = await p.request('PUT', '/api/v1/users/me/password', {
      headers: session.changeHeaders(),
      body: { currentPassword: vera.password, newPassword: 'vera new password' },
    });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
  });
});
