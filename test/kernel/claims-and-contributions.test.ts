import { afterEach, describe, expect, it } from 'vitest';
import { IO_SERVICE } from '../../sdk/index.js';
import { type Harness, startHarness } from '../../sdk/testing/index.js';
import { expectDoorStillOpensIn, fixture } from './fixture-plugins.js';

/**
 * What a plugin's code takes and defines must match its manifest and not
 * clash with another plugin: otherwise it fails in start() with the reason,
 * holds nothing, and everything else keeps running.
 */
describe('claims and contributions', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const boot = async (...fixtures: string[]): Promise<Harness> =>
    (h = await startHarness({ plugins: ['io'], pluginPaths: fixtures.map(fixture) }));

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
});
