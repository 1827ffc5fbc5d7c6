import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PortierError, describeError } from '../../sdk/errors.js';
import { type LoadedManifest, MANIFEST_FILE_NAME, loadManifest } from '../manifest/manifest-loader.js';

export interface DiscoveryResult {
  found: LoadedManifest[];
  /** Folders that look like plugins but whose manifest cannot be loaded. */
  errors: { directory: string; error: PortierError }[];
}

/** Every `<dir>/<plugin>/manifest.json` below one folder of plugins. */
export function discoverPlugins(folder: string): DiscoveryResult {
  const result: DiscoveryResult = { found: [], errors: [] };
  if (!existsSync(folder)) return result;
  const entries = readdirSync(folder, { withFileTypes: true })
    // An installed app is a link to the folder of its current version.
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(folder, e.name)))))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const directory = join(folder, entry.name);
    if (!existsSync(join(directory, MANIFEST_FILE_NAME))) continue;
    try {
      result.found.push(loadManifest(directory));
    } catch (error) {
      const portierError =
        error instanceof PortierError ? error : new PortierError('MANIFEST_UNREADABLE', `${directory}: ${describeError(error)}`);
      result.errors.push({ directory, error: portierError });
    }
  }
  return result;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
