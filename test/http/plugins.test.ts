import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel } from '../../platform/kernel.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const OPERATOR = { username: 'otto', password: 'operator password' };

let p: TestPortier | undefined;
const folders: string[] = [];
afterEach(async () => {
  await p?.stop();
  p = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function start(): Promise<TestPortier> {
  p = await startTestPortier();
  await p.setUp();
  return p;
}

describe('GET /api/v1/plugins', () => {
  it('lists each plugin with its manifest, state, and the ports it holds', async () => {
    const p = await start();
    const reply = await p.request('GET', '/api/v1/plugins', { user: ADMIN });
    expect(reply.status).toBe(200);
    expect(reply.body).toHaveLength(1);
    const io = reply.body[0];
    expect(io).toMatchObject({
      name: 'io',
      displayName: 'I/O',
      version: '1.0.0',
      vendor: 'Portier',
      builtin: true,
      enabled: true,
      state: 'running',
      platform: '^1.0.0',
      provides: ['portier.io'],
      hardware: [{ kind: 'relay' }, { kind: 'io' }],
      contributes: { settings: true, events: ['io/input', 'io/output', 'io/manual-trigger'] },
    });
    expect(io.contributes.actions).toEqual(['io/toggle-once', 'io/toggle-while-active']);
    expect(io.ports).toContainEqual({ id: 'relay-1', purpose: 'Door' });
    expect(io.failure).toBeUndefined();

    const one = await p.request('GET', '/api/v1/plugins/io', { user: ADMIN });
    expect(one.body).toEqual(io);
  });

  it('answers 404 for a plugin that is not installed', async () => {
    const p = await start();
    for (const [method, path] of [
      ['GET', '/api/v1/plugins/sip'],
      ['POST', '/api/v1/plugins/sip/enable'],
      ['GET', '/api/v1/plugins/sip/settings'],
    ] as const) {
      const reply = await p.request(method, path, { user: ADMIN });
      expect(reply.status, path).toBe(404);
      expect(reply.body).toMatchObject({ code: 'PLUGIN_NOT_FOUND', message: 'There is no plugin named "sip" (installed: io).' });
    }
  });
});

describe('enable, disable, restart', () => {
  it('switches a plugin off and on (admin only); its ports are freed while it is off', async () => {
    const p = await start();
    await p.http.users.create(OPERATOR.username, 'operator', OPERATOR.password);
    const forbidden = await p.request('POST', '/api/v1/plugins/io/disable', { user: OPERATOR });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');

    const off = await p.request('POST', '/api/v1/plugins/io/disable', { user: ADMIN });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ name: 'io', enabled: false, state: 'stopped', note: 'disabled', ports: [] });
    const ports = (await p.request('GET', '/api/v1/ports', { user: ADMIN })).body;
    expect(ports.find((port: { id: string }) => port.id === 'relay-1').owner).toBeUndefined();

    const restart = await p.request('POST', '/api/v1/plugins/io/restart', { user: ADMIN });
    expect(restart.status).toBe(409);
    expect(restart.body).toMatchObject({ code: 'PLUGIN_DISABLED', message: 'Plugin "io" is disabled; enable it to start it.' });

    const on = await p.request('POST', '/api/v1/plugins/io/enable', { user: ADMIN });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, state: 'running' });
    expect(on.body.note).toBeUndefined();

    const again = await p.request('POST', '/api/v1/plugins/io/restart', { user: ADMIN });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('running');
  });
});

