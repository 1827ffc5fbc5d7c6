/**
 * sip.uas_calls_per_s: calls a sipp caller completes per second against
 * `portier start` answering them itself (the sip plugin, auto answer),
 * one call at a time, for 10 s with no failed call; against sipp's own UAS
 * called the same way. sip.invite_to_ringing_ms: p99 from the caller
 * sending the INVITE to it receiving 180 Ringing, same two callees.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basic, httpsCall, spawnPortier } from './http-processes.js';
import type { BenchResult } from './result.js';
import { benchUacScenario } from './sip-scenarios.js';
import { type UacRun, HOST, freePort, runSippUac, sippBinary, startSippUas } from './sipp-runner.js';
import { percentile, round } from './stats.js';

const ADMIN = { username: 'bench', password: 'bench password 1' };
/** Calls per second asked of sipp, in turn, while every call succeeds and at least half the rate is reached. */
const RATES = [20, 50, 100, 200, 500];
const SECONDS = 10;
/** Between the ACK and the BYE: a call that is answered and hung up, without media. */
const HOLD_MS = 10;
/** The INVITE → 180 run: well below what one call at a time sustains (about 40/s on Portier), so calls start on sipp's schedule, not back to back. */
const LATENCY_RATE = 20;
const LATENCY_SECONDS = 15;
const SERVICE = 'door';

interface Sustained {
  best: UacRun;
  runs: UacRun[];
}

/**
 * One call at a time (`-l 1`, Portier refuses a second call while one is
 * live, as the device does); the rate stepped up until a run fails a call or
 * reaches less than half the rate asked (one call at a time is then clearly
 * the limit: asking more changes nothing). The best run with no failed call counts.
 */
async function sustained(sipp: string, target: string, who: string): Promise<Sustained> {
  const scenario = benchUacScenario(HOLD_MS);
  const runs: UacRun[] = [];
  let best: UacRun | undefined;
  for (const rate of RATES) {
    const run = await runSippUac(sipp, { scenario, target, service: SERVICE, rate, limit: 1, seconds: SECONDS });
    runs.push(run);
    if (run.failed > 0 || run.successful === 0 || (run.exitCode !== 0 && run.exitCode !== null)) break;
    if (best === undefined || run.callsPerSecond > best.callsPerSecond) best = run;
    if (run.callsPerSecond < 0.5 * rate) break;
  }
  if (best === undefined) {
    const first = runs[0]!;
    throw new Error(`sip calls: ${who} failed calls already at ${first.rate} calls/s: ${describe(first)}\n${first.errors}\n${first.output.slice(-2000)}`);
  }
  return { best, runs };
}

async function ringing(sipp: string, target: string): Promise<UacRun> {
  const run = await runSippUac(sipp, { scenario: benchUacScenario(HOLD_MS), target, service: SERVICE, rate: LATENCY_RATE, limit: 1, seconds: LATENCY_SECONDS, traceMessages: true });
  if (run.failed > 0 || run.ringingUs.length === 0) throw new Error(`sip calls: the INVITE → 180 run failed: ${describe(run)}\n${run.errors}\n${run.output.slice(-2000)}`);
  return run;
}

function describe(run: UacRun): string {
  const failures = run.failures.length === 0 ? '' : ` (${run.failures.join(', ')})`;
  return `-r ${run.rate}: ${run.successful} ok, ${run.failed} failed${failures} in ${round(run.seconds, 2)} s = ${round(run.callsPerSecond, 1)}/s`;
}

