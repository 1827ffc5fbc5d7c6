import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppLayout } from '../../platform/apps/app-layout.js';

describe('the apps folder layout', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  /** <root>/data/apps and, beside the data folder, <root>/outside/precious.txt that nothing may delete. */
  function setUp(): { apps: string; outside: string; precious: string } {
    const root = mkdtempSync(join(tmpdir(), 'portier-layout-'));
    folders.push(root);
    const apps = join(root, 'data', 'apps');
    const outside = join(root, 'outside');
    mkdirSync(join(outside, 'version', 'package'), { recursive: true });
    mkdirSync(apps, { recursive: true });
    const precious = join(outside, 'version', 'package', 'precious.txt');
    writeFileSync(precious, 'keep me');
    return { apps, outside, precious };
  }

  function install(layout: AppLayout, name: string): string {
    const staging = layout.stage();
    mkdirSync(staging.files);
    writeFileSync(join(staging.files, 'manifest.json'), '{}');
    const version = layout.publish(staging.root, { name, version: '1.0.0', vendor: 'Acme', installedAt: 0, sha256: '' });
    layout.point(name, version);
    return version;
  }

  it('names as current only a version folder of that very app, whatever its link points to', () => {
    const { apps, outside } = setUp();
    const layout = new AppLayout(apps);
    const version = install(layout, 'chime');
    expect(layout.current('chime')).toBe(version);
    install(layout, 'other');

    // Links Portier never makes: out of the apps folder, and into another app's versions.
    symlinkSync(join(outside, 'version', 'package'), join(apps, 'stray'));
    symlinkSync(join('.versions', 'chime', version.split('/').pop()!, 'package'), join(apps, 'impostor'));
    expect(layout.current('stray')).toBeUndefined();
    expect(layout.current('impostor')).toBeUndefined();
    expect(layout.current('other')).not.toBe(version);
  });

  it('cleans up at start without following links out of the apps folder or stopping at a stray file', () => {
    const { apps, outside, precious } = setUp();
    const layout = new AppLayout(apps);
    const kept = install(layout, 'chime');
    mkdirSync(join(apps, '.versions'), { recursive: true });
    symlinkSync(outside, join(apps, '.versions', 'linked'));
    writeFileSync(join(apps, '.versions', 'notes.txt'), 'left by hand');
    symlinkSync(join(outside, 'version', 'package'), join(apps, 'stray'));
    rmSync(join(apps, '.staging'), { recursive: true });
    symlinkSync(join(outside, 'version'), join(apps, '.staging'));

    layout.cleanUp();
    expect(existsSync(precious)).toBe(true);
    expect(existsSync(kept)).toBe(true);
    expect(layout.current('chime')).toBe(kept);
  });

  it('goes back at start to the version that ran when an upgrade was cut off before the new one started', () => {
    const { apps } = setUp();
    const layout = new AppLayout(apps);
    const old = install(layout, 'chime');
    const staging = layout.stage();
    mkdirSync(staging.files);
    writeFileSync(join(staging.files, 'manifest.json'), '{"new":true}');
    const next = layout.publish(staging.root, { name: 'chime', version: '2.0.0', vendor: 'Acme', installedAt: 0, sha256: '' });
    layout.beginUpgrade('chime', old, next);
    layout.point('chime', next);
    // A power cut here: the new version is current, but never started.
    new AppLayout(apps).cleanUp();
    expect(layout.current('chime')).toBe(old);
    expect(existsSync(next)).toBe(false);
    expect(existsSync(join(apps, '.versions', 'chime', 'upgrading.json'))).toBe(false);
  });

  it('keeps the new version once its upgrade is confirmed', () => {
    const { apps } = setUp();
    const layout = new AppLayout(apps);
    const old = install(layout, 'chime');
    const staging = layout.stage();
    mkdirSync(staging.files);
    writeFileSync(join(staging.files, 'manifest.json'), '{}');
    const next = layout.publish(staging.root, { name: 'chime', version: '2.0.0', vendor: 'Acme', installedAt: 0, sha256: '' });
    layout.beginUpgrade('chime', old, next);
    layout.point('chime', next);
    layout.endUpgrade('chime');
    // A power cut before the old version was removed: it goes at the next start; the new one stays.
    new AppLayout(apps).cleanUp();
    expect(layout.current('chime')).toBe(next);
    expect(existsSync(old)).toBe(false);
  });
});
