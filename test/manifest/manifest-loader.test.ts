import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortierError, type PortierError } from '../../sdk/errors.js';
import { formatDetail } from '../../platform/manifest/manifest-errors.js';
import { loadManifest } from '../../platform/manifest/manifest-loader.js';

const KEBAB = 'expected kebab-case: lower-case letters and digits separated by single hyphens, starting with a letter';

const validManifest = {
  schemaVersion: 1,
  name: 'door-bell',
  displayName: 'Door bell',
  version: '1.0.0',
  vendor: 'Example AB',
  main: './index.js',
  platform: '^1.0.0',
};

let root: string;
let plugin: string;
let file: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portier-manifest-'));
  plugin = join(root, 'door-bell');
  file = join(plugin, 'manifest.json');
  mkdirSync(plugin);
  writeFileSync(join(plugin, 'index.js'), 'export default class DoorBell {}\n');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(manifest: unknown): void {
  writeFileSync(file, typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
}

function loadError(path = plugin): PortierError {
  try {
    loadManifest(path);
  } catch (error) {
    if (isPortierError(error)) return error;
    throw error;
  }
  throw new Error('expected loadManifest to throw');
}

/** The message lines, with the (absolute, temporary) manifest path shown as FILE. */
function problems(path = plugin): string[] {
  const error = loadError(path);
  expect(error.code).toBe('MANIFEST_INVALID');
  return error.message.split('\n').map((line) => line.replaceAll(file, 'FILE').replaceAll(plugin, 'DIR'));
}

describe('loadManifest', () => {
  it('loads a valid manifest from its folder, with defaults applied', () => {
    write(validManifest);
    const loaded = loadManifest(plugin);
    expect(loaded.file).toBe(file);
    expect(loaded.directory).toBe(plugin);
    expect(loaded.manifest).toEqual({
      ...validManifest,
      description: '',
      requires: {},
      provides: [],
      hardware: [],
      permissions: [],
      contributes: { events: {}, conditions: {}, actions: {}, routes: [], displayElements: {} },
    });
  });

  it('loads a manifest given as a file, and a source checkout whose entry module is TypeScript', () => {
    write({ ...validManifest, main: './src/plugin.js' });
    mkdirSync(join(plugin, 'src'));
    writeFileSync(join(plugin, 'src', 'plugin.ts'), 'export default class DoorBell {}\n');
    expect(loadManifest(file).manifest.main).toBe('./src/plugin.js');
  });

  it('accepts a UTF-8 byte order mark', () => {
    write('\uFEFF' + JSON.stringify(validManifest));
    expect(loadManifest(plugin).manifest.name).toBe('door-bell');
  });

  it.each([
    ['in upper case', 'Door-Bell', `FILE: /name: ${KEBAB}, found "Door-Bell"`],
    ['that is too short', 'd', 'FILE: /name: expected 2 to 40 characters, found "d"'],
    ['with a leading digit', '2nd-door', `FILE: /name: ${KEBAB}, found "2nd-door"`],
    ['with a double hyphen', 'door--bell', `FILE: /name: ${KEBAB}, found "door--bell"`],
  ])('rejects a name %s', (_, name, line) => {
    write({ ...validManifest, name });
    expect(problems()).toEqual([line]);
  });

  it('rejects a version that is not semver, with one line', () => {
    write({ ...validManifest, version: '1.0' });
    expect(problems()).toEqual(['FILE: /version: expected a semantic version such as 1.2.3, found "1.0"']);
  });

  it('rejects bad ranges for the platform and for a required plugin', () => {
    write({ ...validManifest, platform: 'latest', requires: { reader: 'one' } });
    expect(problems()).toEqual([
      'FILE: /platform: expected a semver range such as ^1.0.0, found "latest"',
      'FILE: /requires/reader: expected a semver range such as ^1.0.0, found "one"',
    ]);
  });

  it('rejects a required plugin with a bad name, naming the key', () => {
    write({ ...validManifest, requires: { Reader: '^1.0.0' } });
    expect(problems()).toEqual([`FILE: /requires/Reader: ${KEBAB}, found the name "Reader"`]);
  });

  it('rejects unknown fields and lists the allowed ones', () => {
    write({
      ...validManifest,
      colour: 'red',
      contributes: { routes: [{ method: 'GET', path: '/ring', role: 'viewer', auth: false }] },
    });
    expect(problems()).toEqual([
      'FILE: /contributes/routes/0/auth: unknown field "auth" (allowed: method, path, role, summary)',
      'FILE: /colour: unknown field "colour" (allowed: $schema, schemaVersion, name, displayName, version, vendor, ' +
        'description, main, platform, requires, provides, hardware, permissions, contributes)',
    ]);
  });

  it('reports every missing field as required', () => {
    const { vendor: _vendor, platform: _platform, ...rest } = validManifest;
    write(rest);
    expect(problems()).toEqual(['FILE: /vendor: is required', 'FILE: /platform: is required']);
  });

  it('reports a missing field inside a declaration', () => {
    write({ ...validManifest, contributes: { actions: { ring: { title: 'Ring' } } } });
    expect(problems()).toEqual(['FILE: /contributes/actions/ring/lasts: is required']);
  });

  it('rejects wrong types, saying what was expected and what was found', () => {
    write({
      ...validManifest,
      schemaVersion: '1',
      displayName: 42,
      hardware: 'relay',
      permissions: ['everything'],
      contributes: { events: { rang: { title: 'Rang', stateful: 'no' } } },
    });
    expect(problems()).toEqual([
      'FILE: /schemaVersion: expected 1, found "1"',
      'FILE: /displayName: expected a string, found 42',
      'FILE: /hardware: expected an array, found "relay"',
      'FILE: /permissions/0: expected one of "event-log:read", "schedules:read", found "everything"',
      'FILE: /contributes/events/rang/stateful: expected true or false, found "no"',
    ]);
  });

  it('rejects a manifest that is not an object', () => {
    write('["door-bell"]');
    expect(problems()).toEqual(['FILE: expected an object, found ["door-bell"]']);
  });

  it('cuts long found values to 60 characters', () => {
    write({ ...validManifest, description: 'x'.repeat(1200) });
    expect(problems()).toEqual([`FILE: /description: expected at most 1000 characters, found "${'x'.repeat(58)}…`]);
  });

  it('rejects a key on a stateless event', () => {
    write({ ...validManifest, contributes: { events: { rang: { title: 'Rang', stateful: false, key: ['port'] } } } });
    expect(problems()).toEqual(['FILE: /contributes/events/rang/key: expected no key: only a stateful event has one, found ["port"]']);
  });

  it('keeps the details as JSON pointers without the file', () => {
    write({ ...validManifest, version: '1.0', requires: { 'a/b': '^1.0.0' } });
    const error = loadError();
    expect(error.details).toEqual([
      { path: '/version', message: 'expected a semantic version such as 1.2.3, found "1.0"' },
      { path: '/requires/a~1b', message: `${KEBAB}, found the name "a/b"` },
    ]);
  });

  it.each([
    ['a missing comma', '{\n  "name": "door-bell",\n  "version": "1.0.0"\n  "vendor": "x"\n}',
      `FILE: invalid JSON at line 4, column 3: expected ',' or '}' after a property value, found '"vendor"'`],
    ['a trailing comma', '{\n  "name": "door-bell",\n}',
      `FILE: invalid JSON at line 3, column 1: expected a property name after ',' (JSON allows no trailing comma), found '}'`],
    ['a comment', '{\n  // the bell\n  "name": "door-bell"\n}',
      `FILE: invalid JSON at line 2, column 3: expected a property name in double quotes, found a comment (JSON allows none)`],
    ['an unquoted name', '{ name: "door-bell" }',
      `FILE: invalid JSON at line 1, column 3: expected a property name in double quotes, found 'name'`],
    ['an empty file', '',
      'FILE: invalid JSON at line 1, column 1: expected a value (object, array, string, number, true, false or null), found the end of the file'],
    ['an unterminated string', '{\n  "name": "door-bell\n}',
      `FILE: invalid JSON at line 2, column 21: expected '"' to close the string, found the end of the line`],
  ])('reports a JSON syntax error (%s) with line and column', (_, text, line) => {
    write(text);
    expect(problems()).toEqual([line]);
  });

  it('reports a missing entry module', () => {
    write({ ...validManifest, main: './dist/index.js' });
    expect(problems()).toEqual(['FILE: /main: entry module ./dist/index.js not found in DIR']);
  });

  it('reports a missing entry module together with other problems', () => {
    rmSync(join(plugin, 'index.js'));
    write({ ...validManifest, version: 'one' });
    expect(problems()).toEqual([
      'FILE: /version: expected a semantic version such as 1.2.3, found "one"',
      'FILE: /main: entry module ./index.js not found in DIR',
    ]);
  });

  it('refuses an entry module outside the plugin folder', () => {
    write({ ...validManifest, main: './../other/index.js' });
    expect(problems()).toEqual(['FILE: /main: expected a path inside the plugin folder, without .., found "./../other/index.js"']);
  });

  it('says MANIFEST_NOT_FOUND for a missing path or a folder without manifest.json', () => {
    const missing = join(root, 'nowhere');
    const notFound = loadError(missing);
    expect(notFound.code).toBe('MANIFEST_NOT_FOUND');
    expect(notFound.message).toBe(`${missing}: not found (expected a plugin folder or its manifest.json)`);

    const empty = loadError(plugin);
    expect(empty.code).toBe('MANIFEST_NOT_FOUND');
    expect(empty.message).toBe(`${file}: not found (every plugin folder needs one)`);
  });

  it('says MANIFEST_UNREADABLE when manifest.json cannot be read', () => {
    // Running as root defeats file permissions; a folder in its place fails to read for everyone.
    mkdirSync(file);
    const error = loadError(plugin);
    expect(error.code).toBe('MANIFEST_UNREADABLE');
    expect(error.message.startsWith(`${file}: cannot be read (EISDIR: illegal operation on a directory`)).toBe(true);
  });
});

describe('formatDetail', () => {
  it('shows a path inside the working folder relative to it', () => {
    const inside = join(process.cwd(), 'plugins', 'door-bell', 'manifest.json');
    expect(formatDetail(inside, { path: '/version', message: 'expected a semantic version such as 1.2.3, found "1.0"' })).toBe(
      'plugins/door-bell/manifest.json: /version: expected a semantic version such as 1.2.3, found "1.0"',
    );
    expect(formatDetail('/elsewhere/manifest.json', { path: '', message: 'not found' })).toBe('/elsewhere/manifest.json: not found');
  });
});
