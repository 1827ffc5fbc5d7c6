import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const VIEWER = { username: 'vera', password: 'viewer password' };

describe('GET /api/v1/system', () => {
  let p: TestPortier | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it('shows version, board, uptime, time zone and how the plugins are doing, to a viewer', async () => {
    p = await startTestPortier();
    await p.setUp();
    await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);

    const reply = await p.request('GET', '/api/v1/system', { user: VIEWER });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      version: '1.0.0',
      board: { model: 'AXIS I8307-VE Network Video Door Station', driver: 'simulator' },
      timeZone: 'UTC',
      plugins: { installed: 1, enabled: 1, disabled: 0, byState: { running: 1, failed: 0, stopped: 0 }, loadErrors: [] },
    });
    expect(reply.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Math.abs(reply.body.time - Date.now())).toBeLessThan(60_000);

    await p.request('POST', '/api/v1/plugins/io/disable', { user: ADMIN });
    const after = await p.request('GET', '/api/v1/system', { user: VIEWER });
    expect(after.body.plugins).toMatchObject({ enabled: 0, disabled: 1, byState: { running: 0, stopped: 1 } });
  });

  it('asks for credentials like every other route', async () => {
    p = await startTestPortier();
    await p.setUp();
    const reply = await p.request('GET', '/api/v1/system');
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('AUTH_REQUIRED');
  });
});

describe('the OpenAPI document', () => {
  let p: TestPortier | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it('documents every core route with a tag, a summary and its error responses', async () => {
    p = await startTestPortier();
    await p.setUp();
    const doc = (await p.request('GET', '/api/v1/openapi.json', { user: ADMIN })).body;
    const expected: [string, string][] = [
      ['get', '/api/v1/system'],
      ['get', '/api/v1/plugins'],
      ['get', '/api/v1/plugins/{name}'],
      ['post', '/api/v1/plugins/{name}/enable'],
      ['post', '/api/v1/plugins/{name}/disable'],
      ['post', '/api/v1/plugins/{name}/restart'],
      ['get', '/api/v1/plugins/{name}/settings'],
      ['put', '/api/v1/plugins/{name}/settings'],
      ['get', '/api/v1/ports'],
      ['put', '/api/v1/ports/{id}/state'],
      ['get', '/api/v1/rules'],
      ['post', '/api/v1/rules'],
      ['get', '/api/v1/rules/catalog'],
      ['get', '/api/v1/rules/{id}'],
      ['put', '/api/v1/rules/{id}'],
      ['delete', '/api/v1/rules/{id}'],
      ['post', '/api/v1/rules/{id}/enable'],
      ['post', '/api/v1/rules/{id}/disable'],
      ['get', '/api/v1/schedules'],
      ['post', '/api/v1/schedules'],
      ['get', '/api/v1/schedules/{id}'],
      ['put', '/api/v1/schedules/{id}'],
      ['delete', '/api/v1/schedules/{id}'],
      ['get', '/api/v1/events'],
      ['get', '/api/v1/events/stream'],
      ['get', '/api/v1/simulator'],
      ['put', '/api/v1/simulator/inputs/{port}'],
      ['post', '/api/v1/simulator/buttons/{port}/press'],
      ['put', '/api/v1/simulator/pir'],
      ['put', '/api/v1/simulator/light'],
    ];
    for (const [method, path] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(operation.tags?.length, `${path} tags`).toBeGreaterThan(0);
      expect(operation.summary, `${path} summary`).toBeTruthy();
      expect(Object.keys(operation.responses), `${path} responses`).toEqual(expect.arrayContaining(['400', '401', '403']));
    }
    // Bodies are documented from the same zod schemas the routes validate with.
    const ruleBody = doc.paths['/api/v1/rules'].post.requestBody.content['application/json'].schema;
    expect(ruleBody.required).toEqual(expect.arrayContaining(['name', 'actions']));
    expect(Object.keys(ruleBody.properties)).toEqual(expect.arrayContaining(['trigger', 'conditions', 'actions']));
    const stream = doc.paths['/api/v1/events/stream'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
  });
});
