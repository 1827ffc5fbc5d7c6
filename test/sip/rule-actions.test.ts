import { expect, it } from 'vitest';
import { describeWithPeers, startSipp, uasScenario } from '../support/sip-peers/index.js';
import { ADMIN } from '../support/test-portier.js';
import { stopAfterEach } from '../support/stop-after-each.js';
import { startSipPortier } from './sip-test-portier.js';

const started = stopAfterEach();

describeWithPeers(['sipp'], 'SIP in rules', ({ sipp: binary = 'sipp' }) => {
  it('"call contact" on input I1 and "hang up" on input I2, with "Call > State" holding while the call is answered', async () => {
    const sipp = started(await startSipp(binary, { name: 'callee', scenario: uasScenario({ behaviour: 'answer' }), timeoutMs: 30_000 }));
    const portier = started(await startSipPortier(['sip', 'io']));
    await portier.configure({ contacts: [{ id: 'guard', firstName: 'Guard', sipAddress: `sip:guard@${sipp.address}` }] });
    const rule = async (body: unknown) => {
      const reply = await portier!.request('POST', '/api/v1/rules', { user: ADMIN, body });
      expect(reply.status, reply.text).toBe(201);
    };
    await rule({ name: 'Call the guard', trigger: { event: 'io/input', filter: { port: 'io-1', active: true } }, actions: [{ type: 'sip/call-contact', params: { contact: 'guard' } }] });
    await rule({ name: 'Hang up', trigger: { event: 'io/input', filter: { port: 'io-2', active: true } }, actions: [{ type: 'sip/hang-up' }] });
    await rule({ name: 'Light while talking', conditions: [{ type: 'sip/call-state', params: { state: 'answered' } }], actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-2' } }] });

    await portier.request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: { closed: true } });
    const answered = await portier.waitForCall((c) => c.state === 'answered');
    expect(answered.contact).toBe('guard');
    const relays = async () => (await portier!.request('GET', '/api/v1/simulator', { user: ADMIN })).body.relays as Array<{ port: string; contactClosed: boolean }>;
    expect((await relays()).find((r) => r.port === 'relay-2')?.contactClosed).toBe(true);

    await portier.request('PUT', '/api/v1/simulator/inputs/io-2', { user: ADMIN, body: { closed: true } });
    const ended = await portier.waitForCall((c) => c.call === answered.call && c.state === 'ended');
    expect(ended.reason).toBe('hung up here');
    expect((await relays()).find((r) => r.port === 'relay-2')?.contactClosed).toBe(false);
    expect((await sipp.result).successful, sipp.explain()).toBe(1);
  });

  it('refuses a "call contact" rule naming a contact that is not in the list, with the field', async () => {
    const portier = started(await startSipPortier(['sip', 'io']));
    await portier.configure({});
    const reply = await portier.request('POST', '/api/v1/rules', {
      user: ADMIN,
      body: { name: 'Nobody', trigger: { event: 'io/input' }, actions: [{ type: 'sip/call-contact', params: { contact: 'nobody' } }] },
    });
    expect(reply.status).toBe(422);
    expect(JSON.stringify(reply.body.details)).toContain('expected the id of a contact in the contact list');
  });
});
