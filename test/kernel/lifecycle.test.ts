import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Kernel } from '../../platform/kernel.js';
import { FakeClock, type HarnessOptions } from '../../sdk/testing/index.js';
import type { StartGate } from '../fixtures/plugins/start-gated/index.js';
import type { StopGate } from '../fixtures/plugins/stop-gated/index.js';
import { IO_LEAVES_RELAY_2_AND_IO_4, expectDoorStillOpens, expectDoorStillOpensIn, fixture } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

/** What the order fixtures record (see test/fixtures/plugins/order-*). */
const fixtureLog = (): string[] => ((globalThis as { portierFixtureLog?: string[] }).portierFixtureLog ??= []);

describe('lifecycle', () => {
  const harnesses = harnessPerTest('portier-kernel-');
  beforeEach(() => {
    fixtureLog().length = 0;
  });

  describe('start and stop order', () => {
    it('starts dependencies first and stops in the reverse order', async () => {
      // order-a requires order-b, which requires order-c: the reverse of their names.
      const h = await harnesses.start({ pluginPaths: ['order-a', 'order-b', 'order-c'].map(fixture) });
      expect(fixtureLog()).toEqual(['start order-c', 'start order-b', 'start order-a']);
      await h.stop();
      expect(fixtureLog()).toEqual(['start order-c', 'start order-b', 'start order-a', 'stop order-a', 'stop order-b', 'stop order-c']);
    });

    it('stopping a dependency stops its dependents first, and each says why', async () => {
      const h = await harnesses.start({ pluginPaths: ['order-a', 'order-b', 'order-c'].map(fixture) });
      await h.kernel.host.stop('order-c');
      expect(fixtureLog().slice(3)).toEqual(['stop order-a', 'stop order-b', 'stop order-c']);
      expect(h.plugin('order-c')).toMatchObject({ state: 'stopped', note: 'stopped by request' });
      expect(h.plugin('order-b')).toMatchObject({ state: 'stopped', note: 'stopped because "order-c" stopped' });
      expect(h.plugin('order-a')).toMatchObject({ state: 'stopped', note: 'stopped because "order-b" stopped' });
    });

    it('a plugin with two dependencies starts once, after both, without failing in between', async () => {
      // needs-two requires io and order-c; io starts first and order-c after it.
      const h = await harnesses.start({ plugins: ['io'], pluginPaths: [fixture('needs-two'), fixture('order-c')] });
      expect(fixtureLog()).toEqual(['start order-c', 'start needs-two']);
      const states = h.events('core/plugin-state').filter((e) => e.payload.plugin === 'needs-two').map((e) => e.payload.state);
      expect(states).toEqual(['resolved', 'starting', 'running']);
    });
  });

  describe('a stop while start() is still running', () => {
    it.each(['nothing', 'claim'] as const)(
      'wins: the plugin stays stopped, holds nothing and is not retried when start() ends late (then does %s)',
      async (afterGate) => {
        const clock = new FakeClock();
        const retry = { firstDelayMs: 1_000, maxDelayMs: 1_000, maxAttempts: 3 };
        const kernel = await Kernel.create({ clock, only: ['io'], pluginPaths: [fixture('start-gated')], timeZone: 'UTC', retry });
        kernel.settings.save('io', IO_LEAVES_RELAY_2_AND_IO_4);
        kernel.settings.save('start-gated', { afterGate });
        try {
          const started = kernel.start();
          // start() runs once its module is imported (real I/O): wait for its claim.
          await vi.waitFor(() => expect(kernel.ports.holder('relay-2')?.owner).toBe('start-gated'));
          await kernel.host.stop('start-gated');
          expect(kernel.host.get('start-gated')).toMatchObject({ state: 'stopped', note: 'stopped by request' });
          expect(kernel.simulator!.relayContactClosed('relay-2')).toBe(false);

          (globalThis as StartGate).portierOpenStartGate!();
          await started;
          await clock.advance(60_000);
          expect(kernel.host.get('start-gated')).toMatchObject({ state: 'stopped', note: 'stopped by request' });
          expect(kernel.host.get('start-gated').failure).toBeUndefined();
          expect(kernel.ports.holder('relay-2')).toBeUndefined();
          expect(kernel.ports.holder('io-4')).toBeUndefined();
          expect(kernel.simulator!.relayContactClosed('relay-2')).toBe(false);
          await expectDoorStillOpens(kernel, clock);
        } finally {
          await kernel.stop();
        }
      },
    );
  });

  it('a start asked for while the plugin is still stopping is refused with PLUGIN_STOPPING; the stop completes and a start after it works', async () => {
    const gate = globalThis as StopGate;
    gate.portierStopGatedCalls = 0;
    const h = await harnesses.start({ plugins: ['io'], pluginPaths: [fixture('stop-gated')], settings: { io: IO_LEAVES_RELAY_2_AND_IO_4 } });
    const stopping = h.kernel.host.stop('stop-gated');
    expect(h.plugin('stop-gated').state).toBe('stopping');
    await expect(h.kernel.host.start('stop-gated')).rejects.toThrow(
      expect.objectContaining({ code: 'PLUGIN_STOPPING', message: 'Plugin "stop-gated" is still stopping; start it again once it has stopped.' }),
    );
    await expect(h.kernel.host.setEnabled('stop-gated', true)).rejects.toThrow(expect.objectContaining({ code: 'PLUGIN_STOPPING' }));
    gate.portierOpenStopGate!();
    await stopping;
    expect(h.plugin('stop-gated')).toMatchObject({ state: 'stopped', note: 'stopped by request' });
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });

    await h.kernel.host.start('stop-gated');
    expect(h.plugin('stop-gated').state).toBe('running');
    h.setInput('io-2', true);
    // One run, one listener: the lamp follows I2 once, and nothing of the stopped run is left.
    expect(gate.portierStopGatedCalls).toBe(1);
    expect(h.relay('relay-2')).toEqual({ active: true, contactClosed: true, owner: 'stop-gated' });
    const stopped = h.kernel.host.stop('stop-gated');
    await h.advance(0); // stop() is called a promise job later
    gate.portierOpenStopGate!();
    await stopped;
  });

  describe('enable and disable', () => {
    it('persist across a restart; a disabled plugin\'s dependents say why, and start when it is enabled again', async () => {
      const dataDir = harnesses.dataFolder();
      const options: HarnessOptions = { plugins: ['io'], pluginPaths: [fixture('uses-io')], dataDir };
      let h = await harnesses.start(options);
      expect(h.plugin('uses-io').state).toBe('running');

      await h.kernel.host.setEnabled('io', false);
      expect(h.plugin('io')).toMatchObject({ state: 'stopped', enabled: false, note: 'disabled' });
      expect(h.plugin('uses-io')).toMatchObject({ state: 'stopped', enabled: true, note: 'stopped because "io" stopped' });
      expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false });

      h = await harnesses.restart(options);
      expect(h.plugin('io')).toMatchObject({ state: 'installed', enabled: false, note: 'disabled' });
      // The same situation after a restart reads the same: waiting, not failed.
      expect(h.plugin('uses-io')).toMatchObject({ state: 'stopped', note: 'waiting for "io", which is disabled' });
      expect(h.plugin('uses-io').failure).toBeUndefined();
      await expect(h.kernel.host.start('io')).rejects.toThrow('Plugin "io" is disabled; enable it to start it.');

      await h.kernel.host.setEnabled('io', true);
      expect(h.plugin('io')).toMatchObject({ state: 'running', enabled: true });
      expect(h.plugin('io').note).toBeUndefined();
      expect(h.plugin('uses-io').state).toBe('running');
      expect(h.plugin('uses-io').failure).toBeUndefined();

      h = await harnesses.restart(options);
      expect(h.plugin('io')).toMatchObject({ state: 'running', enabled: true });
      expect(h.plugin('uses-io').state).toBe('running');
      await expectDoorStillOpensIn(h);
    });

    it('a disabled third-party plugin stays off after a restart; the rest runs', async () => {
      const dataDir = harnesses.dataFolder();
      const options: HarnessOptions = { plugins: ['io'], pluginPaths: [fixture('uses-io')], dataDir };
      let h = await harnesses.start(options);
      await h.kernel.host.setEnabled('uses-io', false);
      h = await harnesses.restart(options);
      expect(h.plugin('uses-io')).toMatchObject({ state: 'installed', enabled: false, note: 'disabled' });
      await expectDoorStillOpensIn(h);
    });
  });

  it('rules loaded at boot that use a plugin that failed to start show its failure as the reason', async () => {
    const dataDir = harnesses.dataFolder();
    const options = (fault: string): HarnessOptions => ({
      plugins: ['io'],
      pluginPaths: [fixture('faulty')],
      settings: { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault } },
      kernel: { retry: { firstDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 1 } },
      dataDir,
    });
    let h = await harnesses.start(options('none'));
    const rule = h.createRule({
      name: 'Lamp on I3',
      trigger: { event: 'io/input', filter: { port: 'io-3', active: true } },
      actions: [{ type: 'faulty/flash' }],
    });
    expect(rule.status.bound).toBe(true);

    h = await harnesses.restart(options('start'));
    const message = 'Plugin "faulty" failed in start(): boom';
    expect(h.plugin('faulty')).toMatchObject({ state: 'failed', failure: { code: 'PLUGIN_START_FAILED', message } });
    expect(h.rule(rule.id).status).toEqual({
      bound: false,
      conditionsHold: false,
      reason: `action faulty/flash is not available: plugin "faulty" failed: ${message}`,
    });
    await expectDoorStillOpensIn(h);
  });
});
