import { expect, it } from 'vitest';
import { describeWithPeers, startKamailio, startRegisteredSippUas, type Kamailio } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { type SipPortier, startSipPortier } from './sip-test-portier.js';

const started = stopAfterEach();

/** Polls the account's registration state until it is `state`. */
async function waitForAccount(p: SipPortier, kamailio: Kamailio, account: string, state: string, timeoutMs = 10_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await p.status()).accounts.find((a: { account: string }) => a.account === account);
    if (found?.state === state) return found;
    if (Date.now() > deadline) throw new Error(`account ${account} is ${JSON.stringify(found)}, not ${state}; kamailio said:\n${kamailio.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const account = (k: Kamailio, overrides: Record<string, unknown> = {}) => ({
  id: 'pbx',
  name: 'Office PBX',
  userId: 'door',
  domain: k.realm,
  password: 'door-secret',
  registrar: overrides.transport === 'tls' ? `127.0.0.1:${k.tlsPort}` : k.address,
  transport: 'udp',
  ...overrides,
});

describeWithPeers(['kamailio', 'kamcmd', 'openssl', 'sipp'], 'registration with a PBX (kamailio)', ({ sipp = 'sipp' }) => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`registers with digest authentication (${algorithm}, qop=auth) and says so in an event`, async () => {
      const kamailio = started(await startKamailio({ algorithm }));
      const portier = started(await startSipPortier());
      await portier.configure({ accounts: [account(kamailio)] });
      await waitForAccount(portier, kamailio, 'pbx', 'registered');
      const registration = await kamailio.waitForRegistration('door');
      expect(registration.contact).toContain(`sip:door@127.0.0.1:${portier.sipPort}`);
      const events = (await portier.request('GET', '/api/v1/events?type=sip/registration', { user: ADMIN })).body as Array<{ payload: { state: string } }>;
      expect(events.map((e) => e.payload.state)).toEqual(['registering', 'registered']);
    });
  }

  it('says why when the password is wrong, and keeps trying', async () => {
    const kamailio = started(await startKamailio());
    const portier = started(await startSipPortier());
    await portier.configure({ accounts: [account(kamailio, { password: 'wrong' })] });
    const failed = await waitForAccount(portier, kamailio, 'pbx', 'failed');
    expect(failed.reason).toMatch(/password is wrong/);
    expect(failed.until).toBeGreaterThan(Date.now());
  });

  it('calls a registered sipp through kamailio from the account', async () => {
    const kamailio = started(await startKamailio());
    const bob = started(await startRegisteredSippUas(sipp, kamailio, { username: 'bob', password: 'bob-secret', callee: { behaviour: 'answer', hangupAfterMs: 500 } }));
    const portier = started(await startSipPortier());
    await portier.configure({
      accounts: [account(kamailio)],
      contacts: [{ id: 'bob', firstName: 'Bob', sipAddress: `sip:bob@${kamailio.realm}`, account: 'pbx' }],
    });
    await waitForAccount(portier, kamailio, 'pbx', 'registered');
    const placed = await portier.request('POST', '/api/v1/plugins/sip/calls', { user: ADMIN, body: { contact: 'bob' } });
    expect(placed.status, placed.text).toBe(201);
    const answered = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'answered');
    expect(answered.account).toBe('pbx');
    const ended = await portier.waitForCall((c) => c.call === placed.body.call && c.state === 'ended');
    expect(ended.reason).toBe('the other side hung up');
    expect((await bob.result).successful, bob.explain()).toBe(1);
  });

  it('registers over TLS, checking kamailio\'s certificate against the account\'s CA', async () => {
    const kamailio = started(await startKamailio());
    const portier = started(await startSipPortier());
    await portier.configure({ accounts: [account(kamailio, { transport: 'tls', ca: kamailio.caPem })] });
    await waitForAccount(portier, kamailio, 'pbx', 'registered');
    const registration = await kamailio.waitForRegistration('door');
    expect(registration.contact).toMatch(/^sips:door@127\.0\.0\.1:\d+;transport=tls/);
  });

  it('refuses to register over TLS to a certificate it cannot verify', async () => {
    const kamailio = started(await startKamailio());
    const portier = started(await startSipPortier());
    await portier.configure({ accounts: [account(kamailio, { transport: 'tls' })] });
    const failed = await waitForAccount(portier, kamailio, 'pbx', 'failed');
    expect(failed.reason).toMatch(/certificate|registrar did not answer/i);
  });
});
