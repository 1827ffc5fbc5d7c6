import { expect, it } from 'vitest';
import { startCoturn } from '../../plugins/sip/nat/test-support/coturn.js';
import { describeWithPeers, startKamailio, startRtpTap, startSipp, uasScenario } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { startSipPortier } from './sip-test-portier.js';

const started = stopAfterEach();

/** The SDP body of the first INVITE in sipp's message trace. */
function offeredSdp(messages: string): string {
  const invite = messages.split(/^-{10,}.*$/m).find((block) => /^INVITE sip:/m.test(block)) ?? '';
  return invite.slice(invite.indexOf('v=0'));
}

describeWithPeers(['turnserver', 'sipp', 'kamailio', 'kamcmd', 'openssl'], 'NAT traversal against coturn', ({ turnserver = 'turnserver', sipp: sippBinary = 'sipp' }) => {
  // The device is told it is 192.0.2.1 (a documentation address, reachable by no one); only what STUN
  // learns (127.0.0.1 and the port coturn saw) can put 127.0.0.1 in Contact and SDP.
  it('STUN: the mapped addresses replace the configured one in Contact (REGISTER, INVITE) and in the SDP', async () => {
    const coturn = started(await startCoturn(turnserver));
    const kamailio = started(await startKamailio());
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(sippBinary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer', mediaPort: tap.port, hangupAfterMs: 300 }), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({
      advertisedAddress: '192.0.2.1',
      nat: { stun: { enabled: true, server: `127.0.0.1:${coturn.port}` } },
      accounts: [{ id: 'pbx', name: 'PBX', userId: 'door', domain: kamailio.realm, password: 'door-secret', registrar: kamailio.address }],
      contacts: [{ id: 'desk', firstName: 'Desk', sipAddress: `sip:desk@${sipp.address}` }],
    });
    const status = await portier.status();
    expect(status.nat.stun.mappedAddress).toBe(`127.0.0.1:${portier.sipPort}`);
    expect(status.address).toBe('127.0.0.1');
    expect(status.notUsed).toEqual([]);
    const registration = await kamailio.waitForRegistration('door');
    expect(registration.contact).toContain(`@${status.nat.stun.mappedAddress}`);

    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'desk' } });
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');
    await portier.waitForCall((c) => c.call === answered.call && c.state === 'ended');
    const messages = (await sipp.result).messages;
    expect(messages).toMatch(new RegExp(`^Contact: <sip:127\\.0\\.0\\.1:${portier.sipPort}>`, 'm'));
    const sdp = offeredSdp(messages);
    expect(sdp).toContain('c=IN IP4 127.0.0.1');
    expect(sdp).toMatch(new RegExp(`^m=audio ${answered.media.localPort} RTP/AVP`, 'm'));
    expect(messages).not.toContain('192.0.2.1');
  });

  it('TURN: a call\'s RTP goes through a relay, announced in the SDP, both ways', async () => {
    const coturn = started(await startCoturn(turnserver));
    const tap = started(await startRtpTap());
    const sipp = started(await startSipp(sippBinary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer', mediaPort: tap.port }), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier());
    await portier.configure({
      nat: { turn: { enabled: true, server: `127.0.0.1:${coturn.port}`, username: coturn.username, password: coturn.password }, ice: { enabled: true } },
      contacts: [{ id: 'desk', firstName: 'Desk', sipAddress: `sip:desk@${sipp.address}` }],
    });
    const status = await portier.status();
    expect(status.notUsed.map((n: { setting: string }) => n.setting)).toEqual(['nat.ice.enabled']);
    await portier.request('PUT', '/api/v1/simulator/microphones/microphone-1', { user: ADMIN, body: { kind: 'tone', frequencyHz: 800 } });
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'desk' } });
    expect(placed.status, placed.text).toBe(201);
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');

    // What reaches the callee comes from coturn's relay, at the address and port the offer gave.
    await tap.waitFor((t) => t.packetCount() >= 20, 5000, 'RTP through the relay');
    const sender = tap.lastSender()!;
    expect(sender.port).not.toBe(answered.media.localPort);
    await portier.request('DELETE', `/api/v1/plugins/sip/calls/${answered.call}`, { user: ADMIN });
    const result = await sipp.result;
    const sdp = offeredSdp(result.messages);
    expect(sdp).toContain(`c=IN IP4 ${sender.address}`);
    expect(sdp).toMatch(new RegExp(`^m=audio ${sender.port} RTP/AVP`, 'm'));

    // And the callee's audio came back through the relay to the speaker.
    const ended = await portier.waitForCall((c) => c.call === answered.call && c.state === 'ended');
    expect(ended.media.packetsReceived).toBeGreaterThan(10);
  });
});
