import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The app's folder: the harness loads it from here, as the intercom loads an installed app. */
export const APP_FOLDER = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds dist/index.js, the file the manifest's `main` names and `portier pack`
 * ships: the tests run the bundle an intercom would run, never a stale one.
 */
export function buildApp(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url))], { stdio: 'inherit' });
}
