import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsClient } from '../support/https-client.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'platform', 'cli', 'portier.js');
const EXAMPLE = join(ROOT, 'examples', 'door-chime');
const ADMIN = { username: 'installer', password: 'a long enough password' };
const run = promisify(execFile);

/** `portier <args>` as a user runs it (the built CLI), with the admin's password in the environment. */
async function portier(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, PORTIER_PASSWORD: ADMIN.password } });
}

/** A copy of the example at `version`, built with its own build script, as its vendor would ship it. */
async function buildDoorChime(parent: string, version: string): Promise<string> {
  const dir = join(parent, `door-chime-${version}`);
  cpSync(EXAMPLE, dir, { recursive: true, filter: (source) => !source.includes(`${EXAMPLE}/dist`) && !source.includes('node_modules') });
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, $schema: undefined, version }, null, 2));
  // The vendor's build tools (esbuild) come from their own node_modules; here, the repository's.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  await run(process.execPath, [join(dir, 'build.mjs')], { cwd: ROOT });
  return dir;
}

/**
 * The door chime from its vendor's folder to a running intercom and back out,
 * everything as its users do it: the vendor packs and signs with the CLI, the
 * admin trusts the key and installs with `portier install` over HTTPS, an
 * integrator frees relay 2 and writes a rule that rings the chime when the
 * doorbell input closes, then the app is upgraded and uninstalled.
 */
