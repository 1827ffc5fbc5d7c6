import { createSocket, type Socket } from 'node:dgram';
import { afterEach, expect, it } from 'vitest';
import { describeWithPeers, startSipp, uasScenario, type Sipp, type UasScenarioOptions } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { type SipPortier, startSipPortier } from './sip-test-portier.js';
import { callStates } from './support-polling.js';

let portier: SipPortier | undefined;
const callees: Sipp[] = [];
let silent: Socket | undefined;
afterEach(async () => {
  for (const callee of callees.splice(0).reverse()) await callee.stop();
  await new Promise<void>((resolve) => (silent === undefined ? resolve() : silent.close(() => resolve())));
  silent = undefined;
  await portier?.stop();
  portier = undefined;
});

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A callee that takes every INVITE and never says a word (a phone that crashed, a firewall that drops replies); returns its port and what it got. */
async function silentCallee(): Promise<{ port: number; methods: string[] }> {
  const socket = createSocket('udp4');
  const methods: string[] = [];
  socket.on('message', (data) => methods.push(data.toString('utf8').split(' ', 1)[0]!));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  silent = socket;
  return { port: socket.address().port, methods };
}

describeWithPeers(['sipp'], 'outgoing calls to sipp callees', ({ sipp: binary = 'sipp' }) => {
  const callee = async (name: string, options: UasScenarioOptions): Promise<Sipp> => {
    const sipp = await startSipp(binary, { name, scenario: uasScenario({ audio: null, ...options }), timeoutMs: 15_000 });
    callees.push(sipp);
    return sipp;
  };
  const contact = (id: string, sipp: Sipp, extra: Record<string, unknown> = {}) => ({ id, firstName: id, sipAddress: `sip:${id}@${sipp.address}`, ...extra });
  const callContact = async (id: string): Promise<Record<string, any>> => {
    const reply = await portier!.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: id } });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };

  it('cancels a call nobody answers once the calling timeout passes', async () => {
    const ringing = await callee('ringing', { behaviour: 'ring-forever' });
    portier = await startSipPortier();
    await portier.configure({ callingTimeoutSeconds: 5, contacts: [contact('reception', ringing)] });

    const placed = await callContact('reception');
    const failed = await portier.waitForCall((c) => c.call === placed.call && c.state === 'failed', 10_000);
    expect(failed).toMatchObject({ reason: 'no answer within the calling timeout (5 s)', status: 487, answeredAt: null });
    expect(Date.now() - failed.startedAt).toBeGreaterThanOrEqual(5000);
    const result = await ringing.result;
    expect(result.successful, ringing.explain()).toBe(1);
    expect(result.messages).toMatch(/^CANCEL sip:reception@/m);
    expect(await callStates(portier, placed.call)).toEqual(['calling', 'ringing', 'failed']);
  });

  for (const [status, reason] of [
    [486, 'busy (486 Busy Here)'],
    [603, 'declined (603 Decline)'],
  ] as const) {
    it(`fails the call with the status when the callee answers ${status}`, async () => {
      const refusing = await callee(`refuses-${status}`, { behaviour: status, ringMs: 200 });
      portier = await startSipPortier();
      await portier.configure({ contacts: [contact('reception', refusing)] });

      const placed = await callContact('reception');
      const failed = await portier.waitForCall((c) => c.call === placed.call && c.state === 'failed');
      expect(failed).toMatchObject({ status, reason, answeredAt: null });
      const result = await refusing.result;
      expect(result.successful, refusing.explain()).toBe(1);
    });
  }

  it('calls the fallback straight away when the contact is not available by its schedule', async () => {
    const a = await callee('a', { behaviour: 'ring-forever' });
    const b = await callee('b', { behaviour: 'answer', hangupAfterMs: 300 });
    portier = await startSipPortier();
    const notToday = WEEKDAYS[(new Date().getUTCDay() + 3) % 7]!;
    const schedule = await portier.request('POST', '/api/v1/schedules', {
      user: ADMIN,
      body: { kind: 'weekly', name: 'Not today', intervals: [{ days: [notToday], start: '08:00', end: '09:00' }] },
    });
    expect(schedule.status, schedule.text).toBe(201);
    expect(schedule.body.active).toBe(false);
    await portier.configure({ contacts: [contact('a', a, { availability: schedule.body.id, fallback: 'b' }), contact('b', b)] });

    const placed = await callContact('a');
    expect(placed).toMatchObject({ contact: 'b', remote: `sip:b@${b.address}` });
    const ended = await portier.waitForCall((c) => c.call === placed.call && c.state === 'ended');
    expect(ended.reason).toBe('the other side hung up');
    expect((await b.result).successful, b.explain()).toBe(1);
    // A was never rung.
    expect((await a.stop()).messages).not.toMatch(/^INVITE /m);
    expect(await portier.calls()).toHaveLength(1);
  });

  it('calls the fallback when the contact refuses with 480', async () => {
    const a = await callee('a', { behaviour: 480, ringMs: 200 });
    const b = await callee('b', { behaviour: 'answer', hangupAfterMs: 300 });
    portier = await startSipPortier();
    await portier.configure({ contacts: [contact('a', a, { fallback: 'b' }), contact('b', b)] });

    const placed = await callContact('a');
    expect(placed.contact).toBe('a');
    const toB = await portier.waitForCall((c) => c.contact === 'b' && c.state === 'ended');
    expect(toB.answeredAt).not.toBeNull();
    const first = (await portier.calls()).find((c) => c.call === placed.call);
    expect(first).toMatchObject({ state: 'failed', status: 480 });
    expect((await a.result).successful, a.explain()).toBe(1);
    expect((await b.result).successful, b.explain()).toBe(1);
  });

  it('calls the fallback when the contact rings past the calling timeout', async () => {
    const a = await callee('a', { behaviour: 'ring-forever' });
    const b = await callee('b', { behaviour: 'answer', hangupAfterMs: 300 });
    portier = await startSipPortier();
    await portier.configure({ callingTimeoutSeconds: 5, contacts: [contact('a', a, { fallback: 'b' }), contact('b', b)] });

    const placed = await callContact('a');
    const toB = await portier.waitForCall((c) => c.contact === 'b' && c.state === 'ended', 12_000);
    expect(toB.reason).toBe('the other side hung up');
    const first = (await portier.calls()).find((c) => c.call === placed.call);
    expect(first).toMatchObject({ state: 'failed', reason: 'no answer within the calling timeout (5 s)' });
    expect((await a.result).successful, a.explain()).toBe(1);
    expect((await b.result).successful, b.explain()).toBe(1);
  });

  it('refuses contacts whose fallbacks go round in a loop, naming the field, and keeps the settings it had', async () => {
    const a = await callee('a', { behaviour: 'answer' });
    portier = await startSipPortier();
    await portier.configure({ contacts: [contact('a', a), contact('b', a)] });
    const before = (await portier.request('GET', '/api/v1/plugins/sip/settings', { user: ADMIN })).body.values;

    const reply = await portier.request('PUT', '/api/v1/plugins/sip/settings', {
      user: ADMIN,
      body: { ...before, contacts: [contact('a', a, { fallback: 'b' }), contact('b', a, { fallback: 'a' })] },
    });
    expect([400, 422]).toContain(reply.status);
    expect(reply.text).toContain('contacts');
    expect(reply.text).toMatch(/fallback/);
    expect(reply.text).toMatch(/loop/);
    const after = (await portier.request('GET', '/api/v1/plugins/sip/settings', { user: ADMIN })).body.values;
    expect(after).toEqual(before);
  });

  it('ends a call to a callee that never answers at all once the calling timeout passes', async () => {
    const mute = await silentCallee();
    portier = await startSipPortier();
    await portier.configure({ callingTimeoutSeconds: 5, contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@127.0.0.1:${mute.port}` }] });

    const placed = await callContact('reception');
    const failed = await portier.waitForCall((c) => c.call === placed.call && c.state === 'failed', 10_000);
    expect(failed).toMatchObject({ reason: 'no answer within the calling timeout (5 s)', status: null, answeredAt: null });
    expect(mute.methods).toContain('INVITE');
    // No CANCEL may overtake an INVITE nobody acknowledged (RFC 3261 §9.1).
    expect(mute.methods).not.toContain('CANCEL');
    // The line is free again at once, not after the INVITE transaction's own 32 s.
    expect((await portier.status()).calls).toBe(0);
  });

  it('hangs up at once a call that has heard nothing yet, and does not call the fallback', async () => {
    const mute = await silentCallee();
    const b = await callee('b', { behaviour: 'answer' });
    portier = await startSipPortier();
    await portier.configure({
      contacts: [{ id: 'a', firstName: 'a', sipAddress: `sip:a@127.0.0.1:${mute.port}`, fallback: 'b' }, contact('b', b)],
    });

    const placed = await callContact('a');
    const reply = await portier.request('DELETE', `/api/v1/plugins/sip/calls/${placed.call}`, { user: ADMIN });
    expect(reply.status, reply.text).toBe(200);
    const failed = await portier.waitForCall((c) => c.call === placed.call && c.state === 'failed', 2000);
    expect(failed.reason).toBe('hung up here before the answer');
    // B's callee never gets an INVITE: hanging up stops the whole chain.
    const afterwards = await portier.calls();
    expect(afterwards.map((c) => c.contact)).toEqual(['a']);
    expect((await b.stop()).messages).not.toMatch(/^INVITE /m);
  });

  it('sends CANCEL when a ringing call is hung up through the API', async () => {
    const ringing = await callee('ringing', { behaviour: 'ring-forever' });
    portier = await startSipPortier();
    await portier.configure({ contacts: [contact('reception', ringing)] });

    const placed = await callContact('reception');
    await portier.waitForCall((c) => c.call === placed.call && c.state === 'ringing');
    const reply = await portier.request('DELETE', `/api/v1/plugins/sip/calls/${placed.call}`, { user: ADMIN });
    expect(reply.status, reply.text).toBe(200);

    const failed = await portier.waitForCall((c) => c.call === placed.call && c.state === 'failed');
    expect(failed).toMatchObject({ reason: 'hung up here before the answer', status: 487 });
    const result = await ringing.result;
    expect(result.successful, ringing.explain()).toBe(1);
    expect(result.messages).toMatch(/^CANCEL sip:reception@/m);
  });
});
