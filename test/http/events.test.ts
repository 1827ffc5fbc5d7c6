import { afterEach, describe, expect, it } from 'vitest';
import { type SseStream, openSse } from '../support/sse-client.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

let p: TestPortier | undefined;
const streams: SseStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await p?.stop();
  p = undefined;
});

async function start(): Promise<TestPortier> {
  p = await startTestPortier();
  await p.setUp();
  return p;
}

async function sse(p: TestPortier, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(p.baseUrl, p.http.tls.cert, path, { user: ADMIN, headers });
  streams.push(stream);
  return stream;
}

/** Stateful events are announced on change only, so toggling an input gives one io/input each time. */
function toggle(p: TestPortier, port: string, times: number): void {
  for (let i = 0; i < times; i++) p.kernel.simulator!.setInput(port, i % 2 === 0);
}

describe('GET /api/v1/events', () => {
  it('queries the log by type, plugin, seq, time, limit and order', async () => {
    const p = await start();
    toggle(p, 'io-1', 4);
    toggle(p, 'io-2', 2);
    const all = (await p.request('GET', '/api/v1/events?limit=1000', { user: ADMIN })).body;
    expect(all.length).toBeGreaterThan(6);
    expect(all.map((e: { seq: number }) => e.seq)).toEqual([...all.map((e: { seq: number }) => e.seq)].sort((a, b) => a - b));
    expect(all[0]).toEqual({ seq: expect.any(Number), type: expect.any(String), source: expect.any(String), time: expect.any(Number), stateful: expect.any(Boolean), payload: expect.any(Object) });

    const inputs = (await p.request('GET', '/api/v1/events?type=io/input', { user: ADMIN })).body;
    // Before these, the io plugin announced each input's state as it started.
    expect(inputs.slice(-6).map((e: { payload: { port: string; active: boolean } }) => [e.payload.port, e.payload.active])).toEqual([
      ['io-1', true],
      ['io-1', false],
      ['io-1', true],
      ['io-1', false],
      ['io-2', true],
      ['io-2', false],
    ]);

    const newestFirst = (await p.request('GET', '/api/v1/events?type=io/input&order=desc&limit=2', { user: ADMIN })).body;
    expect(newestFirst.map((e: { payload: { port: string; active: boolean } }) => [e.payload.port, e.payload.active])).toEqual([
      ['io-2', false],
      ['io-2', true],
    ]);

    const byPlugin = (await p.request('GET', '/api/v1/events?type=io/*&limit=1000', { user: ADMIN })).body;
    expect(byPlugin.every((e: { source: string }) => e.source === 'io')).toBe(true);
    const bySource = (await p.request('GET', '/api/v1/events?source=core&limit=1000', { user: ADMIN })).body;
    expect(bySource.length).toBeGreaterThan(0);
    expect(bySource.every((e: { type: string }) => e.type.startsWith('core/'))).toBe(true);

    const middle = inputs.at(-3).seq;
    const after = (await p.request('GET', `/api/v1/events?type=io/input&afterSeq=${middle}`, { user: ADMIN })).body;
    expect(after.map((e: { seq: number }) => e.seq)).toEqual(inputs.slice(-2).map((e: { seq: number }) => e.seq));

    const time = inputs.at(-1).time;
    const iso = new Date(time).toISOString();
    const window = (await p.request('GET', `/api/v1/events?type=io/input&from=${time}&to=${encodeURIComponent(iso)}`, { user: ADMIN })).body;
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e: { time: number }) => e.time === time)).toBe(true);
    const future = (await p.request('GET', `/api/v1/events?from=${time + 60_000}`, { user: ADMIN })).body;
    expect(future).toEqual([]);
  });

  it('refuses a bad query with 400 and the parameter', async () => {
    const p = await start();
    for (const [query, path] of [
      ['limit=0', '/querystring/limit'],
      ['limit=5000', '/querystring/limit'],
      ['order=sideways', '/querystring/order'],
      ['from=yesterday', '/querystring/from'],
      ['type=Input', '/querystring/type'],
      ['afterSeq=-1', '/querystring/afterSeq'],
    ] as const) {
      const reply = await p.request('GET', `/api/v1/events?${query}`, { user: ADMIN });
      expect(reply.status, query).toBe(400);
      expect(reply.body.code).toBe('REQUEST_INVALID');
      expect(reply.body.details[0].path, query).toBe(path);
    }
    const unknown = await p.request('GET', '/api/v1/events?colour=red', { user: ADMIN });
    expect(unknown.status).toBe(400);
  });
});

