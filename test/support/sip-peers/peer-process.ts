/**
 * A peer program run as a child process: its output kept (the tail) to
 * explain a failure, and a stop that always ends it — SIGTERM first so it can
 * clean up, SIGKILL when it does not exit in time. Each peer gets its own
 * process group and the signals go to the group: kamailio forks workers, and
 * a SIGKILL to its main process alone would leave them running (and holding
 * the ports) with no parent.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const KEEP_OUTPUT_CHARS = 64_000;

export interface PeerProcess {
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved, last 64 kB. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the program ended. */
  readonly exited: Promise<number | null>;
  /** Ends the program (no-op when it already ended) and waits for it. */
  stop(graceMs?: number): Promise<number | null>;
  /** Resolves when `pattern` appears in the output; rejects on exit or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

export interface SpawnPeerOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Pipe stdin (for programs driven by commands); ignored otherwise. */
  stdin?: boolean;
}

export function spawnPeer(binary: string, args: readonly string[], options: SpawnPeerOptions = {}): PeerProcess {
  const child = spawn(binary, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_OUTPUT_CHARS);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });

  const stop = async (graceMs = 3000): Promise<number | null> => {
    if (!ended && child.exitCode === null && child.signalCode === null) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        // Workers that outlived their main process.
        signal('SIGKILL');
      }
    }
    return exited;
  };

  const waitForOutput = (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = output.match(pattern);
        if (match) finish(() => resolve(match));
        else if (ended) finish(() => reject(new Error(`${binary} exited before printing ${pattern}:\n${output.slice(-4000)}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${binary} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000)}`))),
        timeoutMs,
      );
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return { child, output: () => output, exited, stop, waitForOutput };
}
