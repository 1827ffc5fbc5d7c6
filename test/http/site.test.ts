import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const OLGA = { username: 'olga', password: 'operator password' };
const OTHER_ADMIN = { username: 'admin', password: 'the other intercom' };
const SECRET_KEEPER = fileURLToPath(new URL('./fixtures/secret-keeper/', import.meta.url));

/** What the configuration looks like from outside: the resources an integrator reads back. */
async function configuration(p: TestPortier, user: { username: string; password: string }) {
  const get = async (path: string) => {
    const reply = await p.request('GET', path, { user });
    expect(reply.status, `GET ${path}: ${reply.text}`).toBe(200);
    return reply.body;
  };
  return {
    rules: await get('/api/v1/rules'),
    schedules: await get('/api/v1/schedules'),
    ioSettings: await get('/api/v1/plugins/io/settings'),
    ioPorts: await get('/api/v1/plugins/io/ports'),
    plugins: (await get('/api/v1/plugins')).map((plugin: { name: string; enabled: boolean; state: string }) => [plugin.name, plugin.enabled, plugin.state]),
    users: (await get('/api/v1/users')).map((u: { username: string; role: string }) => [u.username, u.role]),
  };
}

/** One Portier configured over the API: io renames relay-1, a schedule, a rule on both, a second user. */
async function configuredPortier(): Promise<TestPortier> {
  const p = await startTestPortier({ kernel: { pluginPaths: [SECRET_KEEPER] } });
  await p.setUp();
  const ok = async (method: string, path: string, body: unknown) => {
    const reply = await p.request(method, path, { user: ADMIN, body });
    expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(300);
    return reply.body;
  };
  await ok('PUT', '/api/v1/plugins/io/settings', { ports: { 'relay-1': { name: 'Front door', normalState: 'fail-safe' }, 'io-4': { name: 'Exit button' } } });
  await ok('PUT', '/api/v1/plugins/secret-keeper/settings', { server: 'mqtt.example', password: 's3cret!' });
  const schedule = await ok('POST', '/api/v1/schedules', {
    kind: 'weekly',
    name: 'Office hours',
    intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }],
  });
  await ok('POST', '/api/v1/rules', {
    name: 'Exit button opens the front door in office hours',
    trigger: { event: 'io/input', filter: { port: 'io-4', active: true } },
    conditions: [{ type: 'core/schedule-active', params: { schedule: schedule.id } }],
    actions: [{ type: 'io/toggle-once', params: { port: 'Front door', duration: '00:00:07' } }],
  });
  await ok('POST', '/api/v1/rules', {
    name: 'Manual trigger 1 holds relay 2',
    conditions: [{ type: 'io/manual-trigger-active', params: { trigger: 1 } }],
    actions: [{ type: 'io/toggle-while-active', params: { port: 'Relay 2' } }],
  });
  await ok('POST', '/api/v1/users', { username: OLGA.username, role: 'operator', password: OLGA.password });
  return p;
}

