/**
 * sipp as a peer: one child process per scenario, bound to 127.0.0.1, stdin
 * ignored (`-nostdin`), its scenario and traces in a temp dir. Without a
 * `target` it is a server (waits for calls); with one it places `calls` calls.
 * The result carries the exit code (0 all calls succeeded, 1 some failed,
 * 99 none processed, 255/254 fatal), the call counters from `-trace_stat`,
 * the error log and the SIP messages it saw, so a failing assertion can say why.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freeConsecutivePorts, freePort } from './free-port.js';
import { spawnPeer } from './peer-process.js';
import { processHoldsPort } from './process-sockets.js';
import { parseSippStatistics, type SippStatistics } from './sipp-statistics.js';

export type SippTransport = 'udp' | 'tcp';

export interface SippOptions {
  /** Scenario XML (see sipp-scenarios.ts). */
  scenario: string;
  /** Label for the temp dir and error messages. */
  name?: string;
  /** Local SIP port; a free one when omitted. */
  port?: number;
  /** `host:port` to call: client mode. Omitted: server mode. */
  target?: string;
  transport?: SippTransport;
  /** Calls to place or answer before exiting (`-m`); default 1. */
  calls?: number;
  /** Calls per second (`-r`); default 10. */
  rate?: number;
  /** Request-URI user (`-s`, the `[service]` keyword). */
  service?: string;
  /** Digest credentials for `<send>`s that use `[authentication]` (`-au`, `-ap`). */
  auth?: { username: string; password: string };
  /** The `[media_port]` keyword (`-mp`); sipp binds it and the port + 2. Free ones when omitted. */
  mediaPort?: number;
  /** Echo RTP received on `mediaPort` back to its sender (`-rtp_echo`). */
  rtpEcho?: boolean;
  /** Answer out-of-call OPTIONS/INFO/NOTIFY/UPDATE with 200 (`-aa`); default true. */
  autoAnswer?: boolean;
  /** Values for `[key]` keywords in the scenario (`-key`). */
  keys?: Record<string, string>;
  /** sipp gives up (and counts a failure) after this long; default 20 000 ms. */
  timeoutMs?: number;
  extraArgs?: readonly string[];
}

export interface SippResult extends SippStatistics {
  /** 0 all calls succeeded, 1 some failed, 97 stopped, 99 no call processed; null when killed. */
  exitCode: number | null;
  /** Contents of sipp's error log (`-trace_err`). */
  errors: string;
  /** Every SIP message sent and received (`-trace_msg`). */
  messages: string;
  /** stdout/stderr (the final screens). */
  output: string;
}

export interface Sipp {
  readonly port: number;
  readonly mediaPort: number;
  /** `127.0.0.1:<port>`, to put in a Request-URI or to pass as another sipp's target. */
  readonly address: string;
  /** Settles when sipp ends by itself (calls done, timeout or fatal error). */
  readonly result: Promise<SippResult>;
  /** Ends sipp now (if still running) and returns what it had done. */
  stop(): Promise<SippResult>;
  /** A failure description with the error log and the message trace. */
  explain(): string;
}

const HOST = '127.0.0.1';

/** sipp's exit code when it could not bind a socket. */
const EXIT_BIND_FAILED = 254;

/** Starts sipp; a server is listening when this resolves. */
export async function startSipp(binary: string, options: SippOptions): Promise<Sipp> {
  // Another process can take a free port between our check and sipp's bind
  // (parallel test workers); ports we chose ourselves can simply be chosen again.
  const portsAreOurs = options.port === undefined && options.mediaPort === undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startSippOnce(binary, options);
    } catch (error) {
      if (!(error instanceof SippStartError) || error.exitCode !== EXIT_BIND_FAILED || !portsAreOurs || attempt >= 3) throw error;
    }
  }
}

class SippStartError extends Error {
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
  }
}

