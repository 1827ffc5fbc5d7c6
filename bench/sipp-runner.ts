/**
 * sipp for the SIP benchmarks: its built-in UAS as the baseline callee, and
 * the bench caller (sip-scenarios.ts) run for a fixed time with at most
 * `limit` calls at once. What a run did comes from sipp's own files: the
 * counters of `-trace_stat` (last snapshot), the per-call response times of
 * `-trace_rtt`, and, when asked, the timestamps (µs) of `-trace_msg`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST = '127.0.0.1';

/** sipp's path: $SIPP, else sipp on PATH; throws naming the Debian package when there is none. */
export function sippBinary(): string {
  const fromEnv = process.env.SIPP;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const found = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') throw new Error('the SIP benchmarks need sipp (Debian/Ubuntu: apt install sip-tester), or its path in $SIPP');
  return path;
}

/** True when nothing is bound to the UDP port on 127.0.0.1. */
export function udpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, HOST, () => socket.close(() => resolve(true)));
  });
}

function ephemeralTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no TCP port from the kernel'))));
    });
  });
}

const handedOut = new Set<number>();

/**
 * A port free for UDP and TCP (a SIP listener takes both); with a `span`, an
 * even one with the `span` ports above it free for UDP too (sipp binds its
 * -mp port and -mp + 2), none handed out before.
 */
export async function freePort(span = 0): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await ephemeralTcpPort();
    // Alone it is the TCP port the kernel gave; a range starts even (RTP on even ports, RTCP above).
    const base = span === 0 ? port : port - (port % 2);
    if (base < 1024 || base + span > 65_535) continue;
    const range = Array.from({ length: span + 1 }, (_, i) => base + i);
    if (range.some((p) => handedOut.has(p))) continue;
    if (!(await Promise.all(range.map(udpPortIsFree))).every(Boolean)) continue;
    for (const p of range) handedOut.add(p);
    return base;
  }
  throw new Error('no free port on 127.0.0.1 after 100 attempts');
}

