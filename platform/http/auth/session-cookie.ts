import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'portier_session';

/**
 * HttpOnly: page scripts never see it. Secure: HTTPS only. SameSite=Strict:
 * no other site's page can make the browser send it (CSRF tokens are the
 * second line). No Max-Age, so it ends with the browser; the server enforces
 * the idle and absolute limits anyway.
 */
const COOKIE_OPTIONS: CookieSerializeOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' };

/** Set and parsed by @fastify/cookie, registered at the root before access control runs. */
export function setSessionCookie(reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, COOKIE_OPTIONS);
}

/** Tells the browser to drop the cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
}

export function sessionTokenFrom(request: FastifyRequest): string | undefined {
  // `cookies` is null when @fastify/cookie is not registered (a bare app in a unit test).
  const token = (request.cookies as Record<string, string | undefined> | null)?.[SESSION_COOKIE];
  return token === '' ? undefined : token;
}
