import { expect } from 'vitest';
import { ADMIN, type TestPortier } from './test-portier.js';

export interface TestSession {
  /** `portier_session=…`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** Headers for a change made with this session. */
  changeHeaders(): Record<string, string>;
}

/** Logs in over HTTPS with POST /api/v1/session and returns the cookie and CSRF token. */
export async function login(p: TestPortier, user: { username: string; password: string }, localAddress?: string): Promise<TestSession> {
  const reply = await p.request('POST', '/api/v1/session', { body: user, ...(localAddress === undefined ? {} : { localAddress }) });
  if (reply.status !== 201) throw new Error(`login as ${user.username} failed: ${reply.status} ${reply.text}`);
  const setCookie = [reply.headers['set-cookie'] ?? []].flat();
  const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('portier_session='));
  expect(cookie).toBeDefined();
  const csrfToken = (reply.body as { csrfToken: string }).csrfToken;
  return { cookie: cookie!, csrfToken, changeHeaders: () => ({ cookie: cookie!, 'x-csrf-token': csrfToken }) };
}

/** Creates a user through the API as ADMIN. */
export async function createUser(p: TestPortier, username: string, role: 'viewer' | 'operator' | 'admin', password = `${username} password 1`) {
  const reply = await p.request('POST', '/api/v1/users', { user: ADMIN, body: { username, role, password } });
  if (reply.status !== 201) throw new Error(`creating ${username} failed: ${reply.status} ${reply.text}`);
  return { username, password };
}
