import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponse, parseSipMessage, type SipParseError, type SipRequest, type SipResponse } from '../message/index.js';
import type { InboundMessage, SipAddress } from './sip-transport.js';
import { TransportLayer } from './transport-layer.js';

const HOST = '127.0.0.1';
let layer: TransportLayer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await layer?.close();
  layer = undefined;
});

function options(sentBy: string, extra = '', method = 'OPTIONS', cseqMethod = method): string {
  return [
    `${method} sip:portier@${HOST} SIP/2.0`,
    `Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bK-${Math.random().toString(36).slice(2)}${extra}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=a1',
    `To: <sip:portier@${HOST}>`,
    'Call-ID: udp-test@example.com',
    `CSeq: 7 ${cseqMethod}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

async function udpClient(): Promise<{ socket: Socket; port: number; next(timeoutMs?: number): Promise<string | null> }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const queue: string[] = [];
  const waiting: Array<(text: string) => void> = [];
  socket.on('message', (bytes) => {
    const text = bytes.toString('utf8');
    const waiter = waiting.shift();
    if (waiter === undefined) queue.push(text);
    else waiter(text);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, () => resolve()));
  return {
    socket,
    port: socket.address().port,
    next(timeoutMs = 1000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          resolve(null);
        }, timeoutMs);
        const waiter = (text: string) => {
          clearTimeout(timer);
          resolve(text);
        };
        waiting.push(waiter);
      });
    },
  };
}

async function startUdp(): Promise<{ layer: TransportLayer; port: number; inbound: InboundMessage[]; dropped: Array<{ why: string; source: SipAddress; error?: SipParseError }> }> {
  const inbound: InboundMessage[] = [];
  const dropped: Array<{ why: string; source: SipAddress; error?: SipParseError }> = [];
  layer = await TransportLayer.start({ host: HOST, udpPort: 0, onDropped: (why, source, error) => dropped.push({ why, source, ...(error === undefined ? {} : { error }) }) });
  layer.onMessage((message) => inbound.push(message));
  return { layer, port: layer.localAddress('UDP')!.port, inbound, dropped };
}

function send(socket: Socket, text: string | Uint8Array, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(typeof text === 'string' ? Buffer.from(text) : text, port, HOST, (error) => (error ? reject(error) : resolve())));
}

async function until<T>(read: () => T | undefined, timeoutMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A 200 that copies what §8.2.6.2 says a response copies. */
function okFor(request: SipRequest): SipResponse {
  const response = createResponse(200, 'OK');
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) for (const value of request.headers.getAll(name)) response.headers.append(name, value);
  return response;
}

