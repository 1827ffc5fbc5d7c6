import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newCommand } from '../../platform/cli/new-command.js';
import { loadManifest } from '../../platform/manifest/manifest-loader.js';

const ROOT = join(import.meta.dirname, '..', '..');

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'portier-new-'));
  folders.push(folder);
  return folder;
}

/** Runs node in `cwd`, with none of this test run's vitest variables (a nested vitest would take them as its own). */
function node(cwd: string, ...args: string[]): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && !['NODE_OPTIONS', 'FORCE_COLOR'].includes(key)));
  const result = spawnSync(process.execPath, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('portier new', () => {
  it('writes a plugin folder: manifest, package, tsconfig, build script, class, harness test, .gitignore, README', () => {
    const dir = tempFolder();
    const { created } = newCommand('door-bell', { directory: dir, portierVersion: '0.1.0' });
    const app = join(dir, 'door-bell');
    expect(created.map((file) => relative(app, file)).sort()).toEqual(
      ['.gitignore', 'README.md', 'build.mjs', 'manifest.json', 'package.json', 'src/index.ts', 'test/door-bell.test.ts', 'tsconfig.json'].sort(),
    );

    const manifest = JSON.parse(readFileSync(join(app, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      $schema: './node_modules/portier/manifest-schema/v1.json',
      name: 'door-bell',
      displayName: 'Door Bell',
      main: './dist/index.js',
      platform: '^1.0.0',
      contributes: { actions: { greet: { lasts: 'fixed' } }, events: { greeted: { stateful: false } } },
    });
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { type: string; scripts: Record<string, string>; devDependencies: Record<string, string>; version?: string };
    expect(pkg.type).toBe('module');
    expect(pkg.version).toBeUndefined(); // the version lives in manifest.json only
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'esbuild', 'portier', 'typescript', 'vitest']);
    expect(pkg.devDependencies.portier).toBe('^0.1.0');
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'pack', 'test', 'typecheck']);
    const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, experimentalDecorators: true, module: 'NodeNext', moduleResolution: 'NodeNext' });
    expect(readFileSync(join(app, 'src/index.ts'), 'utf8')).toContain('export default class DoorBellPlugin implements Plugin');
  });

  it.each([
    ['DoorBell', 'expected kebab-case'],
    ['door_bell', 'expected kebab-case'],
    ['door--bell', 'expected kebab-case'],
    ['1door', 'expected kebab-case'],
    ['d', 'expected 2 to 40 characters'],
    ['../door-bell', 'expected kebab-case'],
  ])('refuses the name %j and says what a name looks like', (name, why) => {
    const dir = tempFolder();
    expect(() => newCommand(name, { directory: dir, portierVersion: '0.1.0' })).toThrow(
      expect.objectContaining({ code: 'PLUGIN_NAME_INVALID', message: expect.stringMatching(new RegExp(`${why}.*portier new door-bell`)) }),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder that exists and leaves it as it was', () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'door-bell'));
    writeFileSync(join(dir, 'door-bell', 'notes.txt'), 'mine');
    expect(() => newCommand('door-bell', { directory: dir, portierVersion: '0.1.0' })).toThrow(
      expect.objectContaining({ code: 'FOLDER_EXISTS', message: `${join(dir, 'door-bell')} already exists, and portier new never writes over files. Pick another name, or move that folder away and run it again.` }),
    );
    expect(readdirSync(join(dir, 'door-bell'))).toEqual(['notes.txt']);
  });

  it('the app builds, its manifest loads, its source typechecks, and its own harness test passes from its own folder', () => {
    const dir = tempFolder();
    newCommand('door-bell', { directory: dir, portierVersion: '0.1.0' });
    const app = join(dir, 'door-bell');
    // What `npm install` would put there: this repository as the portier package, and the tools.
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(ROOT, join(app, 'node_modules', 'portier'), 'dir');
    for (const tool of ['esbuild', 'vitest', 'typescript', '@types']) symlinkSync(join(ROOT, 'node_modules', tool), join(app, 'node_modules', tool), 'dir');

    // npm run build
    const build = node(app, 'build.mjs');
    expect(build.output).toBe('');
    expect(build.status).toBe(0);
    expect(existsSync(join(app, 'dist', 'index.js'))).toBe(true);
    expect(readFileSync(join(app, 'dist', 'index.js'), 'utf8')).toMatch(/from "portier\/sdk"/);

    // The manifest is valid as the kernel and the installer read it, and its $schema is where an editor looks.
    const { manifest } = loadManifest(app);
    expect(manifest.name).toBe('door-bell');
    expect(existsSync(join(app, manifest.$schema!))).toBe(true);

    // The SDK from this repository's source rather than its build (which may be stale): the app's own
    // tsconfig, with paths to the SDK; a test configuration that resolves the SDK the same way.
    writeFileSync(
      join(app, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { paths: { 'portier/sdk': [join(ROOT, 'sdk/index.ts')], 'portier/sdk/testing': [join(ROOT, 'sdk/testing/index.ts')] } },
      }),
    );
    const typecheck = node(app, join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.check.json');
    expect(typecheck.output).toBe('');
    expect(typecheck.status).toBe(0);

    writeFileSync(
      join(app, 'vitest.config.mjs'),
      `import { defineConfig } from 'vitest/config';
export default defineConfig({
  resolve: {
    alias: [
      { find: /^portier\\/sdk$/, replacement: ${JSON.stringify(join(ROOT, 'sdk/index.ts'))} },
      { find: /^portier\\/sdk\\/testing$/, replacement: ${JSON.stringify(join(ROOT, 'sdk/testing/index.ts'))} },
    ],
  },
});
`,
    );
    const test = node(app, join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', app, '--config', 'vitest.config.mjs');
    expect(test.output).toMatch(/Tests\s+1 passed/);
    expect(test.status).toBe(0);
  }, 180_000);
});
