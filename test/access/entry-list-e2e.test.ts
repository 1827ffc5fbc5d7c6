import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpsClient } from '../support/https-client.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'platform', 'cli', 'portier.js');
const ADMIN = { username: 'integrator', password: 'a long enough password' };
const CARD = { chipType: 'mifare-classic', uid: '04A22B91', holdMs: 50 };

interface Running {
  child: ChildProcess;
  request: ReturnType<typeof httpsClient>;
}

/** `portier start` as a device runs it, on `dataDir`; resolves once the API listens. */
async function startPortier(dataDir: string): Promise<Running> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI, 'start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off'], {
    cwd: ROOT,
    env: { ...process.env, PORTIER_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"https":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.once('close', (code) => reject(new Error(`portier start exited ${code}: ${stderr}`)));
  });
  return { child, request: httpsClient(url, readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8')) };
}

async function killHard(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const closed = new Promise((resolve) => running.child.once('close', resolve));
  running.child.kill('SIGKILL');
  await closed;
}

/**
 * The manual's entry-list example over the HTTPS API of a running Portier,
 * as an integrator sets it up: a holder whose card is valid 10 times, and the
 * rule "Open door". Portier is killed with SIGKILL after the fifth swipe and
 * started again: the count goes on from 5, and the eleventh swipe is denied.
 */
describe('entry list over HTTPS, across a kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-entry-list-e2e-'));
  let running: Running | undefined;
  afterAll(async () => {
    if (running !== undefined) await killHard(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Swipes the card and waits for the entry list's answer to it; returns the event. */
  async function swipe(api: Running['request']): Promise<{ type: string; payload: Record<string, unknown> }> {
    const before = (await api('GET', '/api/v1/events?type=entry-list/*&limit=1000', { user: ADMIN })).body as { seq: number }[];
    const last = before.at(-1)?.seq ?? 0;
    expect((await api('POST', '/api/v1/simulator/cards', { user: ADMIN, body: CARD })).status).toBe(200);
    for (let i = 0; i < 200; i++) {
      const after = (await api('GET', `/api/v1/events?type=entry-list/*&afterSeq=${last}`, { user: ADMIN })).body as { type: string; payload: Record<string, unknown> }[];
      if (after.length > 0) {
        // The card leaves the field before the next swipe.
        await new Promise((resolve) => setTimeout(resolve, 80));
        return after[0]!;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the entry list did not answer the swipe');
  }

  it('a card valid 10 times opens the door ten times, counting on after a kill -9; the eleventh is denied', async () => {
    running = await startPortier(dataDir);
    let api = running.request;
    expect((await api('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } })).status).toBe(201);

    // "Swipe the credential holder's card on the device and click Get latest."
    expect((await swipe(api)).payload).toMatchObject({ reason: 'unknown' });
    const latest = await api('GET', '/api/v1/plugins/entry-list/latest-card', { user: ADMIN });
    expect(latest.body).toMatchObject({ card: '04A22B91' });
    const holder = await api('POST', '/api/v1/plugins/entry-list/holders', {
      user: ADMIN,
      body: { firstName: 'Anna', lastName: 'Berg', card: (latest.body as { card: string }).card, validity: { kind: 'times', remaining: 10 } },
    });
    expect(holder.status, holder.text).toBe(201);
    // The manual's rule, with one second instead of 00:00:07 to keep the run short (the harness test times the 7 s).
    const rule = await api('POST', '/api/v1/rules', {
      user: ADMIN,
      body: { name: 'Open door', trigger: { event: 'entry-list/access-granted' }, actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:01' } }] },
    });
    expect(rule.status, rule.text).toBe(201);

    const door = async (): Promise<boolean> => {
      const ports = (await api('GET', '/api/v1/ports', { user: ADMIN })).body as { id: string; state: { active?: boolean } }[];
      return ports.find((p) => p.id === 'relay-1')!.state.active === true;
    };
    for (let i = 1; i <= 5; i++) {
      expect((await swipe(api)).payload, `swipe ${i}`).toMatchObject({ holder: 'Anna', usesLeft: 10 - i });
    }
    expect(await door(), 'the Door is open after a granted swipe').toBe(true);

    // Power cut after the fifth swipe.
    await killHard(running);
    running = await startPortier(dataDir);
    api = running.request;
    const holders = (await api('GET', '/api/v1/plugins/entry-list/holders', { user: ADMIN })).body as { validity: { remaining: number } }[];
    expect(holders[0]!.validity).toEqual({ kind: 'times', remaining: 5 });

    for (let i = 6; i <= 10; i++) {
      expect((await swipe(api)).payload, `swipe ${i}`).toMatchObject({ holder: 'Anna', usesLeft: 10 - i });
    }
    const eleventh = await swipe(api);
    expect(eleventh.type).toBe('entry-list/access-denied');
    expect(eleventh.payload).toMatchObject({ reason: 'uses-exhausted', holder: 'Anna' });
  }, 120_000);
});
