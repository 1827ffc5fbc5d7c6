import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';
import { packApp, signingKey, writeApp } from './support/app-fixtures.js';

describe('a package named like a plugin that is not an installed app', () => {
  const started: TestPortier[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('is refused (APP_NAME_TAKEN), and that plugin keeps running from its own folder', async () => {
    // A plugin folder copied into the apps folder by hand: found and run, but no installed version of an app.
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-apps-held-'));
    folders.push(dataDir);
    mkdirSync(join(dataDir, 'apps'));
    cpSync(writeApp({ name: 'greeter', version: '1.0.0' }), join(dataDir, 'apps', 'greeter'), { recursive: true });
    const p = await startTestPortier({ plugins: ['io', 'greeter'], dataDir });
    started.push(p);
    await p.setUp();
    expect((await p.request('GET', '/api/v1/plugins/greeter', { user: ADMIN })).body).toMatchObject({ state: 'running', version: '1.0.0' });

    const key = signingKey();
    expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'Acme Door Systems', publicKey: key.publicKeyPem }, user: ADMIN })).status).toBe(201);
    const pkg = await packApp(writeApp({ name: 'greeter', version: '2.0.0' }), key);
    const reply = await p.request('POST', '/api/v1/apps', { raw: pkg.bytes, headers: { 'content-type': 'application/gzip' }, user: ADMIN });
    expect(reply.status, reply.text).toBe(409);
    expect(reply.body).toMatchObject({ code: 'APP_NAME_TAKEN', message: expect.stringContaining('not an installed app') });

    expect((await p.request('GET', '/api/v1/plugins/greeter', { user: ADMIN })).body).toMatchObject({ state: 'running', version: '1.0.0' });
    expect(existsSync(join(dataDir, 'apps', 'greeter', 'manifest.json'))).toBe(true);
    expect(readdirSync(join(dataDir, 'apps', '.staging'))).toEqual([]);
    expect(existsSync(join(dataDir, 'apps', '.versions', 'greeter'))).toBe(false);
  });
});
