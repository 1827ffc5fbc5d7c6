import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLATFORM_API_VERSION = '1.0.0';

/**
 * The version of the `portier` package itself (package.json), which apps
 * name as a devDependency; distinct from the plugin API version above.
 * Found by walking up from this module, built or run from the sources.
 */
export function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'portier' && pkg.version !== undefined) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error('the portier package.json was not found above platform/version');
  }
}