describe('TransportLayer over UDP', () => {
  it('stamps received and rport on a request from behind a NAT, and answers to that address', async () => {
    const { layer, port, inbound } = await startUdp();
    const client = await udpClient();
    await send(client.socket, options('192.0.2.10:5070', ';rport'), port);

    const got = await until(() => inbound[0]);
    expect(got.source).toEqual({ transport: 'UDP', host: HOST, port: client.port });
    expect(got.connectionId).toBeUndefined();
    const via = (got.message as SipRequest).headers.get('Via')!;
    expect(via).toMatch(new RegExp(`^SIP/2\\.0/UDP 192\\.0\\.2\\.10:5070;branch=z9hG4bK-\\w+;received=127\\.0\\.0\\.1;rport=${client.port}$`));

    await layer.sendResponse(okFor(got.message as SipRequest), got as InboundMessage<SipRequest>);
    const answer = await client.next();
    expect(answer).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(answer).toContain(`;received=127.0.0.1;rport=${client.port}`);
  });

  it('adds received but no rport when the sent-by host differs and rport was not asked for, and answers to the sent-by port', async () => {
    const { layer, port, inbound } = await startUdp();
    const sender = await udpClient();
    const listener = await udpClient();
    await send(sender.socket, options(`198.51.100.7:${listener.port}`), port);

    const got = await until(() => inbound[0]);
    const via = (got.message as SipRequest).headers.get('Via')!;
    expect(via).toContain(';received=127.0.0.1');
    expect(via).not.toContain('rport');

    await layer.sendResponse(okFor(got.message as SipRequest), got as InboundMessage<SipRequest>);
    expect(await listener.next()).toMatch(/^SIP\/2\.0 200 OK/);
    expect(await sender.next(100)).toBeNull();
  });

  it('leaves the Via alone when sent-by is where the request came from', async () => {
    const { port, inbound } = await startUdp();
    const client = await udpClient();
    const text = options(`${HOST}:${client.port}`);
    await send(client.socket, text, port);

    const got = await until(() => inbound[0]);
    expect((got.message as SipRequest).headers.get('Via')).toBe(/^Via: (.*)$/m.exec(text)![1]!.trim());
  });

  it('hands a response to the listeners without touching its Via', async () => {
    const { port, inbound } = await startUdp();
    const client = await udpClient();
    const response = options('192.0.2.10:5070', ';rport').replace(/^OPTIONS \S+ SIP\/2\.0/, 'SIP/2.0 200 OK');
    await send(client.socket, response, port);

    const got = await until(() => inbound[0]);
    expect(got.message.kind).toBe('response');
    expect(got.message.headers.get('Via')).not.toContain('received');
  });

  it('answers a malformed request it can answer with 400, copying Via, From, To, Call-ID and CSeq, and reports it', async () => {
    const { port, inbound, dropped } = await startUdp();
    const client = await udpClient();
    await send(client.socket, options(`${HOST}:${client.port}`, '', 'OPTIONS', 'INVITE'), port);

    const answer = (await client.next())!;
    expect(answer).toMatch(/^SIP\/2\.0 400 CSeq Method Mismatch\r\n/);
    const parsed = parseSipMessage(Buffer.from(answer));
    expect(parsed.headers.get('Via')).toMatch(new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${client.port};branch=z9hG4bK-`));
    expect(parsed.headers.get('From')).toBe('<sip:alice@example.com>;tag=a1');
    expect(parsed.headers.get('To')).toMatch(/^<sip:portier@127\.0\.0\.1>;tag=\S+$/);
    expect(parsed.headers.get('Call-ID')).toBe('udp-test@example.com');
    expect(parsed.headers.get('CSeq')).toBe('7 INVITE');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.error?.code).toBe('SIP_CSEQ_MISMATCH');
    expect(dropped[0]!.source).toEqual({ transport: 'UDP', host: HOST, port: client.port });
    expect(inbound).toEqual([]);
  });

  it('sends that 400 to the source port when the request asked for rport, not to its sent-by port', async () => {
    const { port, dropped } = await startUdp();
    const client = await udpClient();
    const elsewhere = await udpClient();
    await send(client.socket, options(`${HOST}:${elsewhere.port}`, ';rport', 'OPTIONS', 'BYE'), port);

    expect(await client.next()).toMatch(/^SIP\/2\.0 400 /);
    expect(await elsewhere.next(100)).toBeNull();
    expect(dropped).toHaveLength(1);
  });

  it('drops, and reports, what it cannot answer: garbage, a request without Via, a malformed ACK', async () => {
    const { port, inbound, dropped } = await startUdp();
    const client = await udpClient();
    await send(client.socket, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x0d, 0x0a]), port);
    await send(client.socket, options(`${HOST}:${client.port}`).replace(/^Via: .*\r\n/m, ''), port);
    await send(client.socket, options(`${HOST}:${client.port}`, '', 'ACK', 'INVITE'), port);

    await until(() => (dropped.length === 3 ? true : undefined));
    expect(dropped.map((d) => d.why)).toEqual([expect.stringMatching(/^malformed message: /), expect.stringMatching(/Via/), expect.stringMatching(/CSeq/)]);
    expect(await client.next(150)).toBeNull();
    expect(inbound).toEqual([]);
  });

  it('ignores keep-alive CRLFs without reporting them', async () => {
    const { port, inbound, dropped } = await startUdp();
    const client = await udpClient();
    await send(client.socket, '\r\n\r\n', port);
    await send(client.socket, options(`${HOST}:${client.port}`), port);
    await until(() => inbound[0]);
    expect(dropped).toEqual([]);
  });

  it('keeps serving the other listeners and later messages when one listener throws', async () => {
    const { layer, port, inbound, dropped } = await startUdp();
    layer.onMessage(() => {
      throw new Error('listener bug');
    });
    const client = await udpClient();
    await send(client.socket, options(`${HOST}:${client.port}`), port);
    await send(client.socket, options(`${HOST}:${client.port}`), port);
    await until(() => (inbound.length === 2 ? true : undefined));
    expect(dropped.map((d) => d.why)).toEqual([expect.stringContaining('listener bug'), expect.stringContaining('listener bug')]);
  });

  it('refuses to send over a transport it does not run', async () => {
    const { layer } = await startUdp();
    const request = parseSipMessage(Buffer.from(options('192.0.2.1'))) as SipRequest;
    await expect(layer.sendRequest(request, { transport: 'TCP', host: HOST, port: 9 })).rejects.toMatchObject({ code: 'SIP_TRANSPORT_UNAVAILABLE' });
  });
});
