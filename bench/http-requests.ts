/**
 * http.requests_per_s: authenticated requests per second that `portier start`
 * serves over HTTPS (Basic credentials, remembered after the first check as
 * Portier does), against a bare fastify HTTPS server answering the same JSON
 * with the same certificate, measured in the same run with the same client.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basic, httpsCall, spawnBare, spawnPortier } from './http-processes.js';
import type { BenchResult } from './result.js';
import { round } from './stats.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const CONNECTIONS = 50;
const DURATION_S = 5;
const WARMUP_S = 1;
/** Portier and the baseline take turns, so a change in the machine's load touches both alike. */
const ROUNDS = 3;
const ADMIN = { username: 'bench', password: 'bench password 1' };

function run(port: number, path: string, headers: Record<string, string>, duration: number): Promise<AutocannonResult> {
  return autocannon({ url: `https://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration, headers });
}

function checked(path: string, result: AutocannonResult): AutocannonResult {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts out of ${result.requests.total}`);
  }
  return result;
}

export async function benchHttpRequests(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-bench-http-'));
  const portier = await spawnPortier(dataDir);
  let bare: Awaited<ReturnType<typeof spawnBare>> | undefined;
  try {
    const certFile = join(dataDir, 'tls', 'certificate.pem');
    const keyFile = join(dataDir, 'tls', 'private-key.pem');
    const ca = readFileSync(certFile, 'utf8');
    const setup = await httpsCall(portier.port, ca, 'POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.body}`);
    const authorization = basic(ADMIN.username, ADMIN.password);

    // The core ports route when this build has it; the io plugin's own otherwise (also a viewer route).
    const core = await httpsCall(portier.port, ca, 'GET', '/api/v1/ports', { authorization });
    const path = core.status === 200 ? '/api/v1/ports' : '/api/v1/plugins/io/ports';
    const sample = core.status === 200 ? core : await httpsCall(portier.port, ca, 'GET', path, { authorization });
    if (sample.status !== 200) throw new Error(`GET ${path}: ${sample.status} ${sample.body}`);
    const bodyFile = join(dataDir, 'bench-body.json');
    writeFileSync(bodyFile, sample.body);

    bare = await spawnBare(certFile, keyFile, { path, bodyFile });
    await run(portier.port, path, { authorization }, WARMUP_S);
    await run(bare.port, path, {}, WARMUP_S);
    const portierRounds: AutocannonResult[] = [];
    const bareRounds: AutocannonResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      portierRounds.push(checked(path, await run(portier.port, path, { authorization }, DURATION_S)));
      bareRounds.push(checked(path, await run(bare.port, path, {}, DURATION_S)));
    }
    const pluginRoute = checked('/api/v1/plugins/io/ports', await run(portier.port, '/api/v1/plugins/io/ports', { authorization }, DURATION_S));
    const measured = middle(portierRounds);
    const baseline = middle(bareRounds);

    const value = round(measured.requests.average, 0);
    const base = round(baseline.requests.average, 0);
    const common = `${CONNECTIONS} connections for ${DURATION_S} s after ${WARMUP_S} s warm-up, median of ${ROUNDS} rounds taking turns with the baseline (autocannon in the bench process; server in its own process; ${process.arch}, shared CPUs)`;
    return [
      {
        metric: 'http.requests_per_s',
        value,
        unit: 'requests/s',
        baseline: base,
        ratio: round(value / base, 2),
        budget: 'ratio >= 0.6',
        note:
          `authenticated GET ${path} (Basic, viewer route; ${sample.body.length} bytes of JSON) on \`portier start\` over HTTPS, ${common}; rounds ${portierRounds.map((r) => round(r.requests.average, 0)).join(', ')} vs baseline ${bareRounds.map((r) => round(r.requests.average, 0)).join(', ')} requests/s; ` +
          `latency p50 ${measured.latency.p50} ms / p99 ${measured.latency.p99} ms; baseline: bare fastify HTTPS, same certificate, the same body, no auth ` +
          `(${base} requests/s, p50 ${baseline.latency.p50} / p99 ${baseline.latency.p99} ms). The budget is on the ratio.`,
      },
      {
        metric: 'http.plugin_route_requests_per_s',
        value: round(pluginRoute.requests.average, 0),
        unit: 'requests/s',
        baseline: base,
        ratio: round(pluginRoute.requests.average / base, 2),
        note: `authenticated GET /api/v1/plugins/io/ports (the io plugin's own route, through the plugin-route dispatcher and its zod response check; 6 ports), one round of ${DURATION_S} s after the others; p99 ${pluginRoute.latency.p99} ms; baseline and ratio as for http.requests_per_s (a larger body there); no budget`,
      },
    ];
  } finally {
    await bare?.stop();
    await portier.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The round with the median request rate. */
function middle(rounds: AutocannonResult[]): AutocannonResult {
  return [...rounds].sort((a, b) => a.requests.average - b.requests.average)[rounds.length >> 1]!;
}