describe('GET /api/v1/events/stream', () => {
  it('streams live events as Server-Sent Events: id is the seq, event the type, data the event', async () => {
    const p = await start();
    const stream = await sse(p, '/api/v1/events/stream');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    await stream.waitForComment((c) => c === 'connected');

    p.kernel.simulator!.setInput('io-1', true);
    const message = await stream.waitFor((m) => m.event === 'io/input');
    const event = JSON.parse(message.data);
    expect(event).toMatchObject({ type: 'io/input', source: 'io', stateful: true, payload: { port: 'io-1', name: 'I1', active: true } });
    expect(message.id).toBe(String(event.seq));
    const logged = (await p.request('GET', '/api/v1/events?type=io/input&order=desc&limit=1', { user: ADMIN })).body[0];
    expect(logged).toEqual(event);
  });

  it('filters by exact type, by plugin (io/*), or several separated by commas', async () => {
    const p = await start();
    const exact = await sse(p, '/api/v1/events/stream?type=io/output');
    const plugin = await sse(p, '/api/v1/events/stream?type=io/*');
    const several = await sse(p, '/api/v1/events/stream?type=core/plugin-state,io/input');
    const everything = await sse(p, '/api/v1/events/stream');
    for (const s of [exact, plugin, several, everything]) await s.waitForComment((c) => c === 'connected');

    p.kernel.simulator!.setInput('io-1', true);
    await p.request('PUT', '/api/v1/ports/relay-1/state', { user: ADMIN, body: { active: true } });
    await p.request('POST', '/api/v1/plugins/io/restart', { user: ADMIN });
    // Each stream has had everything once the last event its filter matches has arrived.
    const logged: { seq: number; type: string }[] = (await p.request('GET', '/api/v1/events?limit=1000', { user: ADMIN })).body;
    const lastOf = (types: string[]): string => String(logged.filter((e) => types.includes(e.type)).at(-1)!.seq);
    await exact.waitFor((m) => m.id === lastOf(['io/output']));
    await plugin.waitFor((m) => m.id === lastOf(['io/input', 'io/output']));
    await several.waitFor((m) => m.id === lastOf(['core/plugin-state', 'io/input']));
    await everything.waitFor((m) => m.id === String(logged.at(-1)!.seq));

    const types = (s: SseStream): Set<string> => new Set(s.messages.map((m) => m.event));
    expect(types(exact)).toEqual(new Set(['io/output']));
    expect(types(plugin)).toEqual(new Set(['io/input', 'io/output']));
    expect(types(several)).toEqual(new Set(['core/plugin-state', 'io/input']));
    expect(types(everything)).toEqual(new Set(['io/input', 'io/output', 'core/plugin-state']));
  });

  it('replays from the log after Last-Event-ID, then continues live, with no gap and nothing twice', async () => {
    const p = await start();
    toggle(p, 'io-1', 6);
    const inputs = (await p.request('GET', '/api/v1/events?type=io/input&limit=1000', { user: ADMIN })).body;
    const lastSeen = inputs.at(-4).seq;

    const stream = await sse(p, '/api/v1/events/stream?type=io/input', { 'last-event-id': String(lastSeen) });
    const replayed = inputs.slice(-3).map((e: { seq: number }) => String(e.seq));
    await stream.waitFor((m) => m.id === replayed.at(-1));
    p.kernel.simulator!.setInput('io-1', true);
    const live = await stream.waitFor((m) => Number(m.id) > Number(replayed.at(-1)));
    expect(stream.messages.map((m) => m.id)).toEqual([...replayed, live.id]);
    // io-1 went true, false, true, false, true, false: the client had seen up to the third.
    expect(stream.json().map((e) => e.payload.active)).toEqual([false, true, false, true]);
  });

  it('refuses a bad filter or Last-Event-ID with a JSON error, and an anonymous caller', async () => {
    const p = await start();
    const badType = await sse(p, '/api/v1/events/stream?type=io/');
    expect(badType.status).toBe(400);
    await badType.ended;
    expect(JSON.parse(badType.text())).toMatchObject({ code: 'REQUEST_INVALID', details: [{ path: '/querystring/type' }] });

    const badId = await sse(p, '/api/v1/events/stream', { 'last-event-id': 'yesterday' });
    expect(badId.status).toBe(400);
    await badId.ended;
    expect(JSON.parse(badId.text()).details[0].path).toBe('/headers/last-event-id');

    const anonymous = await openSse(p.baseUrl, p.http.tls.cert, '/api/v1/events/stream');
    streams.push(anonymous);
    expect(anonymous.status).toBe(401);
  });

  it('ends cleanly when the client goes, and when the server closes', async () => {
    const p = await start();
    const leaving = await sse(p, '/api/v1/events/stream');
    await leaving.waitForComment((c) => c === 'connected');
    leaving.close();
    await leaving.ended;
    // Events after the client went are nobody's problem.
    toggle(p, 'io-1', 2);
    expect((await p.request('GET', '/api/v1/system', { user: ADMIN })).status).toBe(200);

    const staying = await sse(p, '/api/v1/events/stream');
    await staying.waitForComment((c) => c === 'connected');
    const closing = p.http.close();
    await staying.ended;
    await closing;
  });
});
