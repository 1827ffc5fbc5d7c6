import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/store/database.js';
import { SqlitePluginStore } from '../../platform/store/plugin-store.js';

/*
 * A writer child is killed with SIGKILL at a random point of its write loop;
 * afterwards the database must be intact and hold every write the child
 * acknowledged. Several runs share one file, so each run also starts from a
 * database recovered after a kill.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));
const RUNS = 4;
const PAD = 'p'.repeat(3_000);

const folder = mkdtempSync(join(tmpdir(), 'portier-durability-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `killAfter` writes, kills it, and returns the last acknowledged index. */
function writeUntilKilled(file: string, run: number, mode: 'single' | 'batch', killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(run), mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastAck = -1;
    let acks = 0;
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (!match) continue;
        lastAck = Number(match[1]);
        if (++acks === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastAck);
      else reject(new Error(`writer exited with ${code ?? signal} before being killed:\n${stderr}`));
    });
  });
}

function checkDatabase(file: string, acknowledged: Map<number, number>, mode: 'single' | 'batch'): void {
  const db = openDatabase(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const store = new SqlitePluginStore(db, 'durability');
    for (const [run, lastAck] of acknowledged) {
      for (let i = 0; i <= lastAck; i++) {
        expect(store.get(`r${run}/k${i}`), `run ${run}, write ${i} was acknowledged`).toEqual({ run, i, pad: PAD });
      }
      // Writes past the last ack may or may not have landed, but whatever is
      // there must be whole, and a transaction lands entirely or not at all.
      const written = store.list<{ run: number; i: number; pad: string }>(`r${run}/`);
      for (const { key, value } of written) expect(value, key).toEqual({ run, i: Number(key.split('/k')[1]), pad: PAD });
      if (mode === 'batch') expect(written.length % 10, `run ${run} has a partial transaction`).toBe(0);
    }
  } finally {
    db.close();
  }
}

describe.each(['single', 'batch'] as const)('kill -9 during %s writes', (mode) => {
  it('loses nothing acknowledged and corrupts nothing', async () => {
    const file = join(folder, `${mode}.db`);
    const acknowledged = new Map<number, number>();
    for (let run = 0; run < RUNS; run++) {
      // In batch mode each ack covers ten writes; kill points vary from run to run.
      const killAfter = (mode === 'batch' ? 30 : 300) + Math.floor(Math.random() * (mode === 'batch' ? 70 : 700));
      const lastAck = await writeUntilKilled(file, run, mode, killAfter);
      expect(lastAck).toBeGreaterThan(0);
      acknowledged.set(run, lastAck);
      checkDatabase(file, acknowledged, mode);
    }
  });
});
