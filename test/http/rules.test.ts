import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const VIEWER = { username: 'vera', password: 'viewer password' };
const OPERATOR = { username: 'otto', password: 'operator password' };

let p: TestPortier | undefined;
afterEach(async () => {
  await p?.stop();
  p = undefined;
});

async function start(): Promise<TestPortier> {
  p = await startTestPortier();
  await p.setUp();
  await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
  await p.http.users.create(OPERATOR.username, 'operator', OPERATOR.password);
  return p;
}

const exitButton = {
  name: 'Exit button opens the door',
  trigger: { event: 'io/input', filter: { port: 'io-2', active: true } },
  actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 5 } }],
};

describe('GET /api/v1/rules/catalog', () => {
  it('lists events, conditions and actions with their JSON Schemas and whether they are available', async () => {
    const p = await start();
    const reply = await p.request('GET', '/api/v1/rules/catalog', { user: VIEWER });
    expect(reply.status).toBe(200);
    const { events, conditions, actions } = reply.body;
    const toggle = actions.find((a: { type: string }) => a.type === 'io/toggle-once');
    expect(toggle).toMatchObject({ plugin: 'io', title: 'Toggle I/O once', lasts: 'fixed', available: true });
    expect(Object.keys(toggle.schema.properties)).toEqual(['port', 'state', 'duration']);
    expect(conditions.map((c: { type: string }) => c.type)).toEqual(
      expect.arrayContaining(['core/schedule-active', 'io/input-active', 'io/output-active', 'io/manual-trigger-active']),
    );
    expect(events.find((e: { type: string }) => e.type === 'io/input')).toMatchObject({
      stateful: true,
      key: ['port'],
      available: true,
      schema: { properties: { port: { type: 'string' }, name: { type: 'string' }, active: { type: 'boolean' } } },
    });

    await p.request('POST', '/api/v1/plugins/io/disable', { user: ADMIN });
    const off = (await p.request('GET', '/api/v1/rules/catalog', { user: VIEWER })).body;
    const stopped = off.actions.find((a: { type: string }) => a.type === 'io/toggle-once');
    // Declared in the manifest, so still listed, with the last known schema for forms.
    expect(stopped).toMatchObject({ available: false, reason: 'plugin "io" is disabled' });
    expect(stopped.schema).toBeDefined();
  });
});

