/**
 * A real coturn `turnserver` on 127.0.0.1 for integration tests: free ports,
 * long-term credentials u:p in realm portier.test, loopback peers allowed,
 * no TLS/DTLS/TCP/CLI, logs kept in memory to explain a failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { discoverMappedAddress } from '../stun-binding-client.js';
import { realClock } from './real-clock.js';

export interface Coturn {
  port: number;
  username: string;
  password: string;
  realm: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startCoturn(binary: string): Promise<Coturn> {
  const port = await freeUdpPort();
  const relayStart = 40000 + Math.floor(Math.random() * 10000) * 2;
  const dir = mkdtempSync(join(tmpdir(), 'portier-coturn-'));
  const args = [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    `--min-port=${relayStart}`, `--max-port=${relayStart + 200}`,
    '--lt-cred-mech', '--user=u:p', '--realm=portier.test', '--fingerprint',
    '--no-tls', '--no-dtls', '--no-tcp', '--no-tcp-relay', '--no-cli', '--allow-loopback-peers',
    `--pidfile=${join(dir, 'turnserver.pid')}`, `--userdb=${join(dir, 'turndb')}`, '--log-file=stdout', '--simple-log',
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, username: 'u', password: 'p', realm: 'portier.test', log: () => output, stop };
}

async function waitUntilAnswering(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}:\n${log()}`);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      await discoverMappedAddress({ socket, server: { address: '127.0.0.1', port }, clock: realClock, rto: 100, rc: 2, rm: 2 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`turnserver did not answer on 127.0.0.1:${port}: ${String(error)}\n${log()}`);
    } finally {
      socket.close();
    }
  }
}

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
