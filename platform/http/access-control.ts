import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { PortierError } from '../../sdk/errors.js';
import { type Access, type Principal, ROLES, roleAllows } from './roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The lowest role that may call the route, or `public`. Every route must say. */
    access?: Access;
    /**
     * For a route whose role depends on the request (a plugin's routes, each
     * with the role its manifest declares): the role for this request,
     * checked exactly as `access` would be. `access` is still required.
     */
    accessFor?: (request: FastifyRequest) => Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Who is calling: the HTTP layer's view of users, sessions and the login throttle. */
export interface Authenticator {
  /** False until the first administrator exists. */
  isSetUp(): boolean;
  /**
   * The caller's identity from Basic credentials or the session cookie;
   * undefined when the request carries neither. Throws AUTH_FAILED for wrong
   * credentials, SESSION_EXPIRED for a cookie whose session has ended, and
   * TOO_MANY_ATTEMPTS when throttled. Answers at once when it can (a
   * remembered credential, a session); a promise only for a password check.
   */
  authenticate(request: FastifyRequest): Principal | undefined | Promise<Principal | undefined>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A route as registered, with the access it declared. */
export interface RegisteredRoute {
  method: string;
  /** Full path with prefix, e.g. /api/v1/users/:username. */
  url: string;
  access: Access;
  /** The route's schemas as declared (zod), for tests that check every route's documentation and serializers. */
  schema?: FastifySchema;
}

const registries = new WeakMap<object, RegisteredRoute[]>();

/**
 * Every route registered on a server so far (HEAD twins of GET routes
 * included), read from the same hook that enforces declared access: tests
 * iterate over it so a route added later is checked without anyone listing it.
 */
export function registeredRoutes(app: FastifyInstance | object): readonly RegisteredRoute[] {
  return registries.get(app) ?? [];
}

/**
 * Authorisation everywhere: a route that does not declare its access fails
 * at start-up, so no route is ever open by accident; each request is then
 * checked before its body is even parsed.
 */
export function installAccessControl(app: FastifyInstance, auth: Authenticator): void {
  const routes: RegisteredRoute[] = [];
  registries.set(app, routes);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access !== 'public' && !ROLES.includes(access as never)) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access (public, ${ROLES.join(', ')}).`);
    }
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: access as Access, ...(route.schema === undefined ? {} : { schema: route.schema }) });
  });

  // A callback hook, not an async one: a remembered credential or a session is
  // decided without a promise, which is most requests; only a password check waits.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const config = request.routeOptions.config;
      const access = config.accessFor === undefined ? config.access : config.accessFor(request);
      if (access === 'public') return done();
      if (access === undefined) {
        // No route matched: let fastify's 404 answer, but never to an anonymous caller
        // before setup, so the API's surface is not mapped without credentials.
        if (!auth.isSetUp()) throw notSetUp();
        return done();
      }
      if (!auth.isSetUp()) throw notSetUp();
      const principal = auth.authenticate(request);
      if (!(principal instanceof Promise)) {
        admit(request, access, principal);
        return done();
      }
      principal.then(
        (resolved) => {
          try {
            admit(request, access, resolved);
          } catch (error) {
            return done(error as Error);
          }
          done();
        },
        (error: Error) => done(error),
      );
    } catch (error) {
      done(error as Error);
    }
  });
}

/** Lets the request through as `principal`, or throws why not: no credentials, too low a role, or a cookie change without its CSRF token. */
function admit(request: FastifyRequest, access: Exclude<Access, 'public'>, principal: Principal | undefined): void {
  if (principal === undefined) {
    throw Object.assign(
      new PortierError('AUTH_REQUIRED', 'Sign in first: send HTTP Basic credentials, or log in with POST /api/v1/session.'),
      { status: 401 },
    );
  }
  if (!roleAllows(principal.role, access)) {
    throw new PortierError('FORBIDDEN', `User "${principal.username}" is ${article(principal.role)} ${principal.role}; this needs ${article(access)} ${access} or above.`);
  }
  if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const token = request.headers['x-csrf-token'];
    if (typeof token !== 'string' || principal.csrfToken === undefined || !sameToken(token, principal.csrfToken)) {
      throw Object.assign(
        new PortierError(
          'CSRF_TOKEN_INVALID',
          'A change made with the session cookie needs the X-CSRF-Token header from the login reply (GET /api/v1/session shows it again).',
        ),
        // By its suffix the code would map to 422; this is a refusal, not a bad body.
        { status: 403 },
      );
    }
  }
  request.principal = principal;
}

/** Compared as digests, so the comparison takes the same time whatever the length or the first wrong character. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function notSetUp(): PortierError {
  return new PortierError('NOT_SET_UP', 'This intercom is not set up yet: create the administrator with POST /api/v1/setup first.');
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}
