import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function portier(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'platform/cli/portier.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('portier validate', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the built-in io plugin', () => {
    const result = portier('validate', 'plugins/io');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('io 1.0.0 is valid');
  });

  it('prints each problem with file, JSON path, expected and found, and exits non-zero', () => {
    dir = mkdtempSync(join(tmpdir(), 'portier-validate-'));
    const plugin = join(dir, 'door-bell');
    mkdirSync(plugin);
    writeFileSync(join(plugin, 'index.js'), 'export default class {}\n');
    writeFileSync(
      join(plugin, 'manifest.json'),
      JSON.stringify({
        schemaVersion: 1,
        name: 'door-bell',
        displayName: 'Door bell',
        version: '1.0',
        vendor: 'Example',
        main: './index.js',
        platform: '^1.0.0',
        requires: { io: '^9.0.0' },
      }),
    );
    const result = portier('validate', plugin);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/version: expected a semantic version such as 1.2.3, found "1.0"');
    const fixed = JSON.stringify({
      schemaVersion: 1, name: 'door-bell', displayName: 'Door bell', version: '1.0.0', vendor: 'Example', main: './index.js', platform: '^1.0.0', requires: { io: '^9.0.0' },
    });
    writeFileSync(join(plugin, 'manifest.json'), fixed);
    const again = portier('validate', plugin);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/manifest\.json: \/requires\/io: "\^9\.0\.0" matches no installed version \(io 1\.0\.0\)/);
  });
});
