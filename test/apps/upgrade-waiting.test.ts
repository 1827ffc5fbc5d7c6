import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';
import { packApp, signingKey, writeApp } from './support/app-fixtures.js';

describe('upgrading an app that waits for a stopped dependency', () => {
  const started: TestPortier[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
  });

  it('is an upgrade, not a failed start: the new version waits as the old one did, and runs once the dependency does', async () => {
    const p = await startTestPortier({ plugins: ['io', 'door-base', 'door-extra'] });
    started.push(p);
    await p.setUp();
    const key = signingKey();
    expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'Acme Door Systems', publicKey: key.publicKeyPem }, user: ADMIN })).status).toBe(201);
    const install = async (dir: string) =>
      p.request('POST', '/api/v1/apps', { raw: (await packApp(dir, key)).bytes, headers: { 'content-type': 'application/gzip' }, user: ADMIN });
    expect((await install(writeApp({ name: 'door-base' }))).status).toBe(201);
    expect((await install(writeApp({ name: 'door-extra', version: '1.0.0', requires: { 'door-base': '^1.0.0' } }))).status).toBe(201);

    // The administrator stops the dependency: the dependent waits for it.
    expect((await p.request('POST', '/api/v1/apps/door-base/stop', { user: ADMIN })).status).toBe(200);
    expect((await p.request('GET', '/api/v1/apps/door-extra', { user: ADMIN })).body).toMatchObject({ state: 'stopped', enabled: true });

    const upgraded = await install(writeApp({ name: 'door-extra', version: '1.1.0', requires: { 'door-base': '^1.0.0' } }));
    expect(upgraded.status, upgraded.text).toBe(200);
    expect(upgraded.body).toMatchObject({ outcome: 'upgraded', previousVersion: '1.0.0', app: { version: '1.1.0', state: 'stopped', note: expect.stringContaining('waiting for "door-base"') } });

    expect((await p.request('POST', '/api/v1/apps/door-base/start', { user: ADMIN })).status).toBe(200);
    expect((await p.request('GET', '/api/v1/apps/door-extra', { user: ADMIN })).body).toMatchObject({ version: '1.1.0', state: 'running' });
  });
});