async function startSippOnce(binary: string, options: SippOptions): Promise<Sipp> {
  const name = (options.name ?? 'scenario').replace(/[^A-Za-z0-9_-]/g, '_');
  const dir = mkdtempSync(join(tmpdir(), `portier-sipp-${name}-`));
  const port = options.port ?? (await freePort());
  // sipp binds the -mp port and -mp + 2 (its video echo) in every mode.
  const mediaPort = options.mediaPort ?? (await freeConsecutivePorts(3));
  const timeoutMs = options.timeoutMs ?? 20_000;
  const files = {
    scenario: join(dir, `${name}.xml`),
    stat: join(dir, 'stat.csv'),
    errors: join(dir, 'errors.log'),
    messages: join(dir, 'messages.log'),
    screen: join(dir, 'screen.log'),
  };
  writeFileSync(files.scenario, options.scenario);

  const args = [
    '-sf', files.scenario,
    '-i', HOST, '-p', String(port), '-mi', HOST, '-mp', String(mediaPort),
    '-t', options.transport === 'tcp' ? 't1' : 'u1',
    '-m', String(options.calls ?? 1), '-r', String(options.rate ?? 10), '-l', String(options.calls ?? 1),
    '-nostdin',
    '-trace_stat', '-stf', files.stat, '-fd', '1',
    '-trace_err', '-error_file', files.errors,
    '-trace_msg', '-message_file', files.messages,
    '-trace_screen', '-screen_file', files.screen,
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error',
  ];
  if (options.autoAnswer ?? true) args.push('-aa');
  if (options.rtpEcho) args.push('-rtp_echo');
  if (options.service) args.push('-s', options.service);
  if (options.auth) args.push('-au', options.auth.username, '-ap', options.auth.password);
  for (const [key, value] of Object.entries(options.keys ?? {})) args.push('-key', key, value);
  args.push(...(options.extraArgs ?? []));
  if (options.target) args.push(options.target);

  const peer = spawnPeer(binary, args, { cwd: dir });
  // sipp's own -timeout should end it; this is the backstop when it hangs.
  const backstop = setTimeout(() => void peer.stop(), timeoutMs + 5000);

  const collect = (exitCode: number | null): SippResult => {
    const read = (path: string): string => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    };
    return {
      exitCode,
      ...parseSippStatistics(read(files.stat)),
      errors: read(files.errors),
      messages: read(files.messages),
      output: peer.output(),
    };
  };
  let collected: SippResult | undefined;
  const result = peer.exited.then((code) => {
    clearTimeout(backstop);
    collected = collect(code);
    rmSync(dir, { recursive: true, force: true });
    return collected;
  });

  const explain = (): string => {
    const r = collected ?? collect(peer.child.exitCode);
    return [
      `sipp ${name} on ${HOST}:${port} exit ${String(r.exitCode)}: ${r.successful} successful, ${r.failed} failed`,
      `--- errors ---\n${r.errors.slice(-4000)}`,
      `--- messages ---\n${r.messages.slice(-8000)}`,
      `--- output ---\n${r.output.slice(-3000)}`,
    ].join('\n');
  };

  const sipp: Sipp = {
    port,
    mediaPort,
    address: `${HOST}:${port}`,
    result,
    stop: async () => {
      await peer.stop();
      return result;
    },
    explain,
  };
  if (!options.target || options.rtpEcho) {
    try {
      // Media sent before the echo socket is bound would be lost; -mp + 2 is the last socket sipp binds.
      const media: Array<[number, SippTransport]> = [[mediaPort, 'udp'], [mediaPort + 2, 'udp']];
      const sockets: Array<[number, SippTransport]> = options.target ? media : [[port, options.transport ?? 'udp'], ...media];
      await waitUntilBound(peer.child.pid, sockets, peer.exited);
    } catch (error) {
      await peer.stop();
      const r = await result;
      // sipp prints why it quit (a port in use, a scenario error) before its final screens.
      throw new SippStartError(`${(error as Error).message} (exit ${String(r.exitCode)})\n${r.errors.slice(-2000)}\n${r.output.slice(0, 1500)}`, r.exitCode);
    }
  }
  return sipp;
}

/** Runs a client scenario to its end. */
export async function runSipp(binary: string, options: SippOptions): Promise<SippResult> {
  const sipp = await startSipp(binary, options);
  return sipp.result;
}

// A server sipp is only useful once it listens; before that the first INVITE is lost.
async function waitUntilBound(pid: number | undefined, sockets: ReadonlyArray<[number, SippTransport]>, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const what = sockets.map(([port, transport]) => `${transport} ${port}`).join(', ');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (gone || pid === undefined) throw new Error(`sipp exited before binding ${HOST} ${what}`);
    if (sockets.every(([port, transport]) => processHoldsPort(pid, port, transport))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`sipp did not bind ${HOST} ${what} within 5 s`);
}
