import { expect, it } from 'vitest';
import { describeWithPeers, startRtpTap, startSipp, uasScenario } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { startSipPortier } from './sip-test-portier.js';

const started = stopAfterEach();

describeWithPeers(['sipp'], 'the call button', ({ sipp: binary = 'sipp' }) => {
  it('calls the contact, a sipp callee answers, audio flows both ways, and a second press ends the call with BYE', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer', ringMs: 200, mediaPort: tap.port }), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({
      contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@${sipp.address}` }],
      callButton: { contact: 'reception' },
    });
    await portier.request('PUT', '/api/v1/simulator/microphones/microphone-1', { user: ADMIN, body: { kind: 'tone', frequencyHz: 1000 } });

    await portier.request('POST', '/api/v1/simulator/buttons/call-button/press', { user: ADMIN });
    const answered = await portier.waitForCall((c) => c.state === 'answered');
    expect(answered).toMatchObject({ direction: 'outgoing', contact: 'reception', account: 'p2p', remote: `sip:reception@${sipp.address}` });

    // Our microphone's tone reaches the callee as G.711; the callee's tone reaches our speaker.
    await tap.waitFor((t) => t.packetCount() >= 25, 5000, 'RTP from Portier');
    const types = [...tap.packetsByPayloadType().keys()];
    expect(types.every((pt) => pt === 0 || pt === 8)).toBe(true);
    const deadline = Date.now() + 5000;
    let speaker: Record<string, any> = {};
    while (Date.now() < deadline) {
      speaker = (await portier.request('GET', '/api/v1/simulator/audio', { user: ADMIN })).body.speakers[0];
      if (speaker.framesPlayed >= 25) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(speaker.framesPlayed).toBeGreaterThanOrEqual(25);
    expect(speaker.levelDbfs).toBeGreaterThan(-40);

    await portier.request('POST', '/api/v1/simulator/buttons/call-button/press', { user: ADMIN });
    const ended = await portier.waitForCall((c) => c.call === answered.call && c.state === 'ended');
    expect(ended.reason).toBe('hung up here');
    expect(ended.media.packetsSent).toBeGreaterThan(20);
    expect(ended.media.packetsReceived).toBeGreaterThan(20);
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^BYE sip:/m);

    const events = (await portier.request('GET', '/api/v1/events?type=sip/call', { user: ADMIN })).body as Array<{ payload: { state: string } }>;
    expect(events.map((e) => e.payload.state)).toEqual(['calling', 'ringing', 'answered', 'ended']);
  });

  it('calls over TCP when the contact\'s address says transport=tcp, and ends the call with BYE over TCP', async () => {
    const sipp = started(await startSipp(binary, { name: 'tcp-callee', transport: 'tcp', scenario: uasScenario({ behaviour: 'answer' }), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({ contacts: [{ id: 'desk', firstName: 'Desk', sipAddress: `sip:desk@${sipp.address};transport=tcp` }] });
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'desk' } });
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');
    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^INVITE sip:desk@127\.0\.0\.1:\d+;transport=tcp SIP\/2\.0\r?\nVia: SIP\/2\.0\/TCP /m);
    expect(result.messages).toMatch(/^Contact: <sip:127\.0\.0\.1:\d+;transport=tcp>/m);
    expect(result.messages).toMatch(/^BYE sip:/m);
  });
});
