import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from '../../sdk/testing/index.js';
import { IO_LEAVES_RELAY_2_AND_IO_4, expectDoorStillOpensIn, fixture } from './fixture-plugins.js';

/** What the order fixtures record (see test/fixtures/plugins/order-*). */
const fixtureLog = (): string[] => ((globalThis as { portierFixtureLog?: string[] }).portierFixtureLog ??= []);

describe('lifecycle', () => {
  let h: Harness | undefined;
  let dataDir: string | undefined;
  beforeEach(() => {
    fixtureLog().length = 0;
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  const restart = async (options: HarnessOptions): Promise<Harness> => {
    await h?.stop();
    return (h = await startHarness(options));
  };

  describe('start and stop order', () => {
    it('starts dependencies first and stops in the reverse order', async () => {
      // order-a requires order-b, which requires order-c: the reverse of their names.
      h = await startHarness({ pluginPaths: ['order-a', 'order-b', 'order-c'].map(fixture) });
      expect(fixtureLog()).toEqual(['start order-c', 'start order-b', 'start order-a']);
      await h.stop();
      expect(fixtureLog()).toEqual(['start order-c', 'start order-b', 'start order-a', 'stop order-a', 'stop order-b', 'stop order-c']);
    });

    it('stopping a dependency stops its dependents first, and each says why', async () => {
      h = await startHarness({ pluginPaths: ['order-a', 'order-b', 'order-c'].map(fixture) });
      await h.kernel.host.stop('order-c');
      expect(fixtureLog().slice(3)).toEqual(['stop order-a', 'stop order-b', 'stop order-c']);
      expect(h.plugin('order-c')).toMatchObject({ state: 'stopped', note: 'stopped by request' });
      expect(h.plugin('order-b')).toMatchObject({ state: 'stopped', note: 'stopped because "order-c" stopped' });
      expect(h.plugin('order-a')).toMatchObject({ state: 'stopped', note: 'stopped because "order-b" stopped' });
    });

    it('a plugin with two dependencies starts once, after both, without failing in between', async () => {
      // needs-two requires io and order-c; io starts first and order-c after it.
      h = await startHarness({ plugins: ['io'], pluginPaths: [fixture('needs-two'), fixture('order-c')] });
      expect(fixtureLog()).toEqual(['start order-c', 'start needs-two']);
      const states = h.events('core/plugin-state').filter((e) => e.payload.plugin === 'needs-two').map((e) => e.payload.state);
      expect(states).toEqual(['resolved', 'starting', 'running']);
    });
  });

  describe('enable and disable', () => {
    it('persist across a restart; a disabled plugin\'s dependents say why, and start when it is enabled again', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portier-kernel-'));
      const options: HarnessOptions = { plugins: ['io'], pluginPaths: [fixture('uses-io')], dataDir };
      h = await startHarness(options);
      expect(h.plugin('uses-io').state).toBe('running');

      await h.kernel.host.setEnabled('io', false);
      expect(h.plugin('io')).toMatchObject({ state: 'stopped', enabled: false, note: 'disabled' });
      expect(h.plugin('uses-io')).toMatchObject({ state: 'stopped', enabled: true, note: 'stopped because "io" stopped' });
      expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false });

      h = await restart(options);
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

      h = await restart(options);
      expect(h.plugin('io')).toMatchObject({ state: 'running', enabled: true });
      expect(h.plugin('uses-io').state).toBe('running');
      await expectDoorStillOpensIn(h);
    });

    it('a disabled third-party plugin stays off after a restart; the rest runs', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portier-kernel-'));
      const options: HarnessOptions = { plugins: ['io'], pluginPaths: [fixture('uses-io')], dataDir };
      h = await startHarness(options);
      await h.kernel.host.setEnabled('uses-io', false);
      h = await restart(options);
      expect(h.plugin('uses-io')).toMatchObject({ state: 'installed', enabled: false, note: 'disabled' });
      await expectDoorStillOpensIn(h);
    });
  });

  it('rules loaded at boot that use a plugin that failed to start show its failure as the reason', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portier-kernel-'));
    const options = (fault: string): HarnessOptions => ({
      plugins: ['io'],
      pluginPaths: [fixture('faulty')],
      settings: { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault } },
      kernel: { retry: { firstDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 1 } },
      dataDir,
    });
    h = await startHarness(options('none'));
    const rule = h.createRule({
      name: 'Lamp on I3',
      trigger: { event: 'io/input', filter: { port: 'io-3', active: true } },
      actions: [{ type: 'faulty/flash' }],
    });
    expect(rule.status.bound).toBe(true);

    h = await restart(options('start'));
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