describe('door-chime, end to end', () => {
  const work = mkdtempSync(join(tmpdir(), 'portier-door-chime-e2e-'));
  const dataDir = join(work, 'data');
  let server: ChildProcess | undefined;
  let url = '';
  let request: ReturnType<typeof httpsClient>;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    server = spawn(process.execPath, [CLI, 'start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off'], {
      cwd: ROOT,
      env: { ...process.env, PORTIER_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      let stderr = '';
      server!.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      server!.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /"https":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(buffer);
        if (match) resolve(match[1]!);
      });
      server!.once('close', (code) => reject(new Error(`portier start exited ${code}: ${stderr}`)));
    });
    request = httpsClient(url, readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8'));
    const setup = await request('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
    expect(setup.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    if (server !== undefined && server.exitCode === null) {
      const closed = new Promise((resolve) => server!.once('close', resolve));
      server.kill('SIGTERM');
      await closed;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('is packed and signed, installed over HTTPS, rings from a rule, upgrades and uninstalls', async () => {
    const connection = ['--url', url, '--user', ADMIN.username, '--ca', join(dataDir, 'tls', 'certificate.pem')];

    // The vendor: a key, a build, a signed package.
    const keyPrefix = join(work, 'acme');
    expect((await portier(['keygen', '--out', keyPrefix])).stdout).toMatch(/key id [0-9a-f-]+/);
    const v1Dir = await buildDoorChime(work, '1.0.0');
    const packed = await portier(['pack', v1Dir, '--out', work]);
    const v1 = join(work, 'door-chime-1.0.0.tgz');
    expect(packed.stdout).toContain(v1);
    expect((await portier(['sign', v1, '--key', `${keyPrefix}.key.pem`, '--signer', 'Acme Door Systems'])).stdout).toMatch(/signed with key/);

    // The admin trusts the vendor's key and installs; the intercom's I/O lets go of relay 2 for the chime first.
    const trust = await request('POST', '/api/v1/apps/trusted-keys', { user: ADMIN, body: { name: 'Acme Door Systems', publicKey: readFileSync(`${keyPrefix}.pub.pem`, 'utf8') } });
    expect(trust.status).toBe(201);
    const refused = await portier(['install', v1, ...connection]).catch((error: { stderr: string }) => error);
    expect((refused as { stderr: string }).stderr).toMatch(/HARDWARE_UNAVAILABLE: .*relay-2 by io/);
    const io = await request('GET', '/api/v1/plugins/io/settings', { user: ADMIN });
    const ioSettings = io.body as { values: { ports: Record<string, Record<string, unknown>> } };
    ioSettings.values.ports['relay-2']!.use = false;
    expect((await request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: ioSettings.values })).status).toBe(200);

    const installed = await portier(['install', v1, ...connection]);
    expect(installed.stdout).toMatch(/door-chime 1\.0\.0 installed; running/);
    expect((await portier(['apps', 'list', ...connection])).stdout).toMatch(/door-chime\t1\.0\.0\tAcme Door Systems\trunning\tsigned by Acme Door Systems/);

    // The integrator: the doorbell input I1 rings the chime.
    const rule = await request('POST', '/api/v1/rules', {
      user: ADMIN,
      body: { name: 'Doorbell', trigger: { event: 'io/input', filter: { name: 'I1', active: true } }, actions: [{ type: 'door-chime/ring-chime', params: { pattern: 'double' } }] },
    });
    expect(rule.status, rule.text).toBe(201);
    expect(rule.body).toMatchObject({ status: { bound: true } });
    const ruleId = (rule.body as { id: string }).id;

    const rang = async (afterSeq: number): Promise<{ seq: number; payload: Record<string, unknown> }> => {
      for (let i = 0; i < 100; i++) {
        const events = await request('GET', `/api/v1/events?type=door-chime/chime-rang&afterSeq=${afterSeq}`, { user: ADMIN });
        const found = (events.body as { seq: number; payload: Record<string, unknown> }[])[0];
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the chime did not ring');
    };
    const relay2Closed = async (): Promise<boolean> => {
      const ports = (await request('GET', '/api/v1/ports', { user: ADMIN })).body as { id: string; owner?: string; state: { contact?: string } }[];
      const relay = ports.find((p) => p.id === 'relay-2')!;
      expect(relay.owner).toBe('door-chime');
      return relay.state.contact === 'closed';
    };

    expect(await relay2Closed()).toBe(false);
    expect((await request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: { closed: true } })).status).toBe(200);
    let sawClosed = false;
    for (let i = 0; i < 40 && !sawClosed; i++) sawClosed = await relay2Closed();
    expect(sawClosed, 'relay 2 closed while the chime struck').toBe(true);
    const first = await rang(0);
    expect(first.payload).toMatchObject({ pattern: 'double', relay: 'relay-2', strikes: 2, end: 'completed', source: 'rule', rule: 'Doorbell' });
    expect(await relay2Closed()).toBe(false);
    expect((await request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: { closed: false } })).status).toBe(200);

    // Version 1.1.0: upgraded in place; the rule keeps working.
    const v2Dir = await buildDoorChime(work, '1.1.0');
    const v2 = join(work, 'door-chime-1.1.0.tgz');
    await portier(['pack', v2Dir, '--out', work, '--key', `${keyPrefix}.key.pem`, '--signer', 'Acme Door Systems']);
    expect((await portier(['install', v2, ...connection])).stdout).toMatch(/door-chime upgraded from 1\.0\.0 to 1\.1\.0; running/);
    expect((await request('GET', `/api/v1/rules/${ruleId}`, { user: ADMIN })).body).toMatchObject({ status: { bound: true } });
    expect((await request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: { closed: true } })).status).toBe(200);
    const second = await rang(first.seq);
    expect(second.payload).toMatchObject({ pattern: 'double', strikes: 2, source: 'rule' });
    const logs = await portier(['apps', 'logs', 'door-chime', ...connection]);
    expect(logs.stdout).toMatch(/running/);

    // Uninstalled: the files go, relay 2 is free, the rule stays and says why it cannot run.
    expect((await portier(['apps', 'uninstall', 'door-chime', ...connection])).stdout).toMatch(/door-chime uninstalled/);
    expect(existsSync(join(dataDir, 'apps', 'door-chime'))).toBe(false);
    expect((await request('GET', '/api/v1/apps', { user: ADMIN })).body).toEqual([]);
    const ports = (await request('GET', '/api/v1/ports', { user: ADMIN })).body as { id: string; owner?: string }[];
    expect(ports.find((p) => p.id === 'relay-2')!.owner).toBeUndefined();
    const orphan = (await request('GET', `/api/v1/rules/${ruleId}`, { user: ADMIN })).body as { status: { bound: boolean; reason?: string } };
    expect(orphan.status.bound).toBe(false);
    expect(orphan.status.reason).toMatch(/door-chime/);
  }, 120_000);
});
