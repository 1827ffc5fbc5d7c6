/**
 * A SIP peer made of bare sockets, for tests that send bytes no real phone
 * would: it writes what it is given and reads what comes back, matched to the
 * request by Call-ID, without parsing anything itself beyond the start line.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type SipPortier, startSipPortier } from './sip-test-portier.js';

const HOST = '127.0.0.1';

export interface SipReply {
  status: number;
  callId: string | undefined;
  text: string;
}

export function readReply(text: string): SipReply | undefined {
  const status = /^SIP\/2\.0 (\d{3}) /.exec(text);
  if (status === null) return undefined;
  return { status: Number(status[1]), callId: /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1], text };
}

/** An OPTIONS from `sentBy` (host:port) with `;rport`, as a phone's keep-alive check sends it. */
export function optionsRequest(sentBy: string, callId: string, transport: 'UDP' | 'TCP' = 'UDP'): string {
  return [
    `OPTIONS sip:portier@${HOST} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${sentBy};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@${HOST}>;tag=probe`,
    `To: <sip:portier@${HOST}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export interface RawUdpPeer {
  port: number;
  send(bytes: Uint8Array | string): Promise<void>;
  /** Every reply that came back, in order. */
  replies: SipReply[];
  /** Waits for the first reply with this Call-ID. */
  replyTo(callId: string, timeoutMs?: number): Promise<SipReply>;
  /** Sends an OPTIONS and resolves with its final status. */
  options(timeoutMs?: number): Promise<number>;
  close(): void;
}

let probes = 0;

export async function rawUdpPeer(sipPort: number): Promise<RawUdpPeer> {
  const socket: UdpSocket = createSocket('udp4');
  const replies: SipReply[] = [];
  socket.on('message', (bytes) => {
    const reply = readReply(bytes.toString('latin1'));
    if (reply !== undefined) replies.push(reply);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, () => resolve()));
  const port = socket.address().port;
  const peer: RawUdpPeer = {
    port,
    replies,
    send: (bytes) =>
      new Promise((resolve, reject) => socket.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, sipPort, HOST, (error) => (error ? reject(error) : resolve()))),
    async replyTo(callId, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = replies.find((r) => r.callId === callId && r.status >= 200);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no final reply to ${callId} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async options(timeoutMs = 2000) {
      const callId = `options-probe-${process.pid}-${++probes}`;
      await peer.send(optionsRequest(`${HOST}:${port}`, callId));
      return (await peer.replyTo(callId, timeoutMs)).status;
    },
    close: () => socket.close(),
  };
  return peer;
}

export interface RawTcpConnection {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
  /** Whether the other side closed the connection within `timeoutMs`. */
  closedWithin(timeoutMs: number): Promise<boolean>;
}

export async function rawTcpConnection(sipPort: number): Promise<RawTcpConnection> {
  const socket = connect({ host: HOST, port: sipPort });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  // The other side may reset a connection it refused mid-write; what it did is read from `closed`.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => text,
    closed,
    closedWithin: (timeoutMs) => Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]),
  };
}

/** Sends an OPTIONS on a new TCP connection and resolves with its final status. */
export async function tcpOptions(sipPort: number, timeoutMs = 2000): Promise<number> {
  const connection = await rawTcpConnection(sipPort);
  try {
    const callId = `tcp-probe-${process.pid}-${++probes}`;
    connection.socket.write(optionsRequest(`${HOST}:${connection.socket.localPort}`, callId, 'TCP'));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = readReply(connection.received());
      if (reply !== undefined && reply.status >= 200) return reply.status;
      if (Date.now() > deadline) throw new Error(`no final reply to the TCP OPTIONS within ${timeoutMs} ms: ${JSON.stringify(connection.received())}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    connection.socket.destroy();
  }
}

/**
 * One Portier with SIP (on its defaults, or `settings`) and a raw UDP peer
 * for a whole test file or describe block — sending hundreds of messages to
 * one instance is the point — stopped after it.
 */
export function sipPortierWithRawPeer(settings: Record<string, unknown> = {}): { readonly portier: SipPortier; readonly peer: RawUdpPeer } {
  let portier: SipPortier | undefined;
  let peer: RawUdpPeer | undefined;
  beforeAll(async () => {
    portier = await startSipPortier();
    await portier.configure(settings);
    peer = await rawUdpPeer(portier.sipPort);
  });
  afterAll(async () => {
    peer?.close();
    await portier?.stop();
  });
  return {
    get portier() {
      return portier!;
    },
    get peer() {
      return peer!;
    },
  };
}
