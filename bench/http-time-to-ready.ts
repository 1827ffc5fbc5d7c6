/**
 * http.time_to_ready_ms: from spawning `portier start` on an empty data
 * folder (first start: database created, certificate generated, plugins
 * started) until `GET /api/v1/health` answers 200 over HTTPS; against
 * spawning a bare fastify HTTPS server until it answers the same.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Spawned, httpsCall, spawnBare, spawnPortier } from './http-processes.js';
import type { BenchResult } from './result.js';
import { median, ns, round } from './stats.js';

const RUNS = 5;

/** Polls health until 200; returns the milliseconds since the spawn. */
async function readyAfter(spawned: Spawned, ca: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const reply = await httpsCall(spawned.port, ca, 'GET', '/api/v1/health');
      if (reply.status === 200) return ns.toMs(process.hrtime.bigint() - spawned.spawnedAt);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function benchHttpTimeToReady(): Promise<BenchResult[]> {
  const portierMs: number[] = [];
  const secondStartMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-bench-ready-'));
    try {
      const first = await spawnPortier(dataDir);
      const certFile = join(dataDir, 'tls', 'certificate.pem');
      const ca = readFileSync(certFile, 'utf8');
      try {
        portierMs.push(await readyAfter(first, ca));
      } finally {
        await first.stop();
      }
      // The same data folder again: what every later start (a reboot) costs.
      const again = await spawnPortier(dataDir);
      try {
        secondStartMs.push(await readyAfter(again, ca));
      } finally {
        await again.stop();
      }
      const bare = await spawnBare(certFile, join(dataDir, 'tls', 'private-key.pem'));
      try {
        bareMs.push(await readyAfter(bare, ca));
      } finally {
        await bare.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const value = round(median(portierMs), 1);
  const base = round(median(bareMs), 1);
  const again = round(median(secondStartMs), 1);
  return [
    {
      metric: 'http.time_to_ready_ms',
      value,
      unit: 'ms',
      baseline: base,
      ratio: round(value / base, 2),
      budget: 'ratio <= 2.0',
      note:
        `median of ${RUNS}: spawn \`node dist/platform/cli/portier.js start --data <empty tmp> --host 127.0.0.1 --https-port 0 --http-port off\` until GET /api/v1/health answers 200 over HTTPS ` +
        `(the port read from its "HTTPS API listening" log line; first start: database created, certificate generated, plugins started; runs ${portierMs.map((v) => round(v, 0)).join(', ')} ms). ` +
        `Baseline: spawn a bare fastify HTTPS server (same certificate, one route; fastify loaded from node_modules, while Portier runs its esbuild bundle from npm run build) until it answers (${bareMs.map((v) => round(v, 0)).join(', ')} ms). ` +
        'The budget is on the ratio.',
    },
    {
      metric: 'http.time_to_ready_restart_ms',
      value: again,
      unit: 'ms',
      baseline: base,
      ratio: round(again / base, 2),
      note: `the same, started again on the data folder the first start left (database and certificate there): what a reboot costs; median of ${RUNS} (${secondStartMs.map((v) => round(v, 0)).join(', ')} ms); no budget of its own`,
    },
  ];
}
