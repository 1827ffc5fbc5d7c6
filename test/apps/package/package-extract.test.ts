import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePackage } from '../../../platform/apps/package/package-extract.js';
import { packPlugin } from '../../../platform/apps/package/package-pack.js';
import { readPackage } from '../../../platform/apps/package/package-reader.js';

let root: string;
let target: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portier-extract-'));
  target = join(root, 'staging', 'door-bell');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const file = (path: string, data: string, mode = 0o644) => ({ path, mode, data: Buffer.from(data) });

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('writePackage', () => {
  it('writes the files with their content, files 0644 or 0755 and folders 0755', async () => {
    await writePackage(
      [file('manifest.json', '{}'), file('lib/deep/ring.js', 'ring()', 0o777), file('bin/tool', '#!/bin/sh\n', 0o700), file('secret.txt', 's', 0o600)],
      target,
    );
    expect(readFileSync(join(target, 'lib/deep/ring.js'), 'utf8')).toBe('ring()');
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('{}');
    expect(modeOf(join(target, 'manifest.json'))).toBe(0o644);
    expect(modeOf(join(target, 'lib/deep/ring.js'))).toBe(0o755);
    expect(modeOf(join(target, 'bin/tool'))).toBe(0o755);
    expect(modeOf(join(target, 'secret.txt'))).toBe(0o644);
    for (const folder of ['', 'lib', 'lib/deep', 'bin']) expect(modeOf(join(target, folder))).toBe(0o755);
  });

  it('writes what packPlugin packed and readPackage read', async () => {
    const plugin = join(root, 'plugin');
    mkdirSync(join(plugin, 'lib'), { recursive: true });
    const manifest = { schemaVersion: 1, name: 'door-bell', displayName: 'Door bell', version: '1.0.0', vendor: 'Example AB', main: './index.js', platform: '^1.0.0' };
    writeFileSync(join(plugin, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(plugin, 'index.js'), 'export default class DoorBell {}\n');
    writeFileSync(join(plugin, 'lib', 'ring.js'), 'export {};\n');

    const { entries } = await readPackage((await packPlugin(plugin)).bytes);
    await writePackage(entries, target);
    for (const path of ['manifest.json', 'index.js', 'lib/ring.js']) {
      expect(readFileSync(join(target, path)).equals(readFileSync(join(plugin, path)))).toBe(true);
    }
  });

  it('refuses a target that exists and leaves it as it was', async () => {
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep.txt'), 'mine');
    await expect(writePackage([file('keep.txt', 'theirs')], target)).rejects.toMatchObject({
      code: 'PACKAGE_TARGET_EXISTS',
      message: expect.stringContaining(JSON.stringify(target)),
    });
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it.each([
    ['../escaped.txt', 'PACKAGE_PATH_TRAVERSAL'],
    ['lib/../../escaped.txt', 'PACKAGE_PATH_TRAVERSAL'],
    ['..\\escaped.txt', 'PACKAGE_PATH_TRAVERSAL'],
    ['/escaped.txt', 'PACKAGE_PATH_ABSOLUTE'],
    ['ROOT/escaped.txt', 'PACKAGE_PATH_ABSOLUTE'],
  ])('never writes outside the target: %s', async (pathOrTemplate, code) => {
    const path = pathOrTemplate.replace('ROOT', root);
    await expect(writePackage([file('manifest.json', '{}'), file(path, 'evil')], target)).rejects.toMatchObject({
      code,
      message: expect.stringContaining(JSON.stringify(path)),
    });
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
    expect(existsSync('/escaped.txt')).toBe(false);
    expect(existsSync(join(root, 'staging', 'escaped.txt'))).toBe(false);
    // Nothing half-written stays behind.
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(root, 'staging'))).toEqual([]);
  });

  it('refuses entries that would overwrite each other or put a file where a folder goes', async () => {
    await expect(writePackage([file('a.js', '1'), file('a.js', '2')], target)).rejects.toMatchObject({ code: 'PACKAGE_PATH_INVALID' });
    await expect(writePackage([file('lib', '1'), file('lib/a.js', '2')], target)).rejects.toMatchObject({ code: 'PACKAGE_PATH_INVALID' });
    expect(existsSync(target)).toBe(false);
  });
});
