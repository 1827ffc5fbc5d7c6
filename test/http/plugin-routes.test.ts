import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';
import { signals, waiting } from './fixtures/route-probe/index.js';

const VIEWER = { username: 'vera', password: 'viewer password' };
const OPERATOR = { username: 'otto', password: 'operator password' };
const SLOW_RETRY = { firstDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 1 };

function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
}

async function portierWithUsers(pluginPaths: string[] = []): Promise<TestPortier> {
  const p = await startTestPortier({ kernel: { pluginPaths, retry: SLOW_RETRY } });
  await p.setUp();
  await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
  await p.http.users.create(OPERATOR.username, 'operator', OPERATOR.password);
  return p;
}

describe('plugin routes over HTTPS', () => {
  let p: TestPortier;
  afterEach(async () => p?.stop());

  it('serves the io plugin\'s declared routes with the roles its manifest declares', async () => {
    p = await portierWithUsers();

    const ports = await p.request('GET', '/api/v1/plugins/io/ports', { user: VIEWER });
    expect(ports.status).toBe(200);
    expect(ports.headers['content-type']).toContain('application/json');
    expect(ports.body).toContainEqual({ id: 'relay-1', name: 'Door', kind: 'relay', direction: 'output', active: false });
    expect(ports.body.map((port: { id: string }) => port.id)).toEqual(['relay-1', 'relay-2', 'io-1', 'io-2', 'io-3', 'io-4']);

    const anonymous = await p.request('GET', '/api/v1/plugins/io/ports');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH_REQUIRED');

    const asViewer = await p.request('PUT', '/api/v1/plugins/io/manual-triggers/3', { user: VIEWER, body: { active: true } });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body).toEqual({ code: 'FORBIDDEN', message: 'User "vera" is a viewer; this needs an operator or above.', details: [] });
    expect(p.kernel.events.getState('io/manual-trigger', { trigger: 3 })).toBeUndefined();

    const asOperator = await p.request('PUT', '/api/v1/plugins/io/manual-triggers/3', { user: OPERATOR, body: { active: true } });
    expect(asOperator.status).toBe(200);
    expect(asOperator.body).toEqual({ trigger: 3, active: true });
    expect(p.kernel.events.getState('io/manual-trigger', { trigger: 3 })).toEqual({ trigger: 3, active: true });

    const asAdmin = await p.request('PUT', '/api/v1/plugins/io/manual-triggers/3', { user: ADMIN, body: { active: false } });
    expect(asAdmin.status).toBe(200);
    expect(p.kernel.events.getState('io/manual-trigger', { trigger: 3 })).toEqual({ trigger: 3, active: false });
  });

  it('validates params, query and body with the plugin\'s schemas and changes nothing on a bad request', async () => {
    p = await portierWithUsers();
    const bad = await p.request('PUT', '/api/v1/plugins/io/manual-triggers/99', { user: OPERATOR, body: { active: 'yes', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REQUEST_INVALID');
    expect(bad.body.details).toEqual([
      { path: '/params/trigger', message: expect.stringContaining('32') },
      { path: '/body/active', message: expect.stringContaining('boolean') },
      { path: '/body/extra', message: 'unknown field "extra"' },
    ]);
    const noBody = await p.request('PUT', '/api/v1/plugins/io/manual-triggers/2', { user: OPERATOR });
    expect(noBody.status).toBe(400);
    expect(noBody.body.details[0].path).toBe('/body');
    expect(p.kernel.events.getState('io/manual-trigger', { trigger: 2 })).toBeUndefined();
  });

  it('answers 404 for undeclared routes and 503 for a stopped plugin\'s declared ones, until it runs again', async () => {
    p = await portierWithUsers();
    const undeclared = await p.request('GET', '/api/v1/plugins/io/nothing-here', { user: VIEWER });
    expect(undeclared.status).toBe(404);
    expect(undeclared.body).toEqual({
      code: 'ROUTE_NOT_FOUND',
      message: 'Plugin "io" has no route GET /nothing-here (its routes: GET /ports, PUT /manual-triggers/{trigger}).',
      details: [],
    });
    const wrongMethod = await p.request('DELETE', '/api/v1/plugins/io/ports', { user: ADMIN });
    expect(wrongMethod.status).toBe(404);
    const noPlugin = await p.request('GET', '/api/v1/plugins/nobody/ports', { user: VIEWER });
    expect(noPlugin.status).toBe(404);
    expect(noPlugin.body.message).toContain('no plugin named "nobody"');
    expect((await p.request('GET', '/api/v1/plugins/io/nothing-here')).status).toBe(401);

    await p.kernel.host.stop('io');
    const stopped = await p.request('GET', '/api/v1/plugins/io/ports', { user: VIEWER });
    expect(stopped.status).toBe(503);
    expect(stopped.body).toEqual({ code: 'PLUGIN_NOT_RUNNING', message: 'Plugin "io" is stopped; its routes answer while it runs.', details: [] });
    // The role is still checked first: a stopped plugin tells a viewer nothing about operator routes.
    expect((await p.request('PUT', '/api/v1/plugins/io/manual-triggers/1', { user: VIEWER, body: { active: true } })).status).toBe(403);
    expect((await p.request('GET', '/api/v1/plugins/io/nothing-here', { user: VIEWER })).status).toBe(404);

    await p.kernel.host.start('io');
    expect((await p.request('GET', '/api/v1/plugins/io/ports', { user: VIEWER })).status).toBe(200);
  });

  it('answers what a handler returns or throws; a handler that crashes fails its plugin with 500', async () => {
    p = await portierWithUsers([fixture('route-probe')]);
    expect(p.kernel.host.get('route-probe').state).toBe('running');

    const echo = await p.request('POST', '/api/v1/plugins/route-probe/echo/7?loud=yes', { user: VIEWER, body: { text: 'hi' } });
    expect(echo.status).toBe(201);
    expect(echo.body).toEqual({ id: 7, text: 'HI', user: { username: 'vera', role: 'viewer' } });
    const badQuery = await p.request('POST', '/api/v1/plugins/route-probe/echo/0?loud=maybe', { user: VIEWER, body: { text: 'hi' } });
    expect(badQuery.body.details.map((d: { path: string }) => d.path)).toEqual(['/params/id', '/query/loud']);

    // A fixed segment is more specific than a parameter; each has its own role.
    expect((await p.request('GET', '/api/v1/plugins/route-probe/things/a%20b', { user: VIEWER })).body).toEqual({ thing: 'a b' });
    expect((await p.request('GET', '/api/v1/plugins/route-probe/things/special', { user: VIEWER })).status).toBe(403);
    expect((await p.request('GET', '/api/v1/plugins/route-probe/things/special', { user: ADMIN })).body).toEqual({ special: true });
    const deleted = await p.request('DELETE', '/api/v1/plugins/route-probe/things/1', { user: ADMIN });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    const refused = await p.request('GET', '/api/v1/plugins/route-probe/refuse', { user: VIEWER });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ code: 'THING_NOT_FOUND', message: 'There is no such thing.', details: [] });
    const notServed = await p.request('GET', '/api/v1/plugins/route-probe/not-served', { user: VIEWER });
    expect(notServed.status).toBe(501);
    expect(notServed.body.code).toBe('PLUGIN_ROUTE_NOT_SERVED');
    const wrongShape = await p.request('GET', '/api/v1/plugins/route-probe/wrong-shape', { user: VIEWER });
    expect(wrongShape.status).toBe(500);
    expect(wrongShape.body.code).toBe('PLUGIN_RESPONSE_INVALID');
    expect(p.kernel.host.get('route-probe').state).toBe('running');

    const boom = await p.request('GET', '/api/v1/plugins/route-probe/boom', { user: VIEWER });
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({
      code: 'PLUGIN_FAULT',
      message: 'Plugin "route-probe" failed in route GET /boom: kaboom. The plugin is marked failed.',
      details: [],
    });
    await expect.poll(() => p.kernel.host.get('route-probe').state, { timeout: 10_000 }).toBe('failed');
    expect(p.kernel.host.get('route-probe').failure).toMatchObject({ code: 'PLUGIN_FAULT', where: 'route GET /boom' });
    const after = await p.request('GET', '/api/v1/plugins/route-probe/things/1', { user: VIEWER });
    expect(after.status).toBe(503);
    expect(after.body.message).toBe('Plugin "route-probe" failed: Plugin "route-probe" failed in route GET /boom: kaboom; its routes answer while it runs.');
    // The rest keeps running.
    expect((await p.request('GET', '/api/v1/plugins/io/ports', { user: VIEWER })).status).toBe(200);
  });

  it('answers a request still waiting on a plugin that stops with 503', async () => {
    p = await portierWithUsers([fixture('route-probe')]);
    waiting.length = 0;
    signals.length = 0;
    const pending = p.request('GET', '/api/v1/plugins/route-probe/wait', { user: VIEWER });
    await expect.poll(() => waiting.length, { timeout: 10_000 }).toBe(1);
    expect(signals[0]!.aborted).toBe(false);
    await p.kernel.host.stop('route-probe');
    expect(signals[0]!.aborted).toBe(true);
    const reply = await pending;
    expect(reply.status).toBe(503);
    expect(reply.body.code).toBe('PLUGIN_NOT_RUNNING');
    waiting.splice(0).forEach((resolve) => resolve());
  });

  it('refuses a plugin that serves a route its manifest does not declare', async () => {
    p = await portierWithUsers([fixture('route-undeclared')]);
    const summary = p.kernel.host.get('route-undeclared');
    expect(summary.state).toBe('failed');
    expect(summary.failure?.code).toBe('CONTRIBUTION_UNDECLARED');
    expect(summary.failure?.message).toContain('tried to serve the route GET /hidden, which its manifest does not declare');
    const declared = await p.request('GET', '/api/v1/plugins/route-undeclared/declared', { user: VIEWER });
    expect(declared.status).toBe(503);
  });

  it('documents the routes plugins declare in the OpenAPI document, with the schemas a running plugin gave', async () => {
    p = await portierWithUsers();
    const doc = (await p.request('GET', '/api/v1/openapi.json', { user: VIEWER })).body;
    const ports = doc.paths['/api/v1/plugins/io/ports'].get;
    expect(ports).toMatchObject({ tags: ['plugin io'], 'x-portier-role': 'viewer', summary: expect.stringContaining('relays and I/O ports') });
    expect(ports.responses['200'].content['application/json'].schema).toMatchObject({ type: 'array' });
    const trigger = doc.paths['/api/v1/plugins/io/manual-triggers/{trigger}'].put;
    expect(trigger.parameters).toEqual([expect.objectContaining({ name: 'trigger', in: 'path', required: true })]);
    expect(trigger.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', properties: { active: { type: 'boolean' } } });
    // The catch-all that serves them is not itself an API.
    expect(Object.keys(doc.paths).filter((path) => path.includes(':name') || path.includes('*'))).toEqual([]);
  });
});
