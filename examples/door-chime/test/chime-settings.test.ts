import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './built-app.js';
import { chimeHarness, doorbellRule, pressDoorbell, recordContact, timeline } from './chime-harness.js';

beforeAll(buildApp);

const harness = chimeHarness();

describe('door-chime settings', () => {
  it('refuses bad values with the field that is wrong, and keeps the previous settings', async () => {
    const h = await harness.start();
    const before = h.kernel.settings.stored('door-chime');
    expect(() => h.kernel.settings.replace('door-chime', { relay: 'io-1', pulseMs: 10, gapMs: 1.5, maxDurationSeconds: 0, colour: 'red' })).toThrow(
      expect.objectContaining({
        code: 'SETTINGS_INVALID',
        details: expect.arrayContaining([
          expect.objectContaining({ path: '/relay' }),
          { path: '/pulseMs', message: expect.stringContaining('shorter than 50 ms') },
          { path: '/gapMs', message: 'expected whole milliseconds' },
          expect.objectContaining({ path: '/maxDurationSeconds' }),
        ]),
      }),
    );
    expect(h.kernel.settings.stored('door-chime')).toEqual(before);
    expect(h.plugin('door-chime').state).toBe('running');
  });

  it('does not start with stored settings it cannot use, and says why', async () => {
    const h = await harness.start({ chime: { pulseMs: 99_999 } });
    const chime = h.plugin('door-chime');
    expect(chime.state).toBe('failed');
    expect(chime.failure).toMatchObject({ code: 'SETTINGS_INVALID', message: expect.stringContaining('pulseMs') });
    expect(h.relay('relay-2').owner).toBeUndefined();
  });

  it('fails with a clear reason when the I/O plugin still holds relay 2, and the door keeps working', async () => {
    const h = await harness.start({ io: {} });
    const chime = h.plugin('door-chime');
    expect(chime.state).toBe('failed');
    expect(chime.failure?.code).toBe('PORT_CLAIMED');
    expect(chime.failure?.message).toBe(
      'Port relay-2 (Relay 2) is already claimed by plugin "io" for "Relay 2"; "door-chime" cannot claim it for "Door chime (potential-free contact)". ' +
        'Free it in "io" first. The door chime is wired to relay-2 as a potential-free contact: free relay-2 in the plugin that holds it ' +
        '(for the I/O plugin, set ports.relay-2.use to false in its settings) or choose another relay in the door-chime settings, then start door-chime again.',
    );
    expect(h.plugin('io').state).toBe('running');
    expect(h.relay('relay-2').owner).toBe('io');

    // Following the advice: free relay 2 in the I/O settings, start door-chime again.
    h.kernel.settings.replace('io', { ports: { 'relay-2': { use: false, name: 'Relay 2' } } });
    await h.kernel.host.start('door-chime');
    expect(h.plugin('door-chime').state).toBe('running');
    expect(h.relay('relay-2').owner).toBe('door-chime');
  });

  it('refuses to move to a relay another plugin holds, and keeps ringing on the one it has', async () => {
    const h = await harness.start();
    expect(() => h.kernel.settings.replace('door-chime', { relay: 'relay-1' })).toThrow(
      expect.objectContaining({ code: 'SETTINGS_NOT_APPLIED', message: expect.stringContaining('already claimed by plugin "io"') }),
    );
    expect(h.relay('relay-1').owner).toBe('io');
    expect(h.relay('relay-2').owner).toBe('door-chime');
    h.createRule(doorbellRule({ pattern: 'single' }));
    const contact = recordContact(h);
    pressDoorbell(h);
    await h.advance(1_000);
    expect(timeline(contact)).toEqual([[0, 'closed'], [400, 'open']]);
  });

  it('moves to a free relay: the old one is given back open, the new one rings', async () => {
    const h = await harness.start({ io: { ports: { 'relay-1': { use: false, name: 'Door' }, 'relay-2': { use: false, name: 'Relay 2' } } } });
    h.createRule(doorbellRule({ pattern: 'single', duration: 10 }));
    pressDoorbell(h);
    await h.advance(100);
    expect(h.relay('relay-2').contactClosed).toBe(true);

    h.kernel.settings.replace('door-chime', { relay: 'relay-1' });
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false, owner: 'door-chime' });
    const contact = recordContact(h, 'relay-1');
    pressDoorbell(h);
    await h.advance(1_000);
    expect(timeline(contact)).toEqual([[0, 'closed'], [400, 'open']]);
  });

  it('a rule asking for more than a lowered maxDurationSeconds stops binding, with the reason', async () => {
    const h = await harness.start();
    const rule = h.createRule(doorbellRule({ duration: 20 }));
    expect(rule.status.bound).toBe(true);
    h.kernel.settings.replace('door-chime', { maxDurationSeconds: 15 });
    expect(h.rule(rule.id).status).toMatchObject({ bound: false, reason: expect.stringContaining('/actions/0/params/duration: expected at most 15 s') });
  });
});
