import { describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../platform/kernel.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';
import type { Harness } from '../../sdk/testing/index.js';
import { SLOW_RETRY, expectDoorStillOpens, expectDoorStillOpensIn, fixture, ioWithFixtures } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

/**
 * Errors in a plugin's own code while it is loaded, built and started: each
 * is caught at the boundary, named, and leaves the rest running.
 */
describe('errors loading, constructing and starting plugin code', () => {
  const harnesses = harnessPerTest();
  const boot = (...fixtures: string[]): Promise<Harness> => harnesses.start(ioWithFixtures(fixtures, { kernel: { retry: SLOW_RETRY } }));

  it.each([
    ['ctor-throws', 'PLUGIN_CONSTRUCTOR_FAILED', 'Plugin "ctor-throws" failed in its constructor: boom'],
    [
      'missing-inject',
      'PLUGIN_INJECTION_FAILED',
      'Plugin "missing-inject": parameter 1 of MissingInject\'s constructor has no @inject(TOKEN) decorator; Portier builds without decorator metadata, so every parameter needs one.',
    ],
    [
      'not-injectable',
      'PLUGIN_NOT_INJECTABLE',
      'Plugin "not-injectable": NotInjectable takes constructor parameters but is not decorated with @injectable(); add @injectable() from portier/sdk and @inject(TOKEN) on every parameter.',
    ],
    [
      'no-default-export',
      'PLUGIN_ENTRY_INVALID',
      'Plugin "no-default-export": test/fixtures/plugins/no-default-export/index.ts must export the plugin class as its default export (export default class … implements Plugin).',
    ],
    ['import-throws', 'PLUGIN_LOAD_FAILED', 'Plugin "import-throws" could not be loaded from test/fixtures/plugins/import-throws/index.ts: boom'],
  ])('%s: %s, not retried', async (name, code, message) => {
    const h = await boot(name);
    expect(h.plugin(name)).toMatchObject({ state: 'failed', failure: { code, message, where: 'load', transient: false } });
    expect(h.plugin(name).note).toBeUndefined();
    await expectDoorStillOpensIn(h);
  });

  it.each([
    ['start-throws', 'Plugin "start-throws" failed in start(): boom'],
    ['start-rejects', 'Plugin "start-rejects" failed in start(): no network'],
  ])('%s: PLUGIN_START_FAILED, to be retried', async (name, message) => {
    const h = await boot(name);
    expect(h.plugin(name)).toMatchObject({
      state: 'failed',
      failure: { code: 'PLUGIN_START_FAILED', message, where: 'start()', transient: true },
      note: 'retry 1 of 1 in 600 s',
    });
    await expectDoorStillOpensIn(h);
  });

  it('a start() that does not finish in startTimeoutMs fails with PLUGIN_START_TIMEOUT and gives back its ports; the next plugin starts', async () => {
    const clock = new FakeClock();
    const kernel = await Kernel.create({
      clock,
      only: ['io'],
      pluginPaths: [fixture('start-hangs'), fixture('uses-io')],
      timeZone: 'UTC',
      startTimeoutMs: 1_000,
      retry: SLOW_RETRY,
    });
    try {
      // Start order: io, start-hangs, uses-io (uses-io sorts after start-hangs).
      const started = kernel.start();
      let finished = false;
      void started.then(() => (finished = true));
      // start() runs once its module is imported (real I/O): wait for its claim.
      await vi.waitFor(() => expect(kernel.ports.holder('status-led')?.owner).toBe('start-hangs'));
      await clock.advance(999);
      expect(kernel.host.get('start-hangs').state).toBe('starting');
      expect(kernel.host.get('uses-io').state).toBe('installed');
      expect(finished).toBe(false);

      await clock.advance(1);
      await started;
      expect(kernel.host.get('start-hangs')).toMatchObject({
        state: 'failed',
        failure: {
          code: 'PLUGIN_START_TIMEOUT',
          message: 'Plugin "start-hangs" did not finish start() within 1000 ms; it was stopped.',
          where: 'start()',
          transient: true,
        },
      });
      expect(kernel.ports.holder('status-led')).toBeUndefined();
      expect(kernel.host.get('uses-io').state).toBe('running');
      await expectDoorStillOpens(kernel, clock);
    } finally {
      await kernel.stop();
    }
  });
});
