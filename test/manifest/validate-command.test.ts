import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../platform/cli/validate-command.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portier-validate-'));
  mkdirSync(join(root, 'installed'));
  mkdirSync(join(root, 'work'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Writes a plugin folder with an entry module and returns the folder. */
function plugin(parent: string, name: string, fields: Record<string, unknown> = {}): string {
  const dir = join(root, parent, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.js'), 'export default class Plugin {}\n');
  const manifest = {
    schemaVersion: 1,
    name,
    displayName: name,
    version: '1.0.0',
    vendor: 'Example AB',
    main: './index.js',
    platform: '^1.0.0',
    ...fields,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function run(targets: string[]) {
  const result = validateCommand(targets, { installedDirs: [join(root, 'installed'), join(root, 'absent')], platformVersion: '1.0.0' });
  return { ok: result.ok, lines: result.lines.map((line) => line.replaceAll(root, 'ROOT')) };
}

describe('validateCommand', () => {
  it('reports a valid plugin whose requirements are installed', () => {
    plugin('installed', 'reader', { version: '1.2.0' });
    const entryList = plugin('work', 'entry-list', { requires: { reader: '^1.0.0' } });
    expect(run([entryList])).toEqual({ ok: true, lines: ['✓ ROOT/work/entry-list/manifest.json: entry-list 1.0.0 is valid'] });
  });

  it('accepts a manifest file as the target', () => {
    const io = plugin('work', 'io');
    expect(run([join(io, 'manifest.json')])).toEqual({ ok: true, lines: ['✓ ROOT/work/io/manifest.json: io 1.0.0 is valid'] });
  });

  it('counts the other targets as installed, in place of an installed copy', () => {
    plugin('installed', 'reader', { version: '1.0.0' });
    const reader = plugin('work', 'reader', { version: '2.0.0' });
    const entryList = plugin('work', 'entry-list', { requires: { reader: '^2.0.0' } });
    expect(run([entryList, reader])).toEqual({
      ok: true,
      lines: [
        '✓ ROOT/work/entry-list/manifest.json: entry-list 1.0.0 is valid',
        '✓ ROOT/work/reader/manifest.json: reader 2.0.0 is valid',
      ],
    });
  });

  it('prints the load and compatibility errors of each target, in order', () => {
    plugin('installed', 'reader');
    const broken = plugin('work', 'broken', { version: '1.0', colour: 'red' });
    const tooNew = plugin('work', 'too-new', { platform: '^2.0.0', requires: { reader: '^9.0.0', sip: '^1.0.0' } });
    const fine = plugin('work', 'fine');
    expect(run([broken, tooNew, fine, join(root, 'work', 'nowhere')])).toEqual({
      ok: false,
      lines: [
        'ROOT/work/broken/manifest.json: /version: expected a semantic version such as 1.2.3, found "1.0"',
        'ROOT/work/broken/manifest.json: /colour: unknown field "colour" (allowed: $schema, schemaVersion, name, ' +
          'displayName, version, vendor, description, main, platform, requires, provides, hardware, permissions, contributes)',
        `ROOT/work/too-new/manifest.json: /platform: "^2.0.0" does not include this platform's API version 1.0.0`,
        'ROOT/work/too-new/manifest.json: /requires/reader: "^9.0.0" matches no installed version (reader 1.0.0)',
        'ROOT/work/too-new/manifest.json: /requires/sip: requires plugin "sip", which is not installed',
        '✓ ROOT/work/fine/manifest.json: fine 1.0.0 is valid',
        'ROOT/work/nowhere: not found (expected a plugin folder or its manifest.json)',
      ],
    });
  });

  it('does not count an installed plugin whose manifest is invalid', () => {
    plugin('installed', 'reader', { version: 'latest' });
    const entryList = plugin('work', 'entry-list', { requires: { reader: '^1.0.0' } });
    expect(run([entryList])).toEqual({
      ok: false,
      lines: ['ROOT/work/entry-list/manifest.json: /requires/reader: requires plugin "reader", which is not installed'],
    });
  });

  it('refuses two targets with the same name', () => {
    const first = plugin('work', 'io');
    mkdirSync(join(root, 'copy'));
    const second = plugin('copy', 'io');
    expect(run([first, second])).toEqual({
      ok: false,
      lines: [
        '✓ ROOT/work/io/manifest.json: io 1.0.0 is valid',
        'ROOT/copy/io/manifest.json: /name: expected a name no other plugin uses, found "io" (also in ROOT/work/io/manifest.json)',
      ],
    });
  });

  it('fails when given nothing to validate', () => {
    expect(run([])).toEqual({ ok: false, lines: ['expected a plugin folder or manifest.json to validate, found none'] });
  });
});
