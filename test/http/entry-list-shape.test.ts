import { afterEach, describe, expect, it } from 'vitest';
import { type SseStream, openSse } from '../support/sse-client.js';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';

/**
 * The manual's entry-list example has this shape: a trigger (access granted;
 * here, input I1 becoming active) runs "Toggle I/O once" on the port named
 * Door, state Active, for 00:00:07. Everything here goes through the API, as
 * an integrator's tool or the web interface would: the rule, the input, the
 * relay, the events.
 */
describe('the entry-list shape over the API', () => {
  let p: TestPortier | undefined;
  let stream: SseStream | undefined;
  afterEach(async () => {
    stream?.close();
    await p?.stop();
    p = undefined;
  });

  const openDoor = (duration: string) => ({
    name: 'Open door',
    trigger: { event: 'io/input', filter: { name: 'I1', active: true } },
    actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration } }],
  });

  const relay1 = async (p: TestPortier): Promise<{ state: { active: boolean; contact: string } }> =>
    (await p.request('GET', '/api/v1/ports', { user: ADMIN })).body.find((port: { id: string }) => port.id === 'relay-1');

  it('input I1 active opens the Door relay for the set time, then it locks again', async () => {
    p = await startTestPortier();
    await p.setUp();

    // The manual's value is accepted as it is written in the web interface…
    const created = await p.request('POST', '/api/v1/rules', { user: ADMIN, body: openDoor('00:00:07') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Open door',
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:07' } }],
      status: { bound: true },
    });
    // …and the run below uses one second, to keep the test short.
    const fast = await p.request('PUT', `/api/v1/rules/${created.body.id}`, { user: ADMIN, body: openDoor('00:00:01') });
    expect(fast.status).toBe(200);
    expect(fast.body.status.bound).toBe(true);

    stream = await openSse(p.baseUrl, p.http.tls.cert, '/api/v1/events/stream?type=io/*', { user: ADMIN });
    expect(stream.status).toBe(200);
    await stream.waitForComment((c) => c === 'connected');
    expect(await relay1(p)).toMatchObject({ state: { active: false, contact: 'open' } });

    const input = await p.request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: { closed: true } });
    expect(input.status).toBe(200);
    expect(await relay1(p)).toMatchObject({ state: { active: true, contact: 'closed' } });

    const door = (active: boolean) => (m: { event: string; data: string }) => {
      if (m.event !== 'io/output') return false;
      const { payload } = JSON.parse(m.data);
      return payload.port === 'relay-1' && payload.active === active;
    };
    const inputEvent = JSON.parse((await stream.waitFor((m) => m.event === 'io/input')).data);
    expect(inputEvent.payload).toEqual({ port: 'io-1', name: 'I1', active: true });
    const opened = JSON.parse((await stream.waitFor(door(true))).data);
    expect(opened.payload).toEqual({ port: 'relay-1', name: 'Door', active: true });
    expect(opened.seq).toBeGreaterThan(inputEvent.seq);

    const locked = JSON.parse((await stream.waitFor(door(false), 5_000)).data);
    expect(locked.time - opened.time).toBeGreaterThanOrEqual(990);
    expect(await relay1(p)).toMatchObject({ state: { active: false, contact: 'open' } });

    // The stream showed exactly this: the input, the door opening, the door locking.
    expect(stream.json().map((e) => [e.type, e.payload.port, e.payload.active])).toEqual([
      ['io/input', 'io-1', true],
      ['io/output', 'relay-1', true],
      ['io/output', 'relay-1', false],
    ]);
    const rule = (await p.request('GET', `/api/v1/rules/${created.body.id}`, { user: ADMIN })).body;
    expect(rule.status).toEqual({ bound: true, conditionsHold: true });
  });
});
