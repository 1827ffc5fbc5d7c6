import { describe, expect, it } from 'vitest';
import type { Harness } from '../../sdk/testing/index.js';
import { expectDoorStillOpensIn, fixture, ioWithFixtures } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

/**
 * Load errors: found from manifests before any plugin code runs. The plugin
 * says why in its state; everything else starts.
 */
describe('load errors', () => {
  const harnesses = harnessPerTest();
  const boot = (...fixtures: string[]): Promise<Harness> => harnesses.start(ioWithFixtures(fixtures));

  it('a → b → a: both fail with DEPENDENCY_CYCLE, showing the path', async () => {
    const h = await boot('cycle-a', 'cycle-b');
    const message = 'Plugins require each other in a cycle: cycle-a → cycle-b → cycle-a; remove one of these requirements.';
    for (const name of ['cycle-a', 'cycle-b']) {
      expect(h.plugin(name)).toMatchObject({ state: 'failed', failure: { code: 'DEPENDENCY_CYCLE', message, transient: false } });
    }
    await expectDoorStillOpensIn(h);
  });

  it('a 3-cycle: all three fail with DEPENDENCY_CYCLE, showing the whole path', async () => {
    const h = await boot('ring-a', 'ring-b', 'ring-c');
    const message = 'Plugins require each other in a cycle: ring-a → ring-b → ring-c → ring-a; remove one of these requirements.';
    for (const name of ['ring-a', 'ring-b', 'ring-c']) {
      expect(h.plugin(name)).toMatchObject({ state: 'failed', failure: { code: 'DEPENDENCY_CYCLE', message } });
    }
    await expectDoorStillOpensIn(h);
  });

  it('a missing dependency: DEPENDENCY_MISSING, naming the manifest, the field and the plugin', async () => {
    const h = await boot('needs-missing');
    expect(h.plugin('needs-missing')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DEPENDENCY_MISSING',
        message: 'test/fixtures/plugins/needs-missing/manifest.json: /requires/ghost: requires plugin "ghost", which is not installed',
      },
    });
    await expectDoorStillOpensIn(h);
  });

  it('a dependency version mismatch: DEPENDENCY_VERSION_MISMATCH, naming the range and the installed version', async () => {
    const h = await boot('needs-new-io');
    expect(h.plugin('needs-new-io')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DEPENDENCY_VERSION_MISMATCH',
        message: 'test/fixtures/plugins/needs-new-io/manifest.json: /requires/io: "^9.0.0" matches no installed version (io 1.0.0)',
      },
    });
    await expectDoorStillOpensIn(h);
  });

  it('a dependent of a plugin with a load error is not started, and says which dependency and why', async () => {
    const h = await boot('needs-missing', 'after-missing');
    expect(h.plugin('after-missing')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message:
          'Plugin "after-missing" requires "needs-missing", which cannot start: ' +
          'test/fixtures/plugins/needs-missing/manifest.json: /requires/ghost: requires plugin "ghost", which is not installed',
      },
    });
    await expectDoorStillOpensIn(h);
  });

  it('a dependent of a plugin that failed to start is not started, and says why', async () => {
    const h = await boot('start-throws', 'after-broken');
    expect(h.plugin('start-throws')).toMatchObject({ state: 'failed', failure: { code: 'PLUGIN_START_FAILED' } });
    expect(h.plugin('after-broken')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DEPENDENCY_NOT_RUNNING',
        message: 'Plugin "after-broken" requires "start-throws", which failed: Plugin "start-throws" failed in start(): boom',
      },
    });
    await expectDoorStillOpensIn(h);
  });

  it('a plugin named "core" is refused: the name is the platform\'s own namespace', async () => {
    const h = await boot('core-impostor');
    expect(h.kernel.loadErrors).toHaveLength(1);
    const [refused] = h.kernel.loadErrors;
    expect(refused!.directory).toBe(fixture('core-impostor').replace(/\/$/, ''));
    expect(refused!.error.code).toBe('PLUGIN_NAME_RESERVED');
    expect(refused!.error.message).toBe(
      'test/fixtures/plugins/core-impostor/manifest.json: /name: "core" is reserved for the platform\'s own events and conditions',
    );
    expect(() => h.plugin('core')).toThrow('There is no plugin named "core" (installed: io).');
    expect(h.kernel.host.list().map((p) => p.name)).toEqual(['io']);
    await expectDoorStillOpensIn(h);
  });

  it('two plugins with the same name: the second is refused naming both manifests; the first runs', async () => {
    const h = await boot('twin-one', 'twin-two');
    expect(h.kernel.loadErrors.map((e) => ({ code: e.error.code, message: e.error.message }))).toEqual([
      {
        code: 'PLUGIN_NAME_TAKEN',
        message:
          'Two plugins are named "twin": test/fixtures/plugins/twin-one/manifest.json and test/fixtures/plugins/twin-two/manifest.json; plugin names must be unique.',
      },
    ]);
    expect(h.plugin('twin')).toMatchObject({ state: 'running', version: '1.0.0' });
    await expectDoorStillOpensIn(h);
  });

  it('a plugin with the name of a built-in one is refused; the built-in keeps running', async () => {
    const h = await boot('io-impostor');
    expect(h.kernel.loadErrors.map((e) => ({ code: e.error.code, message: e.error.message }))).toEqual([
      {
        code: 'PLUGIN_NAME_TAKEN',
        message: 'Two plugins are named "io": plugins/io/manifest.json and test/fixtures/plugins/io-impostor/manifest.json; plugin names must be unique.',
      },
    ]);
    expect(h.plugin('io')).toMatchObject({ state: 'running', builtin: true, vendor: 'Portier' });
    await expectDoorStillOpensIn(h);
  });

  it('a platform range this platform does not meet: PLATFORM_MISMATCH, and the plugin never runs', async () => {
    const h = await boot('future-platform');
    expect(h.plugin('future-platform')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'PLATFORM_MISMATCH',
        message: 'test/fixtures/plugins/future-platform/manifest.json: /platform: "^2.0.0" does not include this platform\'s API version 1.0.0',
        transient: false,
      },
    });
    await expect(h.kernel.host.start('future-platform')).resolves.toMatchObject({ state: 'failed', failure: { code: 'PLATFORM_MISMATCH' } });
    await expectDoorStillOpensIn(h);
  });
});
