import { describe, expect, it } from 'vitest';
import { IO_SERVICE } from '../../sdk/index.js';
import type { Harness } from '../../sdk/testing/index.js';
import { IO_LEAVES_RELAY_2_AND_IO_4, expectDoorStillOpensIn, ioWithFixtures } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

/**
 * What a plugin's code takes and defines must match its manifest and not
 * clash with another plugin: otherwise it fails in start() with the reason,
 * holds nothing, and everything else keeps running.
 */
describe('claims and contributions', () => {
  const harnesses = harnessPerTest('portier-claims-');
  const boot = (...fixtures: string[]): Promise<Harness> => harnesses.start(ioWithFixtures(fixtures));

  it('a second claim of relay-1 fails with PORT_CLAIMED naming the holder; the holder keeps it', async () => {
    const h = await boot('relay-thief');
    expect(h.plugin('relay-thief')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'PORT_CLAIMED',
        message:
          'Port relay-1 (Relay 1) is already claimed by plugin "io" for "Door"; "relay-thief" cannot claim it for "Strike". Free it in "io" first.',
        where: 'start()',
        transient: false,
      },
    });
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false, owner: 'io' });
    await expectDoorStillOpensIn(h);
  });

  it('claiming a kind of port the manifest\'s "hardware" does not list fails with PORT_KIND_NOT_DECLARED', async () => {
    const h = await boot('undeclared-kind');
    expect(h.plugin('undeclared-kind')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'PORT_KIND_NOT_DECLARED',
        message: 'Plugin "undeclared-kind" claimed status-led (status-led), but its manifest\'s "hardware" does not list the kind "status-led".',
      },
    });
    expect(h.kernel.ports.holder('status-led')).toBeUndefined();
    await expectDoorStillOpensIn(h);
  });

  it.each([
    [
      'undeclared-event',
      'Plugin "undeclared-event" tried to define the event "knock", which its manifest does not declare; add it to "contributes.events" in manifest.json.',
    ],
    [
      'undeclared-condition',
      'Plugin "undeclared-condition" tried to define the condition "is-night", which its manifest does not declare; add it to "contributes.conditions" in manifest.json.',
    ],
    [
      'undeclared-action',
      'Plugin "undeclared-action" tried to define the action "beep", which its manifest does not declare; add it to "contributes.actions" in manifest.json.',
    ],
    [
      'undeclared-service',
      'Plugin "undeclared-service" tried to provide the service "fixture.weather", which its manifest does not declare; add it to "provides" in manifest.json.',
    ],
    [
      'undeclared-settings',
      'Plugin "undeclared-settings" uses settings, which its manifest does not declare; add "settings": {} to "contributes" in manifest.json.',
    ],
  ])('%s: refused with CONTRIBUTION_UNDECLARED', async (name, message) => {
    const h = await boot(name);
    expect(h.plugin(name)).toMatchObject({ state: 'failed', failure: { code: 'CONTRIBUTION_UNDECLARED', message, transient: false } });
    expect(h.plugin(name).note).toBeUndefined(); // not retried: it would fail the same way
    expect(h.kernel.catalog.entries().filter((e) => e.plugin === name)).toEqual([]);
    await expectDoorStillOpensIn(h);
  });

  it('an event defined stateless that the manifest declares stateful: CONTRIBUTION_MISMATCH', async () => {
    const h = await boot('event-kind-mismatch');
    expect(h.plugin('event-kind-mismatch')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'CONTRIBUTION_MISMATCH',
        message: 'Plugin "event-kind-mismatch" defined event "ring" as stateless, but its manifest declares it stateful.',
      },
    });
    expect(h.kernel.events.definition('event-kind-mismatch/ring')).toBeUndefined();
    await expectDoorStillOpensIn(h);
  });

  it('a second provider of a service is refused naming the first; the first keeps providing it', async () => {
    const h = await boot('service-squatter');
    expect(h.plugin('service-squatter')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'SERVICE_PROVIDED',
        message: 'Plugin "service-squatter" cannot provide the service "portier.io": plugin "io" provides it already. Only one plugin may provide a service.',
        transient: false,
      },
    });
    expect(h.service(IO_SERVICE).find('Door')).toMatchObject({ id: 'relay-1' });
    await expectDoorStillOpensIn(h);
  });

  it('settings that would claim a port another plugin holds are refused with SETTINGS_NOT_APPLIED; nothing changes, now or after a restart', async () => {
    const dataDir = harnesses.dataFolder();
    const options = ioWithFixtures(['faulty'], { dataDir, settings: { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault: 'none' } } });
    let h = await harnesses.start(options);
    const before = h.kernel.settings.stored('io');
    // The defaults use every port, relay-2 and io-4 included, which `faulty` holds.
    expect(() => h.kernel.settings.replace('io', { ports: { 'relay-1': { name: 'Front door' } } })).toThrow(
      expect.objectContaining({
        code: 'SETTINGS_NOT_APPLIED',
        message:
          'Plugin "io" could not apply the new settings, so they were not stored and the previous ones stay: Port relay-2 (Relay 2) is already claimed by plugin "faulty" for "Warning lamp"; "io" cannot claim it for "Relay 2". Free it in "faulty" first.',
      }),
    );
    await h.advance(0);
    expect(h.kernel.settings.stored('io')).toEqual(before);
    expect(h.plugin('io').state).toBe('running');
    expect(h.service(IO_SERVICE).find('Door')).toMatchObject({ id: 'relay-1' });
    expect(h.service(IO_SERVICE).find('Front door')).toBeUndefined();
    expect(h.relay('relay-2')).toEqual({ active: true, contactClosed: true, owner: 'faulty' });
    await expectDoorStillOpensIn(h);

    h = await harnesses.restart({ ...options, settings: {} });
    expect(h.plugin('io').state).toBe('running');
    expect(h.plugin('faulty').state).toBe('running');
    await expectDoorStillOpensIn(h);
  });
});