describe('site export and import', () => {
  const started: TestPortier[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
  });

  it('exports one document with hashes, never passwords, and secrets as placeholders', async () => {
    const a = await configuredPortier();
    started.push(a);
    const viewer = await a.request('GET', '/api/v1/site', { user: OLGA });
    expect(viewer.status).toBe(403);

    const reply = await a.request('GET', '/api/v1/site', { user: ADMIN });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toMatch(/^attachment; filename="portier-site-\d{4}-\d{2}-\d{2}\.json"$/);
    const site = reply.body;
    expect(site).toMatchObject({ format: 'portier-site', formatVersion: 1, platformVersion: '1.0.0' });
    expect(new Date(site.exportedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(site.plugins.io).toMatchObject({ version: '1.0.0', enabled: true, settings: { ports: { 'relay-1': { name: 'Front door', normalState: 'fail-safe' } } } });
    expect(site.plugins['secret-keeper'].settings).toEqual({ server: 'mqtt.example', password: { $secret: true } });
    expect(site.schedules).toHaveLength(1);
    expect(site.schedules[0]).toMatchObject({ id: expect.any(String), kind: 'weekly', name: 'Office hours' });
    expect(site.rules).toHaveLength(2);
    expect(site.rules[0].conditions[0].params.schedule).toBe(site.schedules[0].id);
    expect(site.rules[0]).not.toHaveProperty('status');
    expect(site.users).toEqual([
      { username: 'admin', role: 'admin', passwordHash: expect.stringMatching(/^scrypt\$32768\$8\$1\$/) },
      { username: 'olga', role: 'operator', passwordHash: expect.stringMatching(/^scrypt\$/) },
    ]);
    expect(reply.text).not.toContain(ADMIN.password);
    expect(reply.text).not.toContain(OLGA.password);
    expect(reply.text).not.toContain('s3cret!');
  });

  it("leaves out, saying so, the settings of a plugin that has not run since start, whose secret fields are not known", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-site-unrun-'));
    try {
      const a = await startTestPortier({ dataDir, kernel: { pluginPaths: [SECRET_KEEPER] } });
      await a.setUp();
      expect((await a.request('PUT', '/api/v1/plugins/secret-keeper/settings', { user: ADMIN, body: { server: 'mqtt.example', password: 's3cret!' } })).status).toBe(200);
      expect((await a.request('POST', '/api/v1/plugins/secret-keeper/disable', { user: ADMIN })).status).toBe(200);
      await a.stop();
      // Started again: the disabled plugin never runs, so its schema (and which fields are secret) is unknown.
      const b = await startTestPortier({ dataDir, kernel: { pluginPaths: [SECRET_KEEPER] } });
      started.push(b);
      const reply = await b.request('GET', '/api/v1/site', { user: ADMIN });
      expect(reply.status).toBe(200);
      expect(reply.text).not.toContain('s3cret!');
      expect(reply.body.plugins['secret-keeper']).toEqual({ version: expect.any(String), enabled: false });
      expect(reply.body.notes).toEqual([expect.stringContaining('The settings of "secret-keeper" are not in this file')]);
    } finally {
      for (const p of started.splice(0)) await p.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('imports into a fresh intercom: the same configuration, users sign in with their passwords, secrets kept or asked for', async () => {
    const a = await configuredPortier();
    started.push(a);
    const site = (await a.request('GET', '/api/v1/site', { user: ADMIN })).body;

    const b = await startTestPortier({ kernel: { pluginPaths: [SECRET_KEEPER] } });
    started.push(b);
    expect(b.dataDir).not.toBe(a.dataDir);
    const setup = await b.request('POST', '/api/v1/setup', { body: { ...OTHER_ADMIN, confirmPassword: OTHER_ADMIN.password } });
    expect(setup.status).toBe(201);

    // This intercom has no secret to keep in place of the placeholder: the document must bring it.
    const withoutSecret = await b.request('PUT', '/api/v1/site', { user: OTHER_ADMIN, body: site });
    expect(withoutSecret.status).toBe(422);
    expect(withoutSecret.body.code).toBe('SITE_INVALID');
    expect(withoutSecret.body.details).toEqual([{ path: '/plugins/secret-keeper/settings/password', message: expect.stringContaining('{ "$secret": true }') }]);

    const complete = structuredClone(site);
    complete.plugins['secret-keeper'].settings.password = 'the target secret';
    const imported = await b.request('PUT', '/api/v1/site', { user: OTHER_ADMIN, body: complete });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject({ schedules: 1, rules: 2, users: 2, restarted: expect.arrayContaining(['io', 'secret-keeper']) });
    expect(imported.body.plugins).toContainEqual({ name: 'io', enabled: true, settingsChanged: true });

    // The users are the document's now: the other admin password is gone, the exported ones work.
    expect((await b.request('GET', '/api/v1/rules', { user: OTHER_ADMIN })).status).toBe(401);
    const mine = await configuration(a, ADMIN);
    const theirs = await configuration(b, ADMIN);
    expect(theirs).toEqual(mine);
    expect(theirs.rules.map((r: { status: { bound: boolean } }) => r.status.bound)).toEqual([true, true]);
    expect(theirs.ioPorts).toContainEqual({ id: 'relay-1', name: 'Front door', kind: 'relay', direction: 'output', active: false });
    const asOlga = await b.request('PUT', '/api/v1/plugins/io/manual-triggers/1', { user: OLGA, body: { active: true } });
    expect(asOlga.status).toBe(200);
    // The rule on manual trigger 1 runs on the imported settings: Relay 2 is held.
    expect(b.kernel.simulator!.relayContactClosed('relay-2')).toBe(true);
    expect(b.kernel.settings.stored('secret-keeper')).toEqual({ server: 'mqtt.example', password: 'the target secret' });

    // Back into the first intercom, the placeholder keeps the secret it has.
    const back = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: site });
    expect(back.status, back.text).toBe(200);
    expect(a.kernel.settings.stored('secret-keeper')).toEqual({ server: 'mqtt.example', password: 's3cret!' });
  });

  it('refuses a document with a bad rule, pointing into it, and changes nothing', async () => {
    const a = await configuredPortier();
    started.push(a);
    const site = (await a.request('GET', '/api/v1/site', { user: ADMIN })).body;
    const before = await configuration(a, ADMIN);
    const storedBefore = a.kernel.db.prepare('SELECT (SELECT json_group_array(definition) FROM rules) AS rules, (SELECT json_group_array(definition) FROM schedules) AS schedules, (SELECT json_group_array(password_hash) FROM users) AS users').get();

    const bad = structuredClone(site);
    bad.plugins.io.settings.ports['relay-2'].name = 'Gate';
    // Valid only with the document's settings in place: checked on a dry run of them.
    bad.rules[1].actions[0].params.port = 'Gate';
    bad.plugins.io.enabled = false;
    bad.schedules.push({ id: 'weekend', kind: 'weekly', name: 'Weekend', intervals: [{ days: ['sat', 'sun'], start: '00:00', end: '24:00' }] });
    bad.users.push({ username: 'eve', role: 'viewer', passwordHash: bad.users[0].passwordHash });
    bad.rules.push({
      id: 'third',
      name: 'Weekend gate',
      conditions: [{ type: 'core/schedule-active', params: { schedule: 'weekend' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'Gate' } }],
    });
    // The old name, gone once the document renames relay-2 to Gate.
    bad.rules.push({
      id: 'fourth',
      name: 'Exit to relay 2',
      trigger: { event: 'io/input', filter: { port: 'io-4' } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Relay 2', duration: '00:00:03' } }],
    });
    bad.plugins['secret-keeper'].settings.password = 'changed';

    const reply = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: bad });
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('SITE_INVALID');
    expect(reply.body.details).toEqual([{ path: '/rules/3/actions/0/params/port', message: expect.stringContaining('port in use') }]);
    expect(reply.body.message).toContain('nothing was imported');

    expect(await configuration(a, ADMIN)).toEqual(before);
    expect(a.kernel.db.prepare('SELECT (SELECT json_group_array(definition) FROM rules) AS rules, (SELECT json_group_array(definition) FROM schedules) AS schedules, (SELECT json_group_array(password_hash) FROM users) AS users').get()).toEqual(storedBefore);
    expect(a.kernel.settings.stored('secret-keeper')).toEqual({ server: 'mqtt.example', password: 's3cret!' });
    expect((await a.request('GET', '/api/v1/rules', { user: { username: 'eve', password: ADMIN.password } })).status).toBe(401);

    // Without the stale rule the same document is fine (the rule on the new schedule and the new name included).
    bad.rules.pop();
    const good = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: bad });
    expect(good.status, good.text).toBe(200);
    expect(a.kernel.host.get('io').enabled).toBe(false);
  });

  it('says what is wrong with a malformed document, by JSON pointer', async () => {
    const a = await configuredPortier();
    started.push(a);
    const site = (await a.request('GET', '/api/v1/site', { user: ADMIN })).body;

    const future = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: { ...site, formatVersion: 2 } });
    expect(future.status).toBe(422);
    expect(future.body.details).toEqual([{ path: '/formatVersion', message: 'expected 1: this Portier reads site documents of format version 1' }]);

    const broken = structuredClone(site);
    broken.plugins.sip = { version: '1.0.0', enabled: true };
    broken.plugins.io.settings.ports['relay-2'].name = 'Front door';
    broken.schedules[0].intervals[0].end = '07:00';
    broken.rules[1].id = broken.rules[0].id;
    broken.users[1] = { username: 'olga', role: 'operator', password: 'plain text' };
    const reply = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: broken });
    expect(reply.status).toBe(422);
    // The document's own shape first: nothing else is looked at until it is right.
    expect(reply.body.details).toEqual([
      { path: '/users/1/passwordHash', message: expect.any(String) },
      { path: '/users/1/password', message: 'unknown field "password"' },
    ]);

    broken.users[1] = site.users[1];
    const second = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: broken });
    expect(second.status).toBe(422);
    expect(second.body.details).toEqual([
      { path: '/plugins/sip', message: expect.stringContaining('plugin "sip" is not installed on this intercom') },
      { path: '/schedules/0/intervals/0/end', message: 'end must be after start on the same day' },
    ]);

    delete broken.plugins.sip;
    broken.schedules[0].intervals[0].end = '17:00';
    const third = await a.request('PUT', '/api/v1/site', { user: ADMIN, body: broken });
    expect(third.status).toBe(422);
    expect(third.body.details).toEqual([
      { path: '/plugins/io/settings/ports/relay-2/name', message: '"Front door" is already the name of relay-1' },
      { path: '/rules/1/id', message: 'the same rule as item 0 (ids are unique)' },
    ]);
  });
});
