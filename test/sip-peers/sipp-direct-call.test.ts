import { afterEach, expect, it } from 'vitest';

import { describeWithPeer } from '../support/sip-peers/peer-binary.js';
import { startRtpTap, type RtpTap } from '../support/sip-peers/rtp-tap.js';
import { runSipp, startSipp, type Sipp } from '../support/sip-peers/sipp.js';
import { G711A_PCAP, optionsPingScenario, uacScenario, uasScenario } from '../support/sip-peers/sipp-scenarios.js';
import { requirePcapReplay } from '../support/sip-peers/sipp-pcap-privilege.js';

describeWithPeer('sipp', 'sipp caller and callee talking directly', (sipp) => {
  const started: Array<Sipp | RtpTap> = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((peer) => ('stop' in peer ? peer.stop() : peer.close())));
  });

  it('places a call that is answered, carries RTP both ways, and hangs up', async () => {
    const callerMedia = await startRtpTap();
    const calleeMedia = await startRtpTap();
    started.push(callerMedia, calleeMedia);
    const callee = await startSipp(sipp, { name: 'callee', scenario: uasScenario({ mediaPort: calleeMedia.port }) });
    started.push(callee);

    const caller = await runSipp(sipp, {
      name: 'caller',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ mediaPort: callerMedia.port, audioMs: 600 }),
    });

    expect(caller.exitCode, caller.messages).toBe(0);
    expect(caller.successful).toBe(1);
    const answered = await callee.result;
    expect(answered.successful, callee.explain()).toBe(1);
    // Both sides stream the A-law tone (payload type 8) to the port the other side's SDP named.
    expect(calleeMedia.packetsByPayloadType().get(8) ?? 0).toBeGreaterThan(10);
    expect(callerMedia.packetsByPayloadType().get(8) ?? 0).toBeGreaterThan(10);
  });

  it('sends recorded speech and RFC 4733 DTMF from the shipped pcaps', async () => {
    requirePcapReplay(sipp);
    const calleeMedia = await startRtpTap();
    started.push(calleeMedia);
    const callee = await startSipp(sipp, { name: 'dtmf-callee', scenario: uasScenario({ mediaPort: calleeMedia.port, audio: null }) });
    started.push(callee);
    const caller = await runSipp(sipp, {
      name: 'dtmf-caller',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ audio: { pcap: G711A_PCAP }, audioMs: 600, dtmf: '9#' }),
    });
    expect(caller.exitCode, caller.messages).toBe(0);
    expect((await callee.result).successful, callee.explain()).toBe(1);
    expect(calleeMedia.packetsByPayloadType().get(8) ?? 0).toBeGreaterThan(10);
    expect(calleeMedia.dtmf()).toBe('9#');
  });

  it.each([486, 603] as const)('is refused with %i', async (code) => {
    const callee = await startSipp(sipp, { name: `refuse-${code}`, scenario: uasScenario({ behaviour: code, ringMs: 100 }) });
    started.push(callee);
    const caller = await runSipp(sipp, {
      name: 'refused-caller',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ expect: 'refused', codes: [code] }),
    });
    expect(caller.exitCode, caller.messages).toBe(0);
    expect((await callee.result).successful, callee.explain()).toBe(1);
  });

  it('cancels a call that only rings', async () => {
    const callee = await startSipp(sipp, { name: 'ringing', scenario: uasScenario({ behaviour: 'ring-forever' }) });
    started.push(callee);
    const caller = await runSipp(sipp, {
      name: 'cancelling-caller',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ expect: 'cancel', cancelAfterMs: 300 }),
    });
    expect(caller.exitCode, caller.messages).toBe(0);
    expect((await callee.result).successful, callee.explain()).toBe(1);
  });

  it('lets the callee hang up, after a delayed answer', async () => {
    const callee = await startSipp(sipp, {
      name: 'hanging-up',
      scenario: uasScenario({ ringMs: 300, hangupAfterMs: 500, audio: null }),
    });
    started.push(callee);
    const caller = await runSipp(sipp, {
      name: 'hung-up-on',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ audio: null, hangup: 'callee' }),
    });
    expect(caller.exitCode, caller.messages).toBe(0);
    expect((await callee.result).successful, callee.explain()).toBe(1);
  });

  it('hears a refusal after ringing, as a caller does when the callee times out', async () => {
    const callee = await startSipp(sipp, { name: 'times-out', scenario: uasScenario({ behaviour: 480, ringMs: 300 }) });
    started.push(callee);
    const caller = await runSipp(sipp, {
      name: 'timed-out-caller',
      target: callee.address,
      service: 'door',
      scenario: uacScenario({ expect: 'ring-then-fail', codes: [408, 480] }),
    });
    expect(caller.exitCode, caller.messages).toBe(0);
    expect((await callee.result).successful, callee.explain()).toBe(1);
  });

  it('calls with -rtp_echo media: what the callee sends comes back', async () => {
    // The tap plays the callee's media (as Portier's would): it sends to the caller's SDP port and hears itself.
    const calleeMedia = await startRtpTap();
    started.push(calleeMedia);
    const callee = await startSipp(sipp, { name: 'echoed-callee', scenario: uasScenario({ mediaPort: calleeMedia.port, audio: null }) });
    started.push(callee);
    const caller = await startSipp(sipp, {
      name: 'echoing-caller', rtpEcho: true, target: callee.address, service: 'door',
      scenario: uacScenario({ audio: null, holdMs: 1500 }),
    });
    started.push(caller);
    const rtp = Buffer.alloc(172);
    rtp[0] = 0x80;
    rtp[1] = 0; // PCMU
    for (let sequence = 0; sequence < 5; sequence += 1) {
      rtp.writeUInt16BE(sequence, 2);
      await calleeMedia.send(rtp, caller.mediaPort);
    }
    await calleeMedia.waitFor((tap) => (tap.packetsByPayloadType().get(0) ?? 0) >= 5, 2000, 'echoed RTP');
    expect((await caller.result).exitCode, caller.explain()).toBe(0);
  });

  it('pings a running UA with OPTIONS', async () => {
    const callee = await startSipp(sipp, { name: 'pinged', scenario: uasScenario() });
    started.push(callee);
    const ping = await runSipp(sipp, { name: 'ping', target: callee.address, scenario: optionsPingScenario(), timeoutMs: 3000 });
    expect(ping.exitCode, ping.messages).toBe(0);
    expect(ping.messages).toMatch(/SIP\/2\.0 200/);
  });
});