describe('rules CRUD', () => {
  it('creates, reads, replaces, disables, enables and deletes a rule, with its status', async () => {
    const p = await start();
    const created = await p.request('POST', '/api/v1/rules', { user: OPERATOR, body: exitButton });
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect(id).toEqual(expect.any(String));
    expect(created.body).toEqual({
      id,
      name: 'Exit button opens the door',
      enabled: true,
      trigger: { event: 'io/input', filter: { port: 'io-2', active: true } },
      conditions: [],
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 5 } }],
      // No conditions: they hold, so the trigger alone decides.
      status: { bound: true, conditionsHold: true },
    });

    expect((await p.request('GET', '/api/v1/rules', { user: VIEWER })).body).toEqual([created.body]);
    expect((await p.request('GET', `/api/v1/rules/${id}`, { user: VIEWER })).body).toEqual(created.body);

    const replaced = await p.request('PUT', `/api/v1/rules/${id}`, { user: OPERATOR, body: { ...exitButton, name: 'Exit button' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, name: 'Exit button', status: { bound: true } });

    const disabled = await p.request('POST', `/api/v1/rules/${id}/disable`, { user: OPERATOR });
    expect(disabled.body).toMatchObject({ enabled: false, status: { bound: false, reason: 'the rule is disabled' } });
    p.kernel.simulator!.setInput('io-2', true);
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(false);
    p.kernel.simulator!.setInput('io-2', false);

    const enabled = await p.request('POST', `/api/v1/rules/${id}/enable`, { user: OPERATOR });
    expect(enabled.body).toMatchObject({ enabled: true, status: { bound: true } });
    p.kernel.simulator!.setInput('io-2', true);
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(true);

    const deleted = await p.request('DELETE', `/api/v1/rules/${id}`, { user: OPERATOR });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    // Deleting a rule ends what it was doing: the door locks again.
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(false);
    expect((await p.request('GET', `/api/v1/rules/${id}`, { user: VIEWER })).status).toBe(404);
    expect((await p.request('GET', '/api/v1/rules', { user: VIEWER })).body).toEqual([]);
  });

  it('shows a rule whose plugin is off as unbound, with the reason', async () => {
    const p = await start();
    const { id } = (await p.request('POST', '/api/v1/rules', { user: OPERATOR, body: exitButton })).body;
    await p.request('POST', '/api/v1/plugins/io/disable', { user: ADMIN });
    const rule = (await p.request('GET', `/api/v1/rules/${id}`, { user: VIEWER })).body;
    expect(rule.status).toEqual({ bound: false, conditionsHold: false, reason: 'event io/input is not available: plugin "io" is disabled' });
  });

  it('answers 404 for a rule that does not exist', async () => {
    const p = await start();
    for (const [method, path, body] of [
      ['GET', '/api/v1/rules/nope', undefined],
      ['PUT', '/api/v1/rules/nope', exitButton],
      ['DELETE', '/api/v1/rules/nope', undefined],
      ['POST', '/api/v1/rules/nope/enable', undefined],
      ['POST', '/api/v1/rules/nope/disable', undefined],
    ] as const) {
      const reply = await p.request(method, path, { user: OPERATOR, ...(body === undefined ? {} : { body }) });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body).toEqual({ code: 'RULE_NOT_FOUND', message: 'There is no rule with id "nope".', details: [] });
    }
  });

  it('refuses a malformed rule with 400 and a rule the catalog rejects with 422, with the field, storing nothing', async () => {
    const p = await start();
    const noActions = await p.request('POST', '/api/v1/rules', { user: OPERATOR, body: { ...exitButton, actions: [] } });
    expect(noActions.status).toBe(400);
    expect(noActions.body).toMatchObject({ code: 'REQUEST_INVALID', details: [{ path: '/body/actions', message: 'a rule needs at least one action' }] });

    const unknownAction = await p.request('POST', '/api/v1/rules', {
      user: OPERATOR,
      body: { ...exitButton, actions: [{ type: 'io/explode', params: {} }] },
    });
    expect(unknownAction.status).toBe(422);
    expect(unknownAction.body.code).toBe('RULE_INVALID');
    expect(unknownAction.body.details).toEqual([
      { path: '/body/actions/0/type', message: 'unknown action type "io/explode" (known: io/toggle-once, io/toggle-while-active)' },
    ]);

    const badParams = await p.request('POST', '/api/v1/rules', {
      user: OPERATOR,
      body: { ...exitButton, actions: [{ type: 'io/toggle-once', params: { port: 'Garage', duration: '7 seconds' } }] },
    });
    expect(badParams.status).toBe(422);
    expect(badParams.body.details).toEqual([
      { path: '/body/actions/0/params/port', message: 'expected the id or name of a relay or output port in use' },
      { path: '/body/actions/0/params/duration', message: 'expected HH:MM:SS, e.g. 00:00:07' },
    ]);

    const badFilter = await p.request('POST', '/api/v1/rules', {
      user: OPERATOR,
      body: { ...exitButton, trigger: { event: 'io/input', filter: { colour: 'red' } } },
    });
    expect(badFilter.status).toBe(422);
    expect(badFilter.body.details[0].path).toBe('/body/trigger/filter/colour');

    expect((await p.request('GET', '/api/v1/rules', { user: VIEWER })).body).toEqual([]);
  });

  it('does not change a rule when the replacement is refused', async () => {
    const p = await start();
    const created = (await p.request('POST', '/api/v1/rules', { user: OPERATOR, body: exitButton })).body;
    const refused = await p.request('PUT', `/api/v1/rules/${created.id}`, {
      user: OPERATOR,
      body: { ...exitButton, actions: [{ type: 'io/toggle-once', params: { port: 'Garage', duration: 5 } }] },
    });
    expect(refused.status).toBe(422);
    expect((await p.request('GET', `/api/v1/rules/${created.id}`, { user: VIEWER })).body).toEqual(created);
  });

  it('lets a viewer read but not change rules', async () => {
    const p = await start();
    const reply = await p.request('POST', '/api/v1/rules', { user: VIEWER, body: exitButton });
    expect(reply.status).toBe(403);
    expect((await p.request('GET', '/api/v1/rules', { user: VIEWER })).status).toBe(200);
  });
});