describe('plugin settings', () => {
  it('shows the settings in effect and their JSON Schema to an operator', async () => {
    const p = await start();
    await p.http.users.create(OPERATOR.username, 'operator', OPERATOR.password);
    const reply = await p.request('GET', '/api/v1/plugins/io/settings', { user: OPERATOR });
    expect(reply.status).toBe(200);
    expect(reply.body.plugin).toBe('io');
    expect(reply.body.values.ports['relay-1']).toEqual({ use: true, name: 'Door', normalState: 'fail-secure' });
    expect(reply.body.values.ports['io-1']).toEqual({ use: true, name: 'I1', direction: 'input', normalState: 'open' });
    expect(reply.body.schema.type).toBe('object');
    expect(reply.body.schema.properties.ports.properties['relay-1'].properties.normalState.enum).toEqual(['fail-secure', 'fail-safe']);

    const put = await p.request('PUT', '/api/v1/plugins/io/settings', { user: OPERATOR, body: reply.body.values });
    expect(put.status).toBe(403);
  });

  it('replaces them after validation by the plugin, and the plugin applies them at once', async () => {
    const p = await start();
    const current = (await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN })).body.values;
    const next = structuredClone(current);
    next.ports['relay-1'].name = 'Gate';
    next.ports['io-2'].direction = 'output';
    const reply = await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: next });
    expect(reply.status).toBe(200);
    expect(reply.body.values.ports['relay-1'].name).toBe('Gate');

    const ports = (await p.request('GET', '/api/v1/ports', { user: ADMIN })).body;
    expect(ports.find((port: { id: string }) => port.id === 'io-2')).toMatchObject({ direction: 'output', owner: 'io' });
    const again = await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN });
    expect(again.body.values.ports['relay-1'].name).toBe('Gate');
  });

  it('refuses settings the plugin rejects with 422 and field paths, and changes nothing', async () => {
    const p = await start();
    const before = (await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN })).body;

    const duplicate = structuredClone(before.values);
    duplicate.ports['io-2'].name = 'door';
    duplicate.ports['io-3'].direction = 'sideways';
    const reply = await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: duplicate });
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('SETTINGS_INVALID');
    expect(reply.body.details).toEqual(
      expect.arrayContaining([
        { path: '/body/ports/io-3/direction', message: expect.stringContaining('"input"') },
      ]),
    );

    const unknownField = await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: { ...before.values, colour: 'blue' } });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.details).toEqual([{ path: '/body/colour', message: 'unknown field "colour"' }]);

    const clash = structuredClone(before.values);
    clash.ports['io-2'].name = 'door';
    const named = await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: clash });
    expect(named.status).toBe(422);
    expect(named.body.details).toEqual([{ path: '/body/ports/io-2/name', message: '"door" is already the name of relay-1' }]);

    const notAnObject = await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: ['ports'] });
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.code).toBe('REQUEST_INVALID');

    const after = await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN });
    expect(after.body).toEqual(before);
    expect(p.kernel.settings.stored('io')).toEqual({});
    const plugin = (await p.request('GET', '/api/v1/plugins/io', { user: ADMIN })).body;
    expect(plugin.state).toBe('running');
  });

  it('can fix the stored settings of a plugin they stopped from starting, then restart it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-http-'));
    folders.push(dataDir);
    const seed = await Kernel.create({ dataDir, only: ['io'] });
    seed.settings.save('io', { ports: { 'relay-1': { name: 'Door', normalState: 'sideways' } } });
    await seed.stop();

    p = await startTestPortier({ dataDir });
    await p.setUp();
    const failed = (await p.request('GET', '/api/v1/plugins/io', { user: ADMIN })).body;
    expect(failed).toMatchObject({ state: 'failed', failure: { code: 'SETTINGS_INVALID', where: 'start()' } });
    expect(failed.failure.message).toContain('/ports/relay-1/normalState');

    const settings = await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN });
    expect(settings.body.schema).not.toBeNull();
    const fixed = await p.request('PUT', '/api/v1/plugins/io/settings', {
      user: ADMIN,
      body: { ports: { 'relay-1': { name: 'Door', normalState: 'fail-safe' } } },
    });
    expect(fixed.status).toBe(200);
    const restarted = await p.request('POST', '/api/v1/plugins/io/restart', { user: ADMIN });
    expect(restarted.body).toMatchObject({ state: 'running' });
    const relay = (await p.request('GET', '/api/v1/ports', { user: ADMIN })).body.find((port: { id: string }) => port.id === 'relay-1');
    expect(relay).toMatchObject({ normalState: 'fail-safe', state: { active: false, contact: 'closed' } });
  });
});
