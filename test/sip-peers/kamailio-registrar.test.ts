import { connect } from 'node:tls';

import { afterEach, expect, it } from 'vitest';

import { startKamailio, type Kamailio } from '../support/sip-peers/kamailio.js';
import { describeWithPeers } from '../support/sip-peers/peer-binary.js';
import { runSipp, type Sipp } from '../support/sip-peers/sipp.js';
import { optionsPingScenario, registerScenario, uacScenario } from '../support/sip-peers/sipp-scenarios.js';
import { startRegisteredSippUas } from '../support/sip-peers/sipp-registered-uas.js';
import { registerWithDigest } from './digest-register-client.js';

describeWithPeers(['kamailio', 'kamcmd', 'openssl', 'sipp'], 'kamailio as registrar and proxy', ({ sipp }) => {
  const started: Array<Kamailio | Sipp> = [];
  // Last started first: a phone unregisters while its registrar still answers.
  afterEach(async () => {
    for (const peer of started.splice(0).reverse()) await peer.stop();
  });

  it('registers a sipp callee with digest auth and routes an authenticated INVITE to it', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const bob = await startRegisteredSippUas(sipp, kamailio, { username: 'bob', password: 'bob-secret', callee: { audio: null } });
    started.push(bob);
    const registered = await kamailio.waitForRegistration('bob');
    expect(registered.contact).toContain(bob.address);

    const alice = await runSipp(sipp, {
      name: 'alice-calls-bob',
      target: kamailio.address,
      scenario: uacScenario({
        to: 'bob', from: 'alice', domain: kamailio.realm,
        auth: { username: 'alice', password: 'alice-secret' },
        audio: null, holdMs: 200,
      }),
    });
    expect(alice.exitCode, `${alice.messages}\n${kamailio.log().slice(-3000)}`).toBe(0);
    expect((await bob.result).successful, bob.explain()).toBe(1);
  });

  it('answers an OPTIONS ping without a user part', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const ping = await runSipp(sipp, { name: 'ping-kamailio', target: kamailio.address, scenario: optionsPingScenario({ to: null }), timeoutMs: 3000 });
    expect(ping.exitCode, ping.messages).toBe(0);
  });

  it('refuses a registration with a wrong password', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const result = await runSipp(sipp, {
      name: 'wrong-password',
      target: kamailio.address,
      scenario: registerScenario({ username: 'bob', password: 'wrong', domain: kamailio.realm, contact: '127.0.0.1:9' }),
      timeoutMs: 4000,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.messages).toMatch(/SIP\/2\.0 401/);
    expect(await kamailio.registrations()).toEqual([]);
  });

  it.each(['MD5', 'SHA-256'] as const)('challenges with %s and qop=auth, and accepts the right answer', async (algorithm) => {
    const kamailio = await startKamailio({ algorithm });
    started.push(kamailio);
    const outcome = await registerWithDigest(kamailio.port, 'alice', 'alice-secret', kamailio.realm);
    expect(outcome.challenge).toMatch(/qop="auth"/);
    expect(outcome.challenge).toContain(`algorithm=${algorithm}`);
    expect(outcome.finalStatus).toBe(200);
    expect((await kamailio.registrations()).map((registration) => registration.aor)).toEqual(['alice']);
  });

  it('accepts TLS connections with a certificate its CA file verifies, and answers SIP over them', async () => {
    const kamailio = await startKamailio();
    started.push(kamailio);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: kamailio.tlsPort, ca: kamailio.caPem, servername: 'localhost' }, () => {
        const local = socket.localPort ?? 0;
        socket.write([
          `OPTIONS sip:127.0.0.1:${kamailio.tlsPort};transport=tls SIP/2.0`,
          `Via: SIP/2.0/TLS 127.0.0.1:${local};branch=z9hG4bK-tls-probe`,
          'From: <sip:probe@127.0.0.1>;tag=probe',
          `To: <sip:127.0.0.1:${kamailio.tlsPort}>`,
          'Call-ID: tls-probe@127.0.0.1',
          'CSeq: 1 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'));
      });
      socket.once('data', (data) => {
        socket.end();
        resolve(data.toString('latin1'));
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^SIP\/2\.0 200 /);
  });
});
