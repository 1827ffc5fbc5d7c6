import { expect, it } from 'vitest';
import { encodeRtpPacket, planTelephoneEvent } from '../../plugins/sip/media/index.js';
import {
  describeWithPeers,
  dtmfPcap,
  requirePcapReplay,
  startRtpTap,
  startSipp,
  uacScenario,
  uasScenario,
} from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { type SipPortier, startSipPortier } from './sip-test-portier.js';
import { events, pollUntil } from './support-polling.js';
import { infoDtmfCalleeScenario, noTelephoneEventCalleeScenario } from './support-sipp-info-callee.js';

const started = stopAfterEach();

/** The manual's example: "9" typed by the other side shows the map; here it opens the Door relay for 2 s, which the API shows. */
async function startWithShowMapRule(extra: Record<string, unknown> = {}): Promise<SipPortier> {
  const p = await startSipPortier(['sip', 'io']);
  await p.configure({ dtmf: { sequences: [{ id: 'show-map', sequence: '9', description: 'Show map' }] }, ...extra });
  const rule = await p.request('POST', '/api/v1/rules', {
    user: ADMIN,
    body: {
      name: 'Use DTMF to show map',
      conditions: [{ type: 'sip/dtmf', params: { sequence: 'show-map' } }],
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 2 } }],
    },
  });
  if (rule.status !== 201) throw new Error(`rule refused: ${rule.status} ${rule.text}`);
  expect(rule.body.status.bound).toBe(true);
  return p;
}

async function doorActive(p: SipPortier): Promise<boolean> {
  const ports = (await p.request('GET', '/api/v1/ports', { user: ADMIN })).body as Array<{ id: string; state: { active?: boolean } }>;
  return ports.find((port) => port.id === 'relay-1')?.state.active === true;
}

/** What a user sees when "9" arrived: the sequence's event, and the door relay closing, then opening again after 2 s. */
async function expectShowMapFired(p: SipPortier, call: string): Promise<void> {
  const fired = await pollUntil(() => events(p, 'sip/dtmf'), (e) => e.some((x) => x.payload.active === true), 5000, 'the sip/dtmf event');
  expect(fired.find((x) => x.payload.active === true)!.payload).toEqual({ sequence: 'show-map', description: 'Show map', active: true, call });
  await pollUntil(() => doorActive(p), (active) => active, 2000, 'the Door relay closing');
  await pollUntil(() => doorActive(p), (active) => !active, 5000, 'the Door relay opening after 2 s');
  // One key, one sequence: the repeated packets of an RFC 4733 event count once.
  expect((await events(p, 'sip/dtmf')).filter((x) => x.payload.active === true)).toHaveLength(1);
}

describeWithPeers(['sipp'], 'DTMF in a call with sipp', ({ sipp: binary = 'sipp' }) => {
  it('acts on "9" sent by a sipp caller as an RFC 4733 event (pcap replay)', async () => {
    requirePcapReplay(binary);
    const portier = started(await startWithShowMapRule({ allowIncomingCalls: true, autoAnswerSeconds: 0 }));
    const sipp = started(await startSipp(binary, {
      name: 'caller-dtmf-pcap',
      scenario: uacScenario({ audio: null, dtmf: '9', holdMs: 2500 }),
      target: `127.0.0.1:${portier.sipPort}`,
      service: 'door',
      timeoutMs: 15_000,
    }));
    expect(dtmfPcap('9')).toBe('/usr/share/sip-tester/dtmf_2833_9.pcap');

    const answered = await portier.waitForCall((c) => c.state === 'answered');
    await expectShowMapFired(portier, answered.call);
    expect((await sipp.result).successful, sipp.explain()).toBe(1);
  });

  it('acts on "9" sent as RFC 4733 packets to our RTP port from the callee\'s media address', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer', audio: null, mediaPort: tap.port }), timeoutMs: 15_000 }));
    const portier = started(await startWithShowMapRule({ contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@${sipp.address}` }] }));
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'reception' } });
    expect(placed.status, placed.text).toBe(201);
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    const packets = planTelephoneEvent('9', { durationMs: 100 });
    const ssrc = 0x5eed;
    for (const [index, packet] of packets.entries()) {
      const rtp = encodeRtpPacket({ payloadType: 101, marker: packet.marker, sequenceNumber: 1000 + index, timestamp: 8000, ssrc, payload: packet.payload });
      await tap.send(Buffer.from(rtp), answered.media.localPort);
    }

    await expectShowMapFired(portier, answered.call);
    const hungUp = await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    expect(hungUp.status, hungUp.text).toBe(200);
    expect((await sipp.result).successful, sipp.explain()).toBe(1);
  });

  it('acts on "9" sent as SIP INFO application/dtmf-relay inside the call', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'callee-info', scenario: infoDtmfCalleeScenario({ keys: '9', mediaPort: tap.port }), timeoutMs: 15_000 }));
    const portier = started(await startWithShowMapRule({ contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@${sipp.address}` }] }));
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'reception' } });
    expect(placed.status, placed.text).toBe(201);
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    await expectShowMapFired(portier, answered.call);
    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    expect(result.messages).toMatch(/^SIP\/2\.0 200 OK[\s\S]*CSeq: 1 INFO/m);
  });

  it('sends DTMF keys into the call as RFC 4733 events the callee receives', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer', audio: null, mediaPort: tap.port }), timeoutMs: 15_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({ contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@${sipp.address}` }] });
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'reception' } });
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    const sent = await portier.request('POST', `/api/v1/plugins/sip/calls/${answered.call}/dtmf`, { user: ADMIN, body: { digits: '12#' } });
    expect(sent.status, sent.text).toBe(200);
    await tap.waitFor((t) => t.dtmf().length >= 3, 5000, 'the keys 1, 2, #');
    expect(tap.dtmf()).toBe('12#');

    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    expect((await sipp.result).successful, sipp.explain()).toBe(1);
  });

  it('sends DTMF keys as SIP INFO to a callee that agreed to no telephone-event', async () => {
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(binary, { name: 'callee-no-events', scenario: noTelephoneEventCalleeScenario({ keys: 3, mediaPort: tap.port }), timeoutMs: 15_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({ contacts: [{ id: 'reception', firstName: 'Reception', sipAddress: `sip:reception@${sipp.address}` }] });
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'reception' } });
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    const sent = await portier.request('POST', `/api/v1/plugins/sip/calls/${answered.call}/dtmf`, { user: ADMIN, body: { digits: '12#' } });
    expect(sent.status, sent.text).toBe(200);
    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    const result = await sipp.result;
    expect(result.successful, sipp.explain()).toBe(1);
    const signals = [...result.messages.matchAll(/^Signal=(\S+)/gm)].map((m) => m[1]);
    expect(signals).toEqual(['1', '2', '#']);
    expect(result.messages).toMatch(/^Content-Type: application\/dtmf-relay/m);
    // No telephone-events went to a callee that did not ask for them.
    expect(tap.packetsByPayloadType().get(101) ?? 0).toBe(0);
  });
});
