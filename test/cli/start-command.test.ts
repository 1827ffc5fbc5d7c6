import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpsClient } from '../support/https-client.js';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface LogLine {
  level: number;
  msg: string;
  plugin?: string;
  state?: string;
  signal?: string;
}

/** The built CLI, as `npm start` runs it (`npm ci` builds it; so does `npm run build`). */
const BUILT_CLI = join(ROOT, 'dist/platform/cli/portier.js');

function runPortier(
  args: string[],
  { built = false } = {},
): { lines: LogLine[]; stderr: string[]; waitFor(msg: string): Promise<LogLine>; exit: Promise<number | null>; kill(signal: NodeJS.Signals): void } {
  if (built && !existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first`);
  const command = built ? [BUILT_CLI] : ['--import', 'tsx', join(ROOT, 'platform/cli/portier.ts')];
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORTIER_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void; reject: (error: Error) => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of waiters.filter((w) => line.msg.includes(w.msg))) w.resolve(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      // A process that ends before saying what a test waits for fails the test with its output, not a time-out.
      for (const w of waiters.splice(0)) w.reject(new Error(`portier exited (${code}) before "${w.msg}"; stderr: ${stderr.join('')}; stdout: ${lines.map((l) => l.msg).join(' | ')}`));
      resolve(code);
    }),
  );
  return {
    lines,
    stderr,
    exit,
    kill: (signal) => child.kill(signal),
    waitFor: (msg) => {
      const seen = lines.find((l) => l.msg.includes(msg));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ msg, resolve, reject }));
    },
  };
}

describe('portier start', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // From the sources, and built as `npm start` runs it (where the first-start certificate is made on a worker thread).
  for (const [signal, built] of [
    ['SIGINT', false],
    ['SIGTERM', true],
  ] as const) {
    it(`boots the built-in plugins on the simulator and stops cleanly on ${signal} (${built ? 'built' : 'from source'})`, async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portier-start-'));
      const portier = runPortier(['start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off'], { built });
      const listening = (await portier.waitFor('HTTPS API listening')) as LogLine & { https: string; certificate: string };
      expect(listening.certificate).toBe('generated');
      await portier.waitFor('Portier is running');
      const ca = readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8');
      const health = await httpsClient(listening.https, ca)('GET', '/api/v1/health');
      expect(health.status).toBe(200);
      expect(portier.lines.find((l) => l.plugin === 'io' && l.msg === 'plugin io running')?.state).toBe('running');

      portier.kill(signal);
      expect(await portier.exit).toBe(0);
      const messages = portier.lines.map((l) => l.msg);
      expect(messages).toContain('stopped cleanly');
      expect(portier.lines.find((l) => l.msg === 'stopping')?.signal).toBe(signal);

      // The store was closed properly: it opens, and recorded the plugins' life.
      const db = new Database(join(dataDir, 'portier.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        // Chunks hold [seq, time, type, source, stateful, payload] rows.
        const states = db
          .prepare(
            `SELECT json_extract(e.value, '$[5].state') AS state FROM event_log, json_each(event_log.events) AS e
             WHERE json_extract(e.value, '$[2]') = 'core/plugin-state' AND json_extract(e.value, '$[5].plugin') = 'io'
             ORDER BY json_extract(e.value, '$[0]')`,
          )
          .all()
          .map((r) => (r as { state: string }).state);
        expect(states).toEqual(['resolved', 'starting', 'running', 'stopping', 'stopped']);
      } finally {
        db.close();
      }
    }, 30_000);
  }

  it('keeps running when an app leaves a promise rejection unhandled, and logs it', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portier-start-'));
    const app = join(dataDir, 'apps', 'stray-rejection');
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'manifest.json'),
      JSON.stringify({ schemaVersion: 1, name: 'stray-rejection', displayName: 'Stray rejection', version: '1.0.0', vendor: 'Portier tests', main: './index.js', platform: '^1.0.0' }),
    );
    // A rejection nobody awaits: it escapes every error boundary.
    writeFileSync(join(app, 'index.js'), "export default class { start() { setTimeout(() => Promise.reject(new Error('stray')), 10); } }\n");
    const portier = runPortier(['start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off']);
    await portier.waitFor('Portier is running');
    const logged = (await portier.waitFor('nothing handled it')) as LogLine & { err?: { message: string } };
    expect(logged.err?.message).toBe('stray');
    portier.kill('SIGTERM');
    expect(await portier.exit).toBe(0);
    expect(portier.lines.map((l) => l.msg)).toContain('stopped cleanly');
  }, 30_000);
});
