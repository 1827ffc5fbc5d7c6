import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packPlugin } from '../../../platform/apps/package/package-pack.js';
import { readPackage } from '../../../platform/apps/package/package-reader.js';
import { loadManifest } from '../../../platform/manifest/manifest-loader.js';

const manifest = {
  schemaVersion: 1,
  name: 'door-bell',
  displayName: 'Door bell',
  version: '1.2.3',
  vendor: 'Example AB',
  main: './index.js',
  platform: '^1.0.0',
};

let root: string;
let plugin: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portier-pack-'));
  plugin = join(root, 'door-bell');
  mkdirSync(plugin);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, content: string | object): void {
  const file = join(plugin, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function builtPlugin(): void {
  write('manifest.json', manifest);
  write('index.js', 'export default class DoorBell {}\n');
  write('lib/ring.js', 'export const ring = () => {};\n');
  write('assets/chime.txt', 'ding dong\n');
  write('package.json', { type: 'module' });
  write('bin/tool.js', '#!/usr/bin/env node\n');
  chmodSync(join(plugin, 'bin/tool.js'), 0o755);
}

describe('packPlugin', () => {
  it('packs manifest.json and the built files, named <name>-<version>.tgz, and leaves sources and tooling out', async () => {
    builtPlugin();
    write('index.ts', 'export default class DoorBell {}\n');
    write('types/index.d.ts', 'export {};\n');
    write('src/index.ts', '');
    write('test/ring.test.js', '');
    write('tests/more.js', '');
    write('node_modules/left-pad/index.js', '');
    write('lib/node_modules/x/index.js', '');
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('.env', 'SECRET=1\n');
    write('assets/.DS_Store', '');
    write('tsconfig.json', '{}');
    write('tsconfig.build.json', '{}');
    write('package-lock.json', '{}');
    write('door-bell-1.0.0.tgz', 'old package');

    const packed = await packPlugin(plugin, { loadManifest });

    expect(packed.fileName).toBe('door-bell-1.2.3.tgz');
    expect(packed.files).toEqual(['assets/chime.txt', 'bin/tool.js', 'index.js', 'lib/ring.js', 'manifest.json', 'package.json']);
    const read = await readPackage(packed.bytes);
    expect(read.entries.map((e) => e.path)).toEqual(packed.files);
    expect(read.manifest).toEqual(manifest);
    expect(read.signature).toEqual({ signed: false });
    expect(read.entries.find((e) => e.path === 'bin/tool.js')?.mode).toBe(0o755);
    expect(read.entries.find((e) => e.path === 'index.js')?.mode).toBe(0o644);
    expect(read.entries.find((e) => e.path === 'assets/chime.txt')?.data.toString()).toBe('ding dong\n');
  });

  it('packs the same folder to the same bytes', async () => {
    builtPlugin();
    const first = await packPlugin(plugin, { loadManifest });
    // Time stamps and the order files were made in do not matter.
    rmSync(join(plugin, 'lib'), { recursive: true });
    write('lib/ring.js', 'export const ring = () => {};\n');
    const second = await packPlugin(plugin);
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('refuses an invalid manifest with the messages `portier validate` prints', async () => {
    builtPlugin();
    write('manifest.json', { ...manifest, version: 'v1' });
    let expected: unknown;
    try {
      loadManifest(plugin);
    } catch (error) {
      expected = error;
    }
    expect(expected).toMatchObject({ code: 'MANIFEST_INVALID' });
    await expect(packPlugin(plugin, { loadManifest })).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      message: (expected as Error).message,
    });
  });

  it('refuses to pack a private key left in the folder, so it never ships with the app', async () => {
    builtPlugin();
    const { privateKey } = generateKeyPairSync('ed25519');
    write('acme.key.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await expect(packPlugin(plugin)).rejects.toMatchObject({
      code: 'PACKAGE_SECRET',
      message: expect.stringMatching(/"acme\.key\.pem" in .* holds a private key.*Keep signing keys outside the plugin folder/),
    });
  });

  it('refuses a folder whose entry module is not built', async () => {
    builtPlugin();
    rmSync(join(plugin, 'index.js'));
    write('index.ts', 'export default class DoorBell {}\n'); // enough for the manifest loader, not for a package
    await expect(packPlugin(plugin)).rejects.toMatchObject({
      code: 'PACKAGE_ENTRY_MISSING',
      message: expect.stringMatching(/"index\.js" is not in .*Build the plugin first/),
    });
  });

  it('refuses an entry module in a folder that packing leaves out', async () => {
    builtPlugin();
    write('manifest.json', { ...manifest, main: './src/index.js' });
    write('src/index.js', 'export default class DoorBell {}\n');
    await expect(packPlugin(plugin)).rejects.toMatchObject({ code: 'PACKAGE_ENTRY_MISSING', message: expect.stringContaining('packing leaves it out') });
  });

  it('refuses a symbolic link in the folder', async () => {
    builtPlugin();
    symlinkSync('/etc/passwd', join(plugin, 'lib/passwd'));
    await expect(packPlugin(plugin)).rejects.toMatchObject({ code: 'PACKAGE_LINK', message: expect.stringContaining('"lib/passwd"') });
  });

  it('refuses files a case-insensitive file system would take for one', async () => {
    builtPlugin();
    write('lib/Ring.js', '');
    await expect(packPlugin(plugin)).rejects.toMatchObject({ code: 'PACKAGE_PATH_INVALID', message: expect.stringContaining('letter case') });
  });

  it('refuses to build a package the installer would refuse', async () => {
    builtPlugin();
    write('assets/big.bin', 'x'.repeat(5000));
    await expect(packPlugin(plugin, { limits: { maxFileBytes: 4096 } })).rejects.toMatchObject({
      code: 'PACKAGE_TOO_LARGE',
      message: expect.stringMatching(/would be refused on install.*"assets\/big\.bin"/),
    });
  });
});
