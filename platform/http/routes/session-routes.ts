import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import { type PortierAuthenticator, authFailed, clientOf } from '../auth/portier-authenticator.js';
import { clearSessionCookie, sessionTokenFrom, setSessionCookie } from '../auth/session-cookie.js';
import type { SessionStore } from '../auth/session-store.js';
import type { App, RouteModule } from '../http-server.js';
import { ROLES } from '../roles.js';
import { errorResponses, noContent } from '../schemas/error-responses.js';

/** No format rules here: a name or password that could never exist is simply wrong, like any other. */
const loginBody = z
  .object({
    username: z.string().min(1, 'a username is required').max(256),
    password: z.string().min(1, 'a password is required').max(1024),
  })
  .strict();

const sessionReply = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  csrfToken: z.string().describe('Send as the X-CSRF-Token header on every change made with the session cookie'),
});

/**
 * The web interface's login: POST /api/v1/session sets the session cookie and
 * returns the CSRF token; GET shows who is signed in (and the token again,
 * after a page reload); DELETE logs out.
 */
export function sessionRoutes(auth: PortierAuthenticator, sessions: SessionStore): RouteModule {
  return (app: App) => {
    app.post(
      '/session',
      {
        config: { access: 'public' },
        schema: {
          tags: ['session'],
          summary: 'Log in (web interface): sets the portier_session cookie',
          security: [],
          body: loginBody,
          response: { 201: sessionReply, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        if (!auth.isSetUp()) {
          throw new PortierError('NOT_SET_UP', 'This intercom is not set up yet: create the administrator with POST /api/v1/setup first.');
        }
        const { username, password } = request.body;
        const result = await auth.checkPassword(clientOf(request), username, password);
        if (!result.ok) throw authFailed(result.blockedMs);
        // A new session every login; one the browser still presents is ended, not reused.
        const previous = sessionTokenFrom(request);
        if (previous !== undefined) sessions.revoke(previous);
        const { token, session } = sessions.create(result.user.username);
        request.log.info({ username: result.user.username }, 'session started');
        setSessionCookie(reply, token);
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ username: result.user.username, role: result.user.role, csrfToken: session.csrfToken });
      },
    );

    app.get(
      '/session',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['session'],
          summary: 'The signed-in user and the CSRF token of this session',
          response: { 200: sessionReply, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const principal = sessionPrincipal(request);
        return reply.header('cache-control', 'no-store').send({ username: principal.username, role: principal.role, csrfToken: principal.csrfToken });
      },
    );

    app.delete(
      '/session',
      {
        config: { access: 'viewer' },
        schema: { tags: ['session'], summary: 'Log out: ends this session', response: { 204: noContent, ...errorResponses(404) } },
      },
      async (request, reply: FastifyReply) => {
        sessionPrincipal(request);
        const token = sessionTokenFrom(request);
        if (token !== undefined) sessions.revoke(token);
        clearSessionCookie(reply);
        return reply.code(204).send(null);
      },
    );
  };
}

function sessionPrincipal(request: FastifyRequest): { username: string; role: (typeof ROLES)[number]; csrfToken: string } {
  const principal = request.principal;
  if (principal?.via !== 'session' || principal.csrfToken === undefined) {
    throw new PortierError(
      'SESSION_NOT_FOUND',
      'This request is signed in with HTTP Basic credentials, which need no session; log in with POST /api/v1/session to get one.',
    );
  }
  return { username: principal.username, role: principal.role, csrfToken: principal.csrfToken };
}
