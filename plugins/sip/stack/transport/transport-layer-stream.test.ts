import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createResponse, parseSipMessage, type SipRequest, type SipResponse } from '../message/index.js';
import type { InboundMessage, SipAddress } from './sip-transport.js';
import { TransportLayer } from './transport-layer.js';

const HOST = '127.0.0.1';
let cert = '';
let key = '';
beforeAll(async () => {
  const { default: selfsigned } = await import('selfsigned');
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: HOST }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }] }],
  });
  cert = pems.cert;
  key = pems.private;
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Started {
  layer: TransportLayer;
  inbound: InboundMessage[];
  dropped: Array<{ why: string; source: SipAddress }>;
}

async function start(): Promise<Started> {
  const inbound: InboundMessage[] = [];
  const dropped: Array<{ why: string; source: SipAddress }> = [];
  const layer = await TransportLayer.start({
    host: HOST,
    udpPort: 0,
    tcpPort: 0,
    tls: { port: 0, server: { cert, key }, client: { ca: [cert] } },
    onDropped: (why, source) => dropped.push({ why, source }),
  });
  cleanups.push(() => layer.close());
  layer.onMessage((message) => inbound.push(message));
  return { layer, inbound, dropped };
}

function request(sentBy: string, options: { method?: string; cseqMethod?: string; body?: string; transport?: string } = {}): string {
  const method = options.method ?? 'OPTIONS';
  const body = options.body ?? '';
  return [
    `${method} sip:portier@${HOST} SIP/2.0`,
    `Via: SIP/2.0/${options.transport ?? 'TCP'} ${sentBy};branch=z9hG4bK-${Math.random().toString(36).slice(2)}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=a1',
    `To: <sip:portier@${HOST}>`,
    'Call-ID: stream-test@example.com',
    `CSeq: 1 ${options.cseqMethod ?? method}`,
    ...(body === '' ? [] : ['Content-Type: text/plain']),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function okFor(message: SipRequest): SipResponse {
  const response = createResponse(200, 'OK');
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) for (const value of message.headers.getAll(name)) response.headers.append(name, value);
  return response;
}

/** A client connection that collects what it receives and whether it was closed. */
interface Client {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
}

async function client(port: number, tls = false): Promise<Client> {
  const socket = tls ? tlsConnect({ host: HOST, port, ca: [cert], servername: undefined }) : tcpConnect({ host: HOST, port });
  cleanups.push(() => socket.destroy());
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once(tls ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed };
}

/** A plain TCP server standing in for a peer's listener: records its connections and what they carried. */
async function peerServer(): Promise<{ port: number; connections: number; text(): string }> {
  let text = '';
  const state = { port: 0, connections: 0, text: () => text };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    cleanups.push(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  state.port = (server.address() as { port: number }).port;
  return state;
}

async function until<T>(read: () => T | undefined | false, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each([
  ['TCP', false],
  ['TLS', true],
] as const)('TransportLayer over %s', (transport, tls) => {
  it('delivers a request with its connection, stamps received, and answers on that connection', async () => {
    const { layer, inbound } = await start();
    const port = layer.localAddress(transport)!.port;
    const peer = await client(port, tls);
    peer.socket.write(request('192.0.2.20:5060', { transport }));

    const got = await until(() => inbound[0]);
    expect(got.source).toEqual({ transport, host: HOST, port: peer.socket.localPort });
    expect(got.local).toEqual({ transport, host: HOST, port });
    expect(got.connectionId).toEqual(expect.any(String));
    expect((got.message as SipRequest).headers.get('Via')).toMatch(/^SIP\/2\.0\/\w+ 192\.0\.2\.20:5060;branch=\S+;received=127\.0\.0\.1$/);

    await layer.sendResponse(okFor(got.message as SipRequest), got as InboundMessage<SipRequest>);
    await until(() => peer.received().startsWith('SIP/2.0 200 OK\r\n'));
  });

  it('answers CRLFCRLF keep-alives with CRLF and reports nothing', async () => {
    const { layer, dropped } = await start();
    const peer = await client(layer.localAddress(transport)!.port, tls);
    peer.socket.write('\r\n\r\n');
    await until(() => peer.received() === '\r\n');
    expect(dropped).toEqual([]);
  });

  it('answers a framed but malformed request with 400 on the connection, which stays open', async () => {
    const { layer, inbound, dropped } = await start();
    const peer = await client(layer.localAddress(transport)!.port, tls);
    peer.socket.write(request(`${HOST}:5060`, { transport, cseqMethod: 'INVITE' }) + request(`${HOST}:5060`, { transport }));

    await until(() => inbound[0]);
    await until(() => peer.received().includes('\r\n\r\n'));
    const answer = parseSipMessage(Buffer.from(peer.received()), { transport: 'stream' }) as SipResponse;
    expect(answer.status).toBe(400);
    expect(answer.headers.get('CSeq')).toBe('1 INVITE');
    expect(answer.headers.get('Call-ID')).toBe('stream-test@example.com');
    expect(dropped).toHaveLength(1);
  });
});

describe('TransportLayer over TCP', () => {
  it('frames messages by Content-Length whatever the chunks: split anywhere, or several in one', async () => {
    const { layer, inbound } = await start();
    const peer = await client(layer.localAddress('TCP')!.port);
    const first = request(`${HOST}:5060`, { method: 'MESSAGE', body: 'hello\r\n\r\nworld' });
    const second = request(`${HOST}:5060`, { method: 'MESSAGE', body: 'ünïcödé' });
    const bytes = Buffer.from(first + second + first);
    for (let i = 0; i < bytes.length; i += 7) {
      peer.socket.write(bytes.subarray(i, i + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }

    await until(() => inbound.length === 3);
    expect(inbound.map((m) => Buffer.from(m.message.body).toString('utf8'))).toEqual(['hello\r\n\r\nworld', 'ünïcödé', 'hello\r\n\r\nworld']);
  });

  it('closes a connection whose framing is lost, and only that one', async () => {
    const { layer, inbound, dropped } = await start();
    const port = layer.localAddress('TCP')!.port;
    const bad = await client(port);
    const good = await client(port);
    const badPort = bad.socket.localPort;
    bad.socket.write(request(`${HOST}:5060`).replace(/Content-Length: 0\r\n/, ''));

    await bad.closed;
    expect(dropped).toEqual([{ why: expect.stringMatching(/Content-Length/), source: { transport: 'TCP', host: HOST, port: badPort } }]);
    good.socket.write(request(`${HOST}:5060`));
    await until(() => inbound[0]);
    expect(good.socket.destroyed).toBe(false);
  });

  it('opens a new connection to the sent-by port when the request\'s connection is gone', async () => {
    const { layer, inbound } = await start();
    const listener = await peerServer();
    const peer = await client(layer.localAddress('TCP')!.port);
    peer.socket.write(request(`${HOST}:${listener.port}`));
    const got = await until(() => inbound[0]);
    peer.socket.end();
    await peer.closed;

    await layer.sendResponse(okFor(got.message as SipRequest), got as InboundMessage<SipRequest>);
    await until(() => listener.text().startsWith('SIP/2.0 200 OK\r\n'));
  });

  it('reuses one connection for requests to the same target', async () => {
    const { layer } = await start();
    const target = await peerServer();
    const message = parseSipMessage(Buffer.from(request(`${HOST}:5060`)), { transport: 'stream' }) as SipRequest;
    const address = { transport: 'TCP', host: HOST, port: target.port } as const;
    await Promise.all([layer.sendRequest(message, address), layer.sendRequest(message, address)]);
    await layer.sendRequest(message, address);

    await until(() => target.text().split('OPTIONS sip:').length - 1 === 3);
    expect(target.connections).toBe(1);
  });

  it('rejects a request to a port where nothing listens', async () => {
    const { layer } = await start();
    const gone = await peerServer();
    const port = gone.port;
    for (const cleanup of cleanups.splice(-1)) await cleanup();
    const message = parseSipMessage(Buffer.from(request(`${HOST}:5060`)), { transport: 'stream' }) as SipRequest;
    await expect(layer.sendRequest(message, { transport: 'TCP', host: HOST, port })).rejects.toMatchObject({ code: 'SIP_TRANSPORT_ERROR' });
  });
});

describe('TransportLayer over TLS between two layers', () => {
  it('sends a request to the other layer and gets the answer back on the same connection', async () => {
    const a = await start();
    const b = await start();
    const target = b.layer.localAddress('TLS')!;
    const from = a.layer.localAddress('TLS')!;
    const message = parseSipMessage(Buffer.from(request(`${from.host}:${from.port}`, { transport: 'TLS' })), { transport: 'stream' }) as SipRequest;
    await a.layer.sendRequest(message, target);

    const got = await until(() => b.inbound[0]);
    expect(got.source.transport).toBe('TLS');
    await b.layer.sendResponse(okFor(got.message as SipRequest), got as InboundMessage<SipRequest>);
    const answer = await until(() => a.inbound[0]);
    expect(answer.message).toMatchObject({ kind: 'response', status: 200 });
    expect(answer.source).toEqual(target);
  });

  it('refuses a peer whose certificate it cannot verify', async () => {
    const { layer } = await start();
    const strict = await TransportLayer.start({ host: HOST, tls: { port: 0, server: { cert, key } } });
    cleanups.push(() => strict.close());
    const message = parseSipMessage(Buffer.from(request(`${HOST}:5061`, { transport: 'TLS' })), { transport: 'stream' }) as SipRequest;
    await expect(strict.sendRequest(message, layer.localAddress('TLS')!)).rejects.toMatchObject({ code: 'SIP_TRANSPORT_ERROR' });
  });
});
