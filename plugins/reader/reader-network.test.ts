/**
 * The reader connected to a network door controller: the credentials
 * service's controller() asks a real HTTPS controller on 127.0.0.1 (its own
 * self-signed certificate, Basic credentials) and passes its answer on; a
 * certificate the reader was not told to trust is refused with a coded error,
 * never a crash.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_SERVICE } from 'portier/sdk';
import { type Harness, startHarness } from 'portier/sdk/testing';
import { type TestDoorController, startTestDoorController } from '../../test/support/test-door-controller.js';

let controller: TestDoorController;
beforeAll(async () => {
  controller = await startTestDoorController((value) => (value === '04A22B91' ? { granted: true } : { granted: false, reason: 'card blocked' }));
});
afterAll(() => controller.stop());

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const network = (extra: Record<string, unknown> = {}) => ({
  connection: { type: 'network', network: { controllerUrl: controller.url, username: 'portier', password: 'door secret', ca: controller.certificate, readerId: 'entrance', ...extra } },
});

describe('reader: network door controller', () => {
  it('controller() asks the controller: a grant, and a denial with its reason', async () => {
    h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: network() } });
    expect(h.plugin('reader').state).toBe('running');
    const asked = h.service(CREDENTIALS_SERVICE).controller();
    expect(asked).toBeDefined();
    await h.presentCard({ chipType: 'mifare-classic', uid: '04A22B91' });
    const latest = h.service(CREDENTIALS_SERVICE).latestCard()!;
    expect(await asked!.decide(latest)).toEqual({ granted: true });
    expect(await asked!.decide({ kind: 'pin', value: '1234', at: h.now() })).toEqual({ granted: false, reason: 'card blocked' });
    expect(controller.received.at(-2)?.body).toEqual({ reader: 'entrance', credential: { kind: 'card', value: '04A22B91', chipType: 'mifare-classic' } });
  });

  it('a certificate it was not told to trust is refused with CONTROLLER_CERTIFICATE_INVALID; the reader keeps running', async () => {
    h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: network({ ca: controller.otherCertificate }) } });
    const asked = h.service(CREDENTIALS_SERVICE).controller()!;
    await expect(asked.decide({ kind: 'card', value: '04A22B91', chipType: 'mifare-classic', at: h.now() })).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
    });
    expect(h.plugin('reader').state).toBe('running');
  });

  it('standalone or on the reader connector there is no controller to ask', async () => {
    h = await startHarness({ plugins: ['io', 'reader'] });
    expect(h.service(CREDENTIALS_SERVICE).controller()).toBeUndefined();
  });
});
