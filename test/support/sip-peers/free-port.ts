/**
 * Free ports on 127.0.0.1 for peers started by tests. A SIP peer listens on
 * UDP and TCP at the same number, so a port is only handed out when both are
 * free. The kernel may still give the port to someone else before the peer
 * binds it; remembering what this process already handed out at least keeps
 * two peers of one test file from colliding with each other.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';
const handedOut = new Set<number>();

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await ephemeralTcpPort();
    if (handedOut.has(port) || !(await udpPortIsFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1 after 50 attempts');
}

/** `count` distinct ports, each free for UDP and TCP. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}

/**
 * `count` consecutive ports, each free for UDP and TCP: baresip, for one,
 * listens for TLS on its SIP port + 1.
 */
export async function freeConsecutivePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const first = await ephemeralTcpPort();
    const ports = Array.from({ length: count }, (_, index) => first + index);
    if (ports.some((port) => port > 65535 || handedOut.has(port))) continue;
    const free = await Promise.all(ports.map(async (port) => (await udpPortIsFree(port)) && (await tcpPortIsFree(port))));
    if (free.every(Boolean)) {
      for (const port of ports) handedOut.add(port);
      return first;
    }
  }
  throw new Error(`no ${count} consecutive ports free for UDP and TCP on 127.0.0.1 after 100 attempts`);
}

/** An even port whose successor is free too, as RTP (even) and RTCP (odd) want. */
export async function freeRtpPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = await ephemeralTcpPort();
    const even = port - (port % 2);
    if (even < 1024 || handedOut.has(even) || handedOut.has(even + 1)) continue;
    if ((await udpPortIsFree(even)) && (await udpPortIsFree(even + 1))) {
      handedOut.add(even);
      handedOut.add(even + 1);
      return even;
    }
  }
  throw new Error('no free even/odd UDP port pair on 127.0.0.1 after 100 attempts');
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

/** True when nothing listens on (or holds) the TCP port on 127.0.0.1. */
export function tcpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function ephemeralTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no TCP port from the kernel'))));
    });
  });
}
