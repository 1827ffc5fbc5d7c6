import { afterEach, expect, it } from 'vitest';
import { describeWithPeers, startSipp, uacScenario, type Sipp, type UacScenarioOptions } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { type SipPortier, startSipPortier } from './sip-test-portier.js';
import { callStates, pollUntil, speaker } from './support-polling.js';

let portier: SipPortier | undefined;
let caller: Sipp | undefined;
afterEach(async () => {
  await caller?.stop();
  await portier?.stop();
  caller = undefined;
  portier = undefined;
});

describeWithPeers(['sipp'], 'incoming calls from a sipp caller', ({ sipp: binary = 'sipp' }) => {
  const call = async (settings: Record<string, unknown>, scenario: UacScenarioOptions): Promise<Sipp> => {
    portier = await startSipPortier();
    await portier.configure(settings);
    caller = await startSipp(binary, {
      name: 'caller',
      scenario: uacScenario(scenario),
      target: `127.0.0.1:${portier.sipPort}`,
      service: 'door',
      timeoutMs: 15_000,
    });
    return caller;
  };

  it('refuses the call with 403 while incoming calls are off, and no call shows up', async () => {
    const sipp = await call({ allowIncomingCalls: false }, { expect: 'refused', codes: [403] });

    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^SIP\/2\.0 403 /m);
    expect(result.messages).not.toMatch(/^SIP\/2\.0 180 /m);
    expect(await portier!.calls()).toEqual([]);
    const logged = (await portier!.request('GET', '/api/v1/events?type=sip/call', { user: ADMIN })).body;
    expect(logged).toEqual([]);
  });

  it('answers at once with auto-answer 0: the caller hears 200, its tone plays on our speaker, and its BYE ends the call', async () => {
    const sipp = await call({ allowIncomingCalls: true, autoAnswerSeconds: 0 }, { expect: 'answer', audioMs: 1500 });

    const answered = await portier!.waitForCall((c) => c.state === 'answered');
    expect(answered).toMatchObject({ direction: 'incoming', account: 'p2p', contact: null });
    expect(answered.remote).toMatch(/^sip:sipp@/);
    const played = await pollUntil(() => speaker(portier!), (s) => s.framesPlayed >= 25, 5000, 'the caller\'s tone on our speaker');
    expect(played.levelDbfs).toBeGreaterThan(-40);

    const ended = await portier!.waitForCall((c) => c.call === answered.call && c.state === 'ended');
    expect(ended.reason).toBe('the other side hung up');
    expect(ended.media.packetsReceived).toBeGreaterThan(20);
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^SIP\/2\.0 200 OK/m);
    expect(await callStates(portier!, answered.call)).toEqual(['ringing', 'answered', 'ended']);
  });

  it('rings without auto-answer, then refuses with 480 when the incoming call timeout passes', async () => {
    const sipp = await call(
      { allowIncomingCalls: true, autoAnswerSeconds: null, incomingCallTimeoutSeconds: 5 },
      { expect: 'ring-then-fail', codes: [480] },
    );

    const ringing = await portier!.waitForCall((c) => c.state === 'ringing');
    const failed = await portier!.waitForCall((c) => c.call === ringing.call && c.state === 'failed', 10_000);
    expect(failed).toMatchObject({ reason: 'not answered within the incoming call timeout (5 s)', status: 480, answeredAt: null });
    // The timeout is the setting's, not a moment sooner.
    expect(Date.now() - failed.startedAt).toBeGreaterThanOrEqual(5000);
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^SIP\/2\.0 180 /m);
    expect(result.messages).toMatch(/^SIP\/2\.0 480 /m);
  });

  it('gives a caller who hangs up while it rings 487, and the call fails saying so', async () => {
    const sipp = await call({ allowIncomingCalls: true, autoAnswerSeconds: null }, { expect: 'cancel', cancelAfterMs: 800 });

    const ringing = await portier!.waitForCall((c) => c.state === 'ringing');
    const failed = await portier!.waitForCall((c) => c.call === ringing.call && c.state === 'failed');
    expect(failed).toMatchObject({ reason: 'the caller hung up before the answer', status: 487, answeredAt: null });
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^SIP\/2\.0 487 /m);
    expect(await callStates(portier!, ringing.call)).toEqual(['ringing', 'failed']);
  });

  it('answers a second caller 486 Busy while the first rings, and declines the first with 603 when hung up through the API', async () => {
    const first = await call({ allowIncomingCalls: true, autoAnswerSeconds: null }, { expect: 'ring-then-fail', codes: [603] });
    const ringing = await portier!.waitForCall((c) => c.state === 'ringing');

    const second = await startSipp(binary, {
      name: 'second-caller',
      scenario: uacScenario({ expect: 'refused', codes: [486] }),
      target: `127.0.0.1:${portier!.sipPort}`,
      service: 'door',
      timeoutMs: 15_000,
    });
    try {
      expect((await second.result).successful, second.explain()).toBe(1);
    } finally {
      await second.stop();
    }
    expect((await portier!.calls()).map((c) => c.call)).toEqual([ringing.call]);

    const reply = await portier!.request('DELETE', `/api/v1/plugins/sip/calls/${ringing.call}`, { user: ADMIN });
    expect(reply.status, reply.text).toBe(200);
    const declined = await portier!.waitForCall((c) => c.call === ringing.call && c.state === 'failed');
    expect(declined.reason).toBe('declined here');
    expect((await first.result).successful, first.explain()).toBe(1);
  });

  it('answers a ringing call when asked through the API', async () => {
    const sipp = await call({ allowIncomingCalls: true, autoAnswerSeconds: null }, { expect: 'answer', audioMs: 500 });

    const ringing = await portier!.waitForCall((c) => c.state === 'ringing');
    const reply = await portier!.request('POST', `/api/v1/plugins/sip/calls/${ringing.call}/answer`, { user: ADMIN });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ call: ringing.call, state: 'answered' });

    const ended = await portier!.waitForCall((c) => c.call === ringing.call && c.state === 'ended');
    expect(ended.reason).toBe('the other side hung up');
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    // A second answer finds nothing ringing.
    const again = await portier!.request('POST', `/api/v1/plugins/sip/calls/${ringing.call}/answer`, { user: ADMIN });
    expect(again.status).toBe(409);
  });
});
