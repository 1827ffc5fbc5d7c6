/**
 * Tests against a real peer program (ffmpeg, turnserver). When the program is
 * not installed they are skipped with a note on a developer's machine, but
 * fail under CI (CI=true), where a missing program means a broken image, not
 * a reason to pass.
 */
import { spawnSync } from 'node:child_process';

import { describe, it } from 'vitest';

/** The program's path, or null when it is not on PATH. */
export function findBinary(name: string): string | null {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

/** `describe` that needs `binary`; see the module comment for what happens when it is missing. */
export function describeWithBinary(binary: string, name: string, body: (path: string) => void): void {
  const path = findBinary(binary);
  if (path) {
    describe(name, () => body(path));
    return;
  }
  const why = `${binary} is not installed (not found on PATH); install it to run "${name}"`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its peer program', () => {
        throw new Error(`${why}. Under CI this is a failure, not a skip.`);
      });
    });
    return;
  }
  console.warn(`Skipping: ${why}.`);
  describe.skip(`${name} (skipped: ${binary} is not installed)`, () => {
    it('needs its peer program', () => undefined);
  });
}
