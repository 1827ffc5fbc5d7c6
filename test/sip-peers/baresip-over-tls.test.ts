import { afterEach, expect, it } from 'vitest';

import { startBaresip, type Baresip } from '../support/sip-peers/baresip.js';
import { startKamailio, type Kamailio } from '../support/sip-peers/kamailio.js';
import { describeWithPeers } from '../support/sip-peers/peer-binary.js';
import { startRtpTap, type RtpTap } from '../support/sip-peers/rtp-tap.js';
import { runSipp, type Sipp } from '../support/sip-peers/sipp.js';
import { startRegisteredSippUas } from '../support/sip-peers/sipp-registered-uas.js';
import { uacScenario } from '../support/sip-peers/sipp-scenarios.js';

describeWithPeers(['baresip', 'kamailio', 'kamcmd', 'openssl', 'sipp'], 'baresip registered over TLS', ({ sipp }) => {
  const started: Array<Kamailio | Baresip | RtpTap | Sipp> = [];
  // Last started first: a phone unregisters while its registrar still answers.
  afterEach(async () => {
    for (const peer of started.splice(0).reverse()) await ('stop' in peer ? peer.stop() : peer.close());
  });

  it('registers to kamailio over TLS and auto-answers a call from sipp routed through kamailio', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const door = await startBaresip({
      caFile: kamailio.caFile,
      account: {
        username: 'door', password: 'door-secret', domain: kamailio.realm,
        outboundProxy: `127.0.0.1:${kamailio.tlsPort}`, transport: 'tls',
      },
    });
    started.push(door);
    await door.waitForEvent('REGISTER_OK', 8000);
    const registration = await kamailio.waitForRegistration('door');
    expect(registration.received ?? registration.contact).toMatch(/transport=tls/i);

    const callerMedia = await startRtpTap();
    started.push(callerMedia);
    const caller = await runSipp(sipp, {
      name: 'alice-calls-door',
      target: kamailio.address,
      scenario: uacScenario({
        to: 'door', from: 'alice', domain: kamailio.realm,
        auth: { username: 'alice', password: 'alice-secret' },
        mediaPort: callerMedia.port, audio: null, holdMs: 1000,
      }),
    });
    expect(caller.exitCode, `${caller.messages}\n--- kamailio ---\n${kamailio.log().slice(-3000)}\n--- baresip ---\n${door.log().slice(-3000)}`).toBe(0);
    await door.waitForEvent('CALL_ESTABLISHED');
    await door.waitForEvent('CALL_CLOSED');
    // baresip's microphone is a sine tone, sent to the port the caller offered.
    expect(callerMedia.packetCount()).toBeGreaterThan(10);
  });

  it('places a call on command, answering the 407 challenge, and hangs up on command', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const calleeMedia = await startRtpTap();
    started.push(calleeMedia);
    const bob = await startRegisteredSippUas(sipp, kamailio, {
      username: 'bob', password: 'bob-secret', callee: { audio: null, mediaPort: calleeMedia.port },
    });
    started.push(bob);
    const alice = await startBaresip({
      caFile: kamailio.caFile,
      account: { username: 'alice', password: 'alice-secret', domain: kamailio.realm, outboundProxy: `127.0.0.1:${kamailio.tlsPort}` },
    });
    started.push(alice);
    await alice.waitForEvent('REGISTER_OK', 8000);

    const dialled = await alice.command('dial', `sip:bob@${kamailio.realm}`);
    expect(dialled.ok, `${dialled.data}\n${alice.log()}`).toBe(true);
    await alice.waitForEvent('CALL_ESTABLISHED', 8000);
    await calleeMedia.waitFor((tap) => tap.packetCount() > 10, 3000, "alice's tone");
    expect((await alice.command('hangup')).ok).toBe(true);
    await alice.waitForEvent('CALL_CLOSED');
    expect((await bob.result).successful, bob.explain()).toBe(1);
  });
});
