import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../platform/http/access-control.js';
import { ROLES, type Role } from '../../platform/http/roles.js';
import { createUser } from '../support/auth-helpers.js';
import { type TestPortier, startTestPortier } from '../support/test-portier.js';

/**
 * The only routes anyone may call without signing in. A new public route must
 * be added here on purpose; every other route is checked below without being
 * listed, because the list comes from the server itself.
 */
const PUBLIC_ROUTES = ['GET /api/v1/health', 'HEAD /api/v1/health', 'POST /api/v1/setup', 'POST /api/v1/session'];

/** A concrete path for a route pattern: any value does, access is checked before params are validated. */
function concretePath(url: string): string {
  return url
    .replace(/:[A-Za-z0-9_]+\([^)]*\)/g, '1')
    .replace(/:[A-Za-z0-9_]+/g, 'dummy')
    .replace(/\*/g, 'dummy');
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

describe('role matrix: every route refuses the anonymous and lower roles', () => {
  let p: TestPortier;
  const users = {} as Record<Role, { username: string; password: string }>;

  beforeAll(async () => {
    p = await startTestPortier();
    await p.setUp();
    for (const role of ROLES) users[role] = await createUser(p, `matrix-${role}`, role);
  });
  afterAll(async () => p?.stop());

  it('lists the routes from the server, with only the intended ones public', () => {
    const routes = registeredRoutes(p.http.server.app);
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys).toEqual(expect.arrayContaining(['GET /api/v1/users', 'PATCH /api/v1/users/:username', 'DELETE /api/v1/session', 'GET /api/v1/openapi.json']));
    const publicOnes = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicOnes.sort(), 'a route is public that is not in PUBLIC_ROUTES; make it require a role, or add it there on purpose').toEqual(
      [...PUBLIC_ROUTES].sort(),
    );
  });

  it('answers 401 to the anonymous and 403 to each role below the route’s own, over HTTPS', async () => {
    // Plugins' own routes share one catch-all whose role is decided per request
    // from the manifest, so each declared route is checked at its declared role too.
    const pluginDeclared = p.kernel.host.list().flatMap(({ name }) =>
      (p.kernel.host.record(name)?.manifest.contributes.routes ?? []).map((route) => ({
        method: route.method,
        url: `/api/v1/plugins/${name}${route.path.replace(/\{([^{}/]*)\}/g, ':$1')}`,
        access: route.role,
      })),
    );
    expect(pluginDeclared.some((r) => r.access === 'operator')).toBe(true);
    const routes = [...registeredRoutes(p.http.server.app).filter((r) => r.access !== 'public'), ...pluginDeclared];
    expect(routes.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const route of routes) {
      if (route.access === 'public') continue;
      const path = concretePath(route.url);
      const base = WITH_BODY.has(route.method) ? { body: {} } : {};
      const label = `${route.method} ${route.url} (${route.access})`;

      const anonymous = await p.request(route.method, path, base);
      if (anonymous.status !== 401 || (route.method !== 'HEAD' && anonymous.body?.code !== 'AUTH_REQUIRED')) {
        failures.push(`${label} anonymous: ${anonymous.status} ${anonymous.text.slice(0, 120)}`);
      }
      for (const role of ROLES.slice(0, ROLES.indexOf(route.access))) {
        const reply = await p.request(route.method, path, { ...base, user: users[role] });
        if (reply.status !== 403 || (route.method !== 'HEAD' && reply.body?.code !== 'FORBIDDEN')) {
          failures.push(`${label} as ${role}: ${reply.status} ${reply.text.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
