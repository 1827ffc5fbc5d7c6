import { type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreams } from '../../platform/http/event-stream.js';
import { Kernel } from '../../platform/kernel.js';
import { type SseStream, openSse } from '../support/sse-client.js';

/**
 * The stream's own behaviour (heartbeat, clean-up, slow clients) on a bare
 * server with short timings; the routes' tests run it over HTTPS with auth.
 */
let kernel: Kernel | undefined;
let app: FastifyInstance | undefined;
let streams: EventStreams | undefined;
const clients: SseStream[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.destroy();
  streams?.closeAll();
  await app?.close();
  await kernel?.stop();
  app = undefined;
  kernel = undefined;
});

async function serve(options: { heartbeatMs?: number; maxBufferedBytes?: number; maxClients?: number } = {}): Promise<string> {
  kernel = await Kernel.create({ only: [] });
  await kernel.start();
  const s = new EventStreams(kernel.events, kernel.eventLog, options);
  streams = s;
  app = Fastify();
  app.get('/stream', (_request, reply) => s.serve(reply, { matches: () => true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const fail = (i: number) => ({ ruleId: 'r', ruleName: 'n', action: 'a/b', error: `failure ${i}` });

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('event stream', () => {
  it('sends a heartbeat comment while nothing happens', async () => {
    const base = await serve({ heartbeatMs: 50 });
    const client = await openSse(base, '', '/stream');
    clients.push(client);
    await client.waitForComment((c) => c === 'heartbeat');
    expect(client.text()).toMatch(/^retry: \d+\n: connected\n\n/);
  });

  it('refuses a stream beyond the limit with 503, and accepts one again when a client leaves', async () => {
    const base = await serve({ maxClients: 1 });
    const first = await openSse(base, '', '/stream');
    clients.push(first);
    await first.waitForComment((c) => c === 'connected');
    const second = await openSse(base, '', '/stream');
    clients.push(second);
    expect(second.status).toBe(503);
    first.close();
    await until(() => streams!.size === 0);
    const third = await openSse(base, '', '/stream');
    clients.push(third);
    expect(third.status).toBe(200);
  });

  it('lets go of a client that disconnects', async () => {
    const base = await serve();
    const client = await openSse(base, '', '/stream');
    await client.waitForComment((c) => c === 'connected');
    expect(streams!.size).toBe(1);
    client.close();
    await until(() => streams!.size === 0);
    kernel!.events.emit('core/action-failed', fail(1));
  });

  it('drops a client that stops reading instead of buffering for it without end, and keeps one that reads', async () => {
    const base = await serve({ maxBufferedBytes: 64 * 1024 });
    const url = new URL(base);
    const reader = await openSse(base, '', '/stream');
    clients.push(reader);
    await reader.waitForComment((c) => c === 'connected');
    const socket = connect(Number(url.port), url.hostname);
    sockets.push(socket);
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => streams!.size === 2);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    // Small batches with a turn of the event loop between them: a client that reads keeps up.
    let sent = 0;
    while (sent < 100_000 && streams!.size === 2) {
      for (let i = 0; i < 50; i++) kernel!.events.emit('core/action-failed', fail(sent++));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(streams!.size).toBe(1);
    socket.resume();
    await closed;

    const last = String(kernel!.events.emit('core/action-failed', fail(sent))!.seq);
    await reader.waitFor((m) => m.id === last, 10_000);
    expect(reader.messages.length).toBeGreaterThan(sent);
  });
});
