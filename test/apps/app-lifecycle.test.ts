import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningKey } from '../../platform/apps/package/package-signature.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';
import { packApp, signingKey, writeApp } from './support/app-fixtures.js';

interface LogReply {
  lines: { level: string; message: string; fields?: { version?: string; runs?: number } }[];
}

async function trusted(p: TestPortier): Promise<SigningKey> {
  const key = signingKey();
  expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'Acme Door Systems', publicKey: key.publicKeyPem }, user: ADMIN })).status).toBe(201);
  return key;
}

async function upload(p: TestPortier, bytes: Buffer) {
  return p.request('POST', '/api/v1/apps', { raw: bytes, headers: { 'content-type': 'application/octet-stream' }, user: ADMIN });
}

/** The app's own "started" lines: which version ran, and how many runs its store has counted. */
async function starts(p: TestPortier, name: string): Promise<{ version?: string; runs?: number }[]> {
  const logs = await p.request<LogReply>('GET', `/api/v1/apps/${name}/logs`, { user: ADMIN });
  expect(logs.status).toBe(200);
  return logs.body.lines.filter((l) => l.message === 'started').map((l) => l.fields ?? {});
}

function multipart(fileName: string, bytes: Buffer): { body: Buffer; contentType: string } {
  const boundary = '----portier-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="package"; filename="${fileName}"\r\nContent-Type: application/gzip\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('apps over the API', () => {
  const started: TestPortier[] = [];
  const cleanUp: (() => void)[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
    for (const clean of cleanUp.splice(0)) clean();
  });
  // Built-in plugins other than io stay out of these tests; installed apps are found as on a device.
  async function portier(dataDir?: string): Promise<TestPortier> {
    const p = await startTestPortier({ plugins: ['io', 'greeter'], ...(dataDir === undefined ? {} : { dataDir }) });
    started.push(p);
    return p;
  }

  it('installs from a multipart form, lists the app with its signer, and shows its log', async () => {
    const p = await portier();
    await p.setUp();
    const key = await trusted(p);
    const pkg = await packApp(writeApp({ name: 'greeter', version: '1.2.0' }), key);
    const form = multipart(pkg.fileName, pkg.bytes);
    const reply = await p.request('POST', '/api/v1/apps', { raw: form.body, headers: { 'content-type': form.contentType }, user: ADMIN });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({ outcome: 'installed', app: { name: 'greeter', version: '1.2.0', vendor: 'Acme Door Systems', state: 'running' } });

    const list = await p.request('GET', '/api/v1/apps', { user: ADMIN });
    expect(list.body).toEqual([expect.objectContaining({ name: 'greeter', version: '1.2.0', state: 'running', signedBy: { keyId: key.keyId, name: 'Acme Door Systems' } })]);
    // A built-in plugin is a plugin, not an app.
    expect((list.body as { name: string }[]).map((a) => a.name)).not.toContain('io');
    expect(await starts(p, 'greeter')).toEqual([{ version: '1.2.0', runs: 1 }]);
  });

  it('upgrades in place: data and settings kept, the old version removed', async () => {
    const p = await portier();
    await p.setUp();
    const key = await trusted(p);
    expect((await upload(p, (await packApp(writeApp({ name: 'greeter', version: '1.0.0' }), key)).bytes)).status).toBe(201);
    const v1Dir = realpathSync(join(p.dataDir, 'apps', 'greeter'));

    const upgraded = await upload(p, (await packApp(writeApp({ name: 'greeter', version: '1.1.0' }), key)).bytes);
    expect(upgraded.status, upgraded.text).toBe(200);
    expect(upgraded.body).toMatchObject({ outcome: 'upgraded', previousVersion: '1.0.0', app: { version: '1.1.0', state: 'running' } });
    // The store outlived the upgrade: the new version counted on from the old one's runs.
    expect(await starts(p, 'greeter')).toEqual([
      { version: '1.0.0', runs: 1 },
      { version: '1.1.0', runs: 2 },
    ]);
    expect(existsSync(v1Dir)).toBe(false);
    expect(readdirSync(join(p.dataDir, 'apps', '.versions', 'greeter'))).toHaveLength(1);
  });

  it('keeps a stopped app stopped across a restart of the intercom, until it is started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-apps-restart-'));
    cleanUp.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await portier(dataDir);
    await first.setUp();
    const key = await trusted(first);
    expect((await upload(first, (await packApp(writeApp({ name: 'greeter' }), key)).bytes)).status).toBe(201);
    const stopped = await first.request('POST', '/api/v1/apps/greeter/stop', { user: ADMIN });
    expect(stopped.body).toMatchObject({ state: 'stopped', enabled: false });
    await first.stop();
    started.splice(0);

    const again = await portier(dataDir);
    expect((await again.request('GET', '/api/v1/apps/greeter', { user: ADMIN })).body).toMatchObject({ state: 'installed', enabled: false, note: 'disabled', signedBy: { keyId: key.keyId } });
    expect((await again.request('POST', '/api/v1/apps/greeter/start', { user: ADMIN })).body).toMatchObject({ state: 'running', enabled: true });
    expect((await again.request('POST', '/api/v1/apps/greeter/restart', { user: ADMIN })).body).toMatchObject({ state: 'running' });
    expect((await starts(again, 'greeter')).map((s) => s.runs)).toEqual([2, 3]);
  });

  it('uninstalls: removes what the app brought and its data, or keeps the data when asked', async () => {
    const p = await portier();
    await p.setUp();
    const key = await trusted(p);
    const pkg = (await packApp(writeApp({ name: 'greeter' }), key)).bytes;
    expect((await upload(p, pkg)).status).toBe(201);

    expect((await p.request('DELETE', '/api/v1/apps/greeter?keepData=true', { user: ADMIN })).status).toBe(204);
    expect(existsSync(join(p.dataDir, 'apps', 'greeter'))).toBe(false);
    expect(existsSync(join(p.dataDir, 'apps', '.versions', 'greeter'))).toBe(false);
    expect((await p.request('GET', '/api/v1/apps/greeter', { user: ADMIN })).body).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect((await p.request('GET', '/api/v1/plugins/greeter', { user: ADMIN })).status).toBe(404);

    // Data kept: the reinstalled app counts on.
    expect((await upload(p, pkg)).status).toBe(201);
    expect((await starts(p, 'greeter')).map((s) => s.runs)).toEqual([1, 2]);

    expect((await p.request('DELETE', '/api/v1/apps/greeter', { user: ADMIN })).status).toBe(204);
    expect(p.kernel.db.prepare("SELECT count(*) AS n FROM plugin_kv WHERE plugin = 'greeter'").get()).toEqual({ n: 0 });
    expect((await upload(p, pkg)).status).toBe(201);
    expect((await starts(p, 'greeter')).map((s) => s.runs)).toEqual([1]);
  });

  it('refuses to manage a built-in plugin as an app, and names what is not installed', async () => {
    const p = await portier();
    await p.setUp();
    expect((await p.request('DELETE', '/api/v1/apps/io', { user: ADMIN })).body).toMatchObject({ code: 'APP_BUILTIN' });
    const missing = await p.request('POST', '/api/v1/apps/nothing-here/start', { user: ADMIN });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'APP_NOT_FOUND', message: expect.stringContaining('GET /api/v1/apps') });
  });

  it('manages the trusted keys: refuses a key that is not Ed25519, lists, removes', async () => {
    const p = await portier();
    await p.setUp();
    const bad = await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'x', publicKey: 'not a key' }, user: ADMIN });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'TRUSTED_KEY_INVALID', details: [{ path: '/publicKey' }] });
    const key = await trusted(p);
    expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'again', publicKey: key.publicKeyPem }, user: ADMIN })).body).toMatchObject({ code: 'TRUSTED_KEY_EXISTS' });
    expect((await p.request('GET', '/api/v1/apps/trusted-keys', { user: ADMIN })).body).toEqual([expect.objectContaining({ keyId: key.keyId, name: 'Acme Door Systems', addedBy: ADMIN.username })]);
    expect((await p.request('DELETE', `/api/v1/apps/trusted-keys/${key.keyId}`, { user: ADMIN })).status).toBe(204);
    expect((await p.request('GET', '/api/v1/apps/trusted-keys', { user: ADMIN })).body).toEqual([]);
  });

  it('keeps what other apps require: no uninstall under them, no upgrade out of their range', async () => {
    const p = await portier();
    await p.setUp();
    const key = await trusted(p);
    expect((await upload(p, (await packApp(writeApp({ name: 'greeter', version: '1.0.0' }), key)).bytes)).status).toBe(201);
    expect((await upload(p, (await packApp(writeApp({ name: 'greeter-addon', requires: { greeter: '^1.0.0' } }), key)).bytes)).status).toBe(201);

    const uninstall = await p.request('DELETE', '/api/v1/apps/greeter', { user: ADMIN });
    expect(uninstall.status).toBe(409);
    expect(uninstall.body).toMatchObject({ code: 'APP_REQUIRED_BY_OTHERS', message: '"greeter-addon" requires "greeter"; uninstall it first.' });
    const tooNew = await upload(p, (await packApp(writeApp({ name: 'greeter', version: '2.0.0' }), key)).bytes);
    expect(tooNew.status).toBe(409);
    expect(tooNew.body).toMatchObject({ code: 'APP_REQUIRED_BY_OTHERS', message: expect.stringContaining('"greeter-addon" requires greeter ^1.0.0, which 2.0.0 is outside of') });
    expect((await upload(p, (await packApp(writeApp({ name: 'greeter', version: '1.1.0' }), key)).bytes)).status).toBe(200);
    expect((await p.request('GET', '/api/v1/apps/greeter-addon', { user: ADMIN })).body).toMatchObject({ state: 'running' });
  });

  it('says which bodies an upload takes, and keeps package wording to package uploads', async () => {
    const p = await portier();
    await p.setUp();
    const text = await p.request('POST', '/api/v1/apps', { raw: 'hello', headers: { 'content-type': 'text/plain' }, user: ADMIN });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ code: 'MEDIA_TYPE_UNSUPPORTED', message: expect.stringContaining('application/gzip, application/octet-stream or a multipart/form-data form') });
    const bigKey = await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'x', publicKey: 'k'.repeat(2 * 1024 * 1024) }, user: ADMIN });
    expect(bigKey.status).toBe(413);
    expect(bigKey.body).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });
});