export interface RunningProcess {
  child: ChildProcess;
  /** The last few KB of stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function run(binary: string, args: readonly string[], cwd: string): RunningProcess {
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += `\n${String(error)}`;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  };
  return { child, output: () => output, exited, stop };
}

/** sipp's built-in UAS (`-sn uas`: 180, 200 with SDP, ACK, BYE, 200) on `port`; resolves once it listens. */
export async function startSippUas(binary: string, port: number, mediaPort: number): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'portier-bench-sipp-uas-'));
  const sipp = run(binary, ['-sn', 'uas', '-i', HOST, '-p', String(port), '-mi', HOST, '-mp', String(mediaPort), '-nostdin'], dir);
  let gone = false;
  void sipp.exited.then(() => {
    gone = true;
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 5000;
  while (await udpPortIsFree(port)) {
    if (gone || Date.now() > deadline) {
      await sipp.stop();
      throw new Error(`sipp -sn uas did not listen on udp ${HOST}:${port}: ${sipp.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return sipp;
}

export interface UacRun {
  /** Calls per second asked of sipp (`-r`). */
  rate: number;
  /** sipp's exit code: 0 every call succeeded, 1 some failed; null when it had to be killed. */
  exitCode: number | null;
  successful: number;
  failed: number;
  /** From sipp's start to its last statistics snapshot (its own clock, µs resolution). */
  seconds: number;
  /** successful / seconds. */
  callsPerSecond: number;
  /** The non-zero failure counters of the last snapshot, e.g. `FailedUnexpectedMessage(C)=3`. */
  failures: string[];
  /** Response time RINGING_RTD per call, ms, as sipp writes it with `-trace_rtt` (whole milliseconds). */
  rtdMs: number[];
  /** From sending each call's first INVITE to receiving its first 180, µs, from the `-trace_msg` timestamps (only when `traceMessages`). */
  ringingUs: number[];
  /** sipp's error log, the tail. */
  errors: string;
  output: string;
}

export interface UacOptions {
  scenario: string;
  /** host:port to call. */
  target: string;
  /** Request-URI user. */
  service: string;
  rate: number;
  /** Calls at once (`-l`). */
  limit: number;
  /** sipp stops placing calls and exits after this long (`-timeout`). */
  seconds: number;
  /** Log every message with its timestamp (`-trace_msg`), for ringingUs. */
  traceMessages?: boolean;
}

/** Runs the caller for `seconds` and reads back what it did. */
export async function runSippUac(binary: string, options: UacOptions): Promise<UacRun> {
  const dir = mkdtempSync(join(tmpdir(), 'portier-bench-sipp-uac-'));
  try {
    const [port, mediaPort] = [await freePort(), await freePort(3)];
    const files = { scenario: join(dir, 'uac.xml'), stat: join(dir, 'stat.csv'), errors: join(dir, 'errors.log'), messages: join(dir, 'messages.log') };
    writeFileSync(files.scenario, options.scenario);
    const args = [
      '-sf', files.scenario,
      '-i', HOST, '-p', String(port), '-mi', HOST, '-mp', String(mediaPort),
      '-t', 'u1',
      '-s', options.service,
      '-r', String(options.rate), '-rp', '1000', '-l', String(options.limit),
      '-nostdin',
      '-timeout', `${options.seconds}s`,
      // A callee that stops answering fails its call instead of holding the only call slot.
      '-recv_timeout', '5000',
      '-trace_stat', '-stf', files.stat, '-fd', '1',
      '-trace_rtt', '-rtt_freq', '1',
      '-trace_err', '-error_file', files.errors,
      ...(options.traceMessages === true ? ['-trace_msg', '-message_file', files.messages] : []),
      options.target,
    ];
    const sipp = run(binary, args, dir);
    const backstop = setTimeout(() => void sipp.stop(), (options.seconds + 15) * 1000);
    const exitCode = await sipp.exited;
    clearTimeout(backstop);
    const read = (path: string): string => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    };
    const stats = lastSnapshot(read(files.stat));
    const count = (name: string): number => Number.parseInt(stats[name] ?? '', 10) || 0;
    const successful = count('SuccessfulCall(C)');
    const seconds = epochOf(stats.CurrentTime) - epochOf(stats.StartTime);
    const rttFile = readdirSync(dir).find((name) => name.endsWith('_rtt.csv'));
    return {
      rate: options.rate,
      exitCode,
      successful,
      failed: count('FailedCall(C)'),
      seconds,
      callsPerSecond: seconds > 0 ? successful / seconds : 0,
      failures: Object.entries(stats)
        .filter(([name, value]) => name.startsWith('Failed') && name.endsWith('(C)') && name !== 'FailedCall(C)' && value !== '0')
        .map(([name, value]) => `${name}=${value}`),
      rtdMs: rttFile === undefined ? [] : responseTimes(read(join(dir, rttFile)), 1),
      ringingUs: options.traceMessages === true ? inviteToRinging(read(files.messages)) : [],
      errors: read(files.errors).slice(-4000),
      output: sipp.output(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of a `-trace_stat` file, by column name. */
function lastSnapshot(csv: string): Record<string, string> {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.length > 1 ? lines[lines.length - 1]!.split(';') : [];
  const stats: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name !== '') stats[name] = last[i] ?? '';
  });
  return stats;
}

/** A stat time cell, "2026-11-24\t03:16:57.699663\t1795490217.699663": the epoch seconds at its end. */
function epochOf(cell: string | undefined): number {
  const epoch = Number(cell?.split('\t').pop());
  return Number.isFinite(epoch) ? epoch : Number.NaN;
}

/** `-trace_rtt` lines "date_ms;response_time_ms;rtd_no": the times of one response time number. */
function responseTimes(csv: string, rtd: number): number[] {
  return csv
    .split('\n')
    .slice(1)
    .map((line) => line.split(';'))
    .filter((cells) => cells.length === 3 && Number(cells[2]) === rtd)
    .map((cells) => Number(cells[1]))
    .filter(Number.isFinite);
}

/**
 * `-trace_msg` entries: a line of dashes and the time ("2026-11-24 03:17:25.982835"),
 * "UDP message sent (515 bytes):" or "UDP message received [296] bytes :",
 * a blank line, the message. Per Call-ID: first INVITE sent → first 180 received, in µs.
 */
export function inviteToRinging(log: string): number[] {
  const invites = new Map<string, number>();
  const ringing = new Map<string, number>();
  for (const entry of log.split(/^-{10,} /m)) {
    const time = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})/.exec(entry);
    if (time === null) continue;
    const us = Date.parse(`${time[1]}T${time[2]}Z`) * 1000 + Number(time[3]);
    const sent = /^UDP message sent/m.test(entry);
    const callId = /^Call-ID:\s*(\S+)/im.exec(entry)?.[1];
    if (callId === undefined) continue;
    if (sent && /^INVITE /m.test(entry)) {
      if (!invites.has(callId)) invites.set(callId, us);
    } else if (!sent && /^SIP\/2\.0 180 /m.test(entry)) {
      if (!ringing.has(callId)) ringing.set(callId, us);
    }
  }
  const out: number[] = [];
  for (const [callId, at] of ringing) {
    const from = invites.get(callId);
    if (from !== undefined) out.push(at - from);
  }
  return out;
}
