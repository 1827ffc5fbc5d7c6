/** Spawning Portier and the bare baseline server for the HTTP benchmarks, and talking HTTPS to them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';

const PORTIER = fileURLToPath(new URL('../platform/cli/portier.js', import.meta.url));
const BARE = fileURLToPath(new URL('./http-bare-server.js', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  /** When `spawn` was called (process.hrtime.bigint()). */
  spawnedAt: bigint;
  port: number;
  stop(): Promise<void>;
}

/**
 * `portier start` on a data folder, as a user runs it; resolves once its
 * JSON log says "HTTPS API listening", with the port it picked.
 */
export function spawnPortier(dataDir: string): Promise<Spawned> {
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, [PORTIER, 'start', '--data', dataDir, '--host', '127.0.0.1', '--https-port', '0', '--http-port', 'off'], {
    env: { ...process.env, PORTIER_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForLine(child, spawnedAt, (line) => {
    const entry = JSON.parse(line) as { msg?: string; https?: string };
    return entry.msg?.startsWith('HTTPS API listening') === true && entry.https !== undefined ? Number(new URL(entry.https).port) : undefined;
  });
}

/** The bare fastify HTTPS server (http-bare-server.ts); resolves once it prints its port. */
export function spawnBare(certFile: string, keyFile: string, route?: { path: string; bodyFile: string }): Promise<Spawned> {
  const spawnedAt = process.hrtime.bigint();
  const args = [BARE, certFile, keyFile, ...(route === undefined ? [] : [route.path, route.bodyFile])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return waitForLine(child, spawnedAt, (line) => (JSON.parse(line) as { port?: number }).port);
}

function waitForLine(child: ChildProcess, spawnedAt: bigint, portOf: (line: string) => number | undefined): Promise<Spawned> {
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no listening line within 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let port: number | undefined;
        try {
          port = portOf(line);
        } catch {
          continue;
        }
        if (port !== undefined) {
          clearTimeout(timer);
          resolve({ child, spawnedAt, port, stop });
        }
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
}

/** One HTTPS request to 127.0.0.1, trusting `ca` (the certificate the server uses). */
export function httpsCall(port: number, ca: string, method: string, path: string, options: { body?: unknown; authorization?: string } = {}): Promise<Reply> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = {};
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, method, path, headers, ca, servername: 'localhost', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}
