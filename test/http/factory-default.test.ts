import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { httpsClient } from '../support/https-client.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

const CONFIRM = { confirm: 'erase everything' };
const VIEWER = { username: 'vera', password: 'viewer password' };

/**
 * Until the API answers from first run: the old server may still answer for
 * a moment, and connections are refused while Portier restarts.
 */
async function untilFirstRun(request: () => Promise<{ status: number; body: any }>): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const reply = await request();
      if (reply.body?.code === 'NOT_SET_UP' || Date.now() > deadline) return reply;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('factory default', () => {
  let p: TestPortier | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it('asks for the confirmation, and only an administrator may ask', async () => {
    p = await startTestPortier();
    await p.setUp();
    await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
    const message = 'To erase this intercom, send {"confirm": "erase everything"}. It deletes the users, rules, schedules, settings, installed apps and the HTTPS certificate, and returns Portier to first run.';
    for (const body of [undefined, {}, { confirm: 'yes' }, { confirm: 'erase everything', also: 1 }, 'erase everything']) {
      const reply = await p.request('POST', '/api/v1/system/factory-default', { user: ADMIN, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toEqual({ code: 'CONFIRMATION_REQUIRED', message, details: [{ path: '/body/confirm', message: 'expected "erase everything"' }] });
    }
    expect((await p.request('POST', '/api/v1/system/factory-default', { user: VIEWER, body: CONFIRM })).status).toBe(403);
    expect((await p.request('POST', '/api/v1/system/factory-default', { body: CONFIRM })).status).toBe(401);
    expect((await p.request('GET', '/api/v1/health')).status).toBe(200);
    expect(p.http.users.count()).toBe(2);
  });

  it('erases the data folder and comes back at first run on the same port, with a new certificate', async () => {
    p = await startTestPortier();
    await p.setUp();
    const rule = await p.request('POST', '/api/v1/rules', {
      user: ADMIN,
      body: { name: 'Door on I1', trigger: { event: 'io/input', filter: { port: 'io-1', active: true } }, actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: '00:00:03' } }] },
    });
    expect(rule.status).toBe(201);
    mkdirSync(join(p.dataDir, 'apps', 'some-app'), { recursive: true });
    writeFileSync(join(p.dataDir, 'apps', 'some-app', 'manifest.json'), '{}');
    writeFileSync(join(p.dataDir, 'not-portiers.txt'), 'left alone');
    const kernelBefore = p.kernel;
    const certificateBefore = p.http.tls.fingerprint256;
    const port = p.http.addresses.https.port;

    const reply = await p.request('POST', '/api/v1/system/factory-default', { user: ADMIN, body: CONFIRM });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'erasing' });

    const after = await untilFirstRun(() => p!.request('GET', '/api/v1/rules', { user: ADMIN }));
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('NOT_SET_UP');
    expect(p.kernel).not.toBe(kernelBefore);
    expect(p.http.addresses.https.port).toBe(port);
    expect(p.http.tls.fingerprint256).not.toBe(certificateBefore);
    expect(p.http.tls.source).toBe('generated');
    expect(existsSync(join(p.dataDir, 'apps'))).toBe(false);
    expect(readFileSync(join(p.dataDir, 'not-portiers.txt'), 'utf8')).toBe('left alone');
    expect(p.kernel.host.get('io').state).toBe('running');

    // First run again: the old administrator is gone, a new one can be made, and nothing of before is left.
    await p.setUp();
    expect((await p.request('GET', '/api/v1/rules', { user: ADMIN })).body).toEqual([]);
    expect(p.http.users.list().map((u) => u.username)).toEqual(['admin']);
  });

  it('works under portier start: the same process answers NOT_SET_UP afterwards', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-factory-'));
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'platform/cli/portier.ts'), 'start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off'], {
      cwd: root,
      env: { ...process.env, PORTIER_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const listening: { https: string }[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, newline)) as { msg: string; https?: string };
        buffer = buffer.slice(newline + 1);
        if (line.msg.startsWith('HTTPS API listening')) listening.push({ https: line.https! });
      }
    });
    try {
      await expect.poll(() => listening.length, { timeout: 20_000 }).toBe(1);
      const client = () => httpsClient(listening.at(-1)!.https, readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8'));
      expect((await client()('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } })).status).toBe(201);
      const firstCertificate = readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8');

      expect((await client()('POST', '/api/v1/system/factory-default', { user: ADMIN, body: CONFIRM })).status).toBe(202);
      await expect.poll(() => listening.length, { timeout: 20_000 }).toBe(2);
      expect(listening[1]!.https).toBe(listening[0]!.https);
      expect(readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8')).not.toBe(firstCertificate);
      const after = await client()('GET', '/api/v1/rules', { user: ADMIN });
      expect(after.status).toBe(403);
      expect(after.body.code).toBe('NOT_SET_UP');
      expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(['portier.db', 'tls']));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
