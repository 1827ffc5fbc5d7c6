import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDoorController, startTestDoorController } from '../../../test/support/test-door-controller.js';
import { DECISION_PATH, DoorControllerClient } from './door-controller-client.js';

/** The client against a real HTTPS controller on 127.0.0.1 that knows one card and can stall, drip or answer nonsense. */
describe('asking a door controller over HTTPS', () => {
  let controller: TestDoorController;
  let url = '';
  beforeAll(async () => {
    controller = await startTestDoorController((value) => {
      if (value === 'STALL') return 'stall';
      if (value === 'NONSENSE') return 'nonsense';
      if (value === 'DRIP') return 'drip';
      return value === '04A22B91' ? { granted: true } : { granted: false, reason: 'card blocked' };
    });
    url = controller.url;
  });
  afterAll(() => controller.stop());

  const client = (overrides: Partial<ConstructorParameters<typeof DoorControllerClient>[0]> = {}) =>
    new DoorControllerClient({ url, username: 'portier', password: 'door secret', verifyCertificate: true, ca: controller.certificate, readerId: 'entrance', timeoutMs: 2_000, ...overrides });
  const card = (value: string) => ({ kind: 'card' as const, value, chipType: 'mifare-classic' as const, at: 0 });

  it('gets a grant and a denial with its reason, sending the reader and the credential', async () => {
    expect(await client().decide(card('04A22B91'))).toEqual({ granted: true });
    expect(await client().decide(card('FFFF'))).toEqual({ granted: false, reason: 'card blocked' });
    expect(controller.received[0]).toEqual({ path: DECISION_PATH, body: { reader: 'entrance', credential: { kind: 'card', value: '04A22B91', chipType: 'mifare-classic' } } });
  });

  it('refuses a controller whose certificate it does not trust, and says how to fix it', async () => {
    await expect(client({ ca: controller.otherCertificate }).decide(card('04A22B91'))).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
      message: expect.stringContaining('does not trust'),
    });
    // Without a CA, the system's CAs do not know a self-signed controller either.
    await expect(new DoorControllerClient({ url, username: 'portier', password: 'door secret', verifyCertificate: true, readerId: 'entrance', timeoutMs: 2_000 }).decide(card('04A22B91'))).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
    });
    // Verification off (the integrator's choice): the same controller answers.
    expect(await client({ ca: controller.otherCertificate, verifyCertificate: false }).decide(card('04A22B91'))).toEqual({ granted: true });
  });

  it('names each other failure: wrong password, no answer in time, a malformed answer, nobody there', async () => {
    await expect(client({ password: 'wrong' }).decide(card('04A22B91'))).rejects.toMatchObject({ code: 'CONTROLLER_AUTH_FAILED' });
    await expect(client({ timeoutMs: 200 }).decide(card('STALL'))).rejects.toMatchObject({ code: 'CONTROLLER_TIMEOUT', message: expect.stringContaining('200 ms') });
    await expect(client().decide(card('NONSENSE'))).rejects.toMatchObject({ code: 'CONTROLLER_ANSWER_INVALID' });
    await expect(client({ url: 'https://127.0.0.1:9' }).decide(card('04A22B91'))).rejects.toMatchObject({ code: 'CONTROLLER_UNREACHABLE' });
  });

  it('gives up when the whole answer takes longer than the time limit, however steadily it trickles in', async () => {
    // A grant that arrives long after the swipe would open the door for whoever stands there then.
    const started = Date.now();
    await expect(client({ timeoutMs: 500 }).decide(card('DRIP'))).rejects.toMatchObject({ code: 'CONTROLLER_TIMEOUT', message: expect.stringContaining('500 ms') });
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it('refuses an address that is not HTTPS', () => {
    expect(() => client({ url: 'http://127.0.0.1:80' })).toThrow(expect.objectContaining({ code: 'CONTROLLER_URL_INVALID' }));
  });
});