/** `portier start` on an empty data folder, set up, SIP on and answering by itself on free ports. */
async function measurePortier(sipp: string): Promise<{ calls: Sustained; ringing: UacRun }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-bench-sip-'));
  const portier = await spawnPortier(dataDir);
  try {
    const ca = readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8');
    const setup = await httpsCall(portier.port, ca, 'POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.body}`);
    const authorization = basic(ADMIN.username, ADMIN.password);
    const current = await httpsCall(portier.port, ca, 'GET', '/api/v1/plugins/sip/settings', { authorization });
    if (current.status !== 200) throw new Error(`GET sip settings: ${current.status} ${current.body}`);
    const values = (JSON.parse(current.body) as { values: Record<string, unknown> }).values;
    const ports = { sip: await freePort(), tls: await freePort(), rtpStart: await freePort(16) };
    const settings = { ...values, enabled: true, allowIncomingCalls: true, autoAnswerSeconds: 0, listenAddress: HOST, ports };
    const put = await httpsCall(portier.port, ca, 'PUT', '/api/v1/plugins/sip/settings', { authorization, body: settings });
    if (put.status !== 200) throw new Error(`PUT sip settings: ${put.status} ${put.body}`);
    // The settings restart SIP: wait until it listens on UDP.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const status = await httpsCall(portier.port, ca, 'GET', '/api/v1/plugins/sip/status', { authorization });
      const body = status.status === 200 ? (JSON.parse(status.body) as { running?: boolean; listening?: { transport: string; port: number }[] }) : {};
      if (body.running === true && body.listening?.some((l) => l.transport === 'UDP' && l.port === ports.sip) === true) break;
      if (Date.now() > deadline) throw new Error(`SIP did not start listening on udp ${ports.sip}: ${status.status} ${status.body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const target = `${HOST}:${ports.sip}`;
    return { calls: await sustained(sipp, target, 'Portier'), ringing: await ringing(sipp, target) };
  } finally {
    await portier.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureSippUas(sipp: string): Promise<{ calls: Sustained; ringing: UacRun }> {
  const port = await freePort();
  const uas = await startSippUas(sipp, port, await freePort(3));
  try {
    const target = `${HOST}:${port}`;
    return { calls: await sustained(sipp, target, 'sipp -sn uas'), ringing: await ringing(sipp, target) };
  } finally {
    await uas.stop();
  }
}

export async function benchSipCalls(): Promise<BenchResult[]> {
  const sipp = sippBinary();
  const portier = await measurePortier(sipp);
  const bare = await measureSippUas(sipp);

  const value = round(portier.calls.best.callsPerSecond, 1);
  const base = round(bare.calls.best.callsPerSecond, 1);
  const ms = (run: UacRun, p: number): number => round(percentile(run.ringingUs, p) / 1000, 3);
  const ringingValue = ms(portier.ringing, 99);
  const ringingBase = ms(bare.ringing, 99);
  const steps = (s: Sustained): string => s.runs.map(describe).join('; ');
  return [
    {
      metric: 'sip.uas_calls_per_s',
      value,
      unit: 'calls/s',
      baseline: base,
      ratio: round(value / base, 2),
      budget: 'ratio >= 0.5',
      note:
        `a sipp UAC (UDP, 127.0.0.1) calls \`portier start\` (empty data folder, first-run setup over HTTPS, SIP settings enabled, allowIncomingCalls, autoAnswerSeconds 0, listenAddress 127.0.0.1): ` +
        `each call INVITE with SDP → 180 → 200 → ACK → ${HOLD_MS} ms without media → BYE → 200; successful calls / sipp's elapsed time, the best ${SECONDS} s run with no failed call, ` +
        `-r stepped ${RATES.join(', ')} until a call fails or a run reaches less than half the rate asked. One call at a time (-l 1): Portier, like the device, takes one call and refuses a second with 486, ` +
        `so the figure is bound by round trips and sipp's own scheduling (a few ms per message), not by throughput. ` +
        `Portier: ${steps(portier.calls)}. Baseline: sipp's own UAS (sipp -sn uas) with the same caller and the same steps: ${steps(bare.calls)}. The budget is on the ratio.`,
    },
    {
      metric: 'sip.invite_to_ringing_ms',
      value: ringingValue,
      unit: 'ms (p99)',
      baseline: ringingBase,
      ratio: round(ringingValue / ringingBase, 2),
      note:
        `the same caller and callees, -r ${LATENCY_RATE} one call at a time for ${LATENCY_SECONDS} s: from sipp sending each INVITE to it receiving 180 Ringing, from sipp's -trace_msg timestamps (µs, as sipp logs each message; sipp's own scheduling is in both figures). ` +
        'Portier binds the call\'s RTP port and records the call (the sip/call event) before it sends 180, then answers 200 after autoAnswerSeconds 0; the event log\'s batched SQLite write (synchronous, every 100 ms) can hold a 180 back. ' +
        `Portier: ${portier.ringing.ringingUs.length} calls, p50 ${ms(portier.ringing, 50)} / p99 ${ms(portier.ringing, 99)} / max ${ms(portier.ringing, 100)} ms` +
        ` (sipp's own response time, -trace_rtt in whole ms: p99 ${percentile(portier.ringing.rtdMs, 99)} ms). ` +
        `Baseline sipp -sn uas: ${bare.ringing.ringingUs.length} calls, p50 ${ms(bare.ringing, 50)} / p99 ${ms(bare.ringing, 99)} / max ${ms(bare.ringing, 100)} ms` +
        ` (-trace_rtt p99 ${percentile(bare.ringing.rtdMs, 99)} ms). No budget of its own.`,
    },
  ];
}
