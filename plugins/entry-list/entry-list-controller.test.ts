/**
 * "Use connected door controller": credentials the entry list does not know
 * go to the network door controller the reader is connected to — a real
 * HTTPS controller on 127.0.0.1 here — whose answer becomes access granted
 * or denied; a controller whose certificate the reader does not trust is an
 * access-denied event with the reason, never a crash.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from 'portier/sdk/testing';
import { type TestDoorController, startTestDoorController } from '../../test/support/test-door-controller.js';

let controller: TestDoorController;
beforeAll(async () => {
  controller = await startTestDoorController((value) => {
    // 5C0FFEE1: a controller that thinks for a while before it grants.
    if (value === '5C0FFEE1') return { answer: { granted: true }, afterMs: 300 };
    return value === 'C0FFEE01' ? { granted: true } : { granted: false, reason: 'not on this door' };
  });
});
afterAll(() => controller.stop());

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(ca: string): Promise<Harness> {
  h = await startHarness({
    plugins: ['io', 'reader', 'entry-list'],
    settings: {
      reader: { connection: { type: 'network', network: { controllerUrl: controller.url, username: 'portier', password: 'door secret', ca, readerId: 'entrance', timeoutMs: 2000 } } },
      'entry-list': { useConnectedDoorController: true },
    },
  });
  expect(h.plugin('entry-list').state).toBe('running');
  return h;
}

/** Waits (real time: the controller is a real server) for the entry list's answer to the last credential. */
async function answer(h: Harness, count: number): Promise<{ type: string; payload: Record<string, unknown> }> {
  for (let i = 0; i < 200; i++) {
    const events = h.events('entry-list/*');
    if (events.length >= count) return events[count - 1] as never;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the entry list did not answer');
}

describe('entry list with the connected door controller', () => {
  it('the controller grants one unknown card and denies another, with its reason; a card in the list never asks it', async () => {
    const h = await start(controller.certificate);
    expect((await h.route('entry-list', 'POST', '/holders', { body: { firstName: 'Anna', card: '04A22B91' } })).status).toBe(201);
    await h.presentCard({ chipType: 'mifare-classic', uid: 'C0FFEE01' });
    expect(await answer(h, 1)).toMatchObject({ type: 'entry-list/access-granted', payload: { decidedBy: 'door-controller' } });
    await h.presentCard({ chipType: 'mifare-classic', uid: 'BADC0DE1' });
    expect(await answer(h, 2)).toMatchObject({ type: 'entry-list/access-denied', payload: { reason: 'door-controller-denied', detail: expect.stringContaining('not on this door') } });
    await h.presentCard({ chipType: 'mifare-classic', uid: '04A22B91' });
    expect(await answer(h, 3)).toMatchObject({ type: 'entry-list/access-granted', payload: { holder: 'Anna', decidedBy: 'entry-list' } });
  });

  it('denies, saying why, when the controller presents a certificate the reader does not trust', async () => {
    const h = await start(controller.otherCertificate);
    await h.presentCard({ chipType: 'mifare-classic', uid: 'C0FFEE01' });
    expect(await answer(h, 1)).toMatchObject({
      type: 'entry-list/access-denied',
      payload: { reason: 'door-controller-unavailable', detail: expect.stringContaining('does not trust') },
    });
    expect(h.plugin('entry-list').state).toBe('running');
  });

  it("a grant that comes back after forwarding was turned off does not open: the integrator's change wins", async () => {
    const h = await start(controller.certificate);
    await h.presentCard({ chipType: 'mifare-classic', uid: '5C0FFEE1' });
    h.kernel.settings.replace('entry-list', { useConnectedDoorController: false });
    expect(await answer(h, 1)).toMatchObject({ type: 'entry-list/access-denied', payload: { reason: 'door-controller-unavailable', detail: expect.stringContaining('turned off') } });
  });
});
