import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestSchema, type ManifestInput } from '../../manifest-schema/schema.js';
import { checkCompatibility, formatDetail } from '../../platform/manifest/compatibility.js';

const file = join(process.cwd(), 'plugins', 'foo', 'manifest.json');

function manifest(change: Partial<ManifestInput> = {}) {
  return manifestSchema.parse({
    schemaVersion: 1,
    name: 'foo',
    displayName: 'Foo',
    version: '1.0.0',
    vendor: 'Example AB',
    main: './index.js',
    platform: '^1.0.0',
    ...change,
  });
}

function lines(change: Partial<ManifestInput>, installed: Record<string, string>, platformVersion = '1.0.0'): string[] {
  return checkCompatibility(manifest(change), file, new Map(Object.entries(installed)), platformVersion).map((detail) =>
    formatDetail(file, detail),
  );
}

describe('checkCompatibility', () => {
  it('accepts a manifest whose platform range and requirements are met', () => {
    expect(lines({ requires: { reader: '^1.0.0', io: '>=1.2.0 <3' } }, { reader: '1.4.2', io: '2.0.0' }, '1.3.0')).toEqual([]);
  });

  it('reports a required plugin that is not installed', () => {
    expect(lines({ requires: { reader: '^1.0.0' } }, { io: '1.0.0' })).toEqual([
      'plugins/foo/manifest.json: /requires/reader: requires plugin "reader", which is not installed',
    ]);
  });

  it('reports a required plugin whose installed version is outside the range', () => {
    expect(lines({ requires: { reader: '^9.0.0' } }, { reader: '1.0.0' })).toEqual([
      'plugins/foo/manifest.json: /requires/reader: "^9.0.0" matches no installed version (reader 1.0.0)',
    ]);
  });

  it('does not let a pre-release satisfy a range that names none', () => {
    expect(lines({ requires: { reader: '^1.0.0' } }, { reader: '1.1.0-beta.1' })).toEqual([
      'plugins/foo/manifest.json: /requires/reader: "^1.0.0" matches no installed version (reader 1.1.0-beta.1)',
    ]);
    expect(lines({ requires: { reader: '^1.1.0-beta.0' } }, { reader: '1.1.0-beta.1' })).toEqual([]);
  });

  it('reports a platform range that excludes this platform', () => {
    expect(lines({ platform: '^2.0.0' }, {})).toEqual([
      `plugins/foo/manifest.json: /platform: "^2.0.0" does not include this platform's API version 1.0.0`,
    ]);
  });

  it('reports every problem, platform first', () => {
    expect(lines({ platform: '^2.0.0', requires: { reader: '^9.0.0', sip: '^1.0.0' } }, { reader: '1.0.0' })).toEqual([
      `plugins/foo/manifest.json: /platform: "^2.0.0" does not include this platform's API version 1.0.0`,
      'plugins/foo/manifest.json: /requires/reader: "^9.0.0" matches no installed version (reader 1.0.0)',
      'plugins/foo/manifest.json: /requires/sip: requires plugin "sip", which is not installed',
    ]);
  });

  it('refuses a plugin that requires itself', () => {
    expect(lines({ requires: { foo: '^1.0.0' } }, { foo: '1.0.0' })).toEqual([
      'plugins/foo/manifest.json: /requires/foo: expected the name of another plugin, found "foo" (a plugin cannot require itself)',
    ]);
  });

  it('keeps the pointer in the detail and the file out of it', () => {
    expect(checkCompatibility(manifest({ requires: { reader: '^1.0.0' } }), file, new Map(), '1.0.0')).toEqual([
      { path: '/requires/reader', message: 'requires plugin "reader", which is not installed' },
    ]);
  });
});
