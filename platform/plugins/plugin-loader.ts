import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PortierError, describeError } from '../../sdk/errors.js';
import type { PluginClass } from '../../sdk/plugin.js';
import type { Manifest } from '../../manifest-schema/schema.js';
import { isInsideRepository, registerSdkResolution } from '../apps/sdk-resolution.js';

/**
 * Imports a plugin's entry module and returns its default export. Built-in
 * plugins in a source checkout have `index.ts` where the manifest says
 * `index.js`; the TypeScript loader of the tests and dev tools takes either.
 */
export async function loadPluginClass(manifest: Manifest, directory: string): Promise<PluginClass> {
  const entry = entryFile(manifest, directory);
  const shown = relative(process.cwd(), entry) || entry;
  // By its real path: an app's folder is a link to the installed version, and a
  // module cache keyed by the link would hand an upgrade the old version's code.
  const url = pathToFileURL(existsSync(entry) ? realpathSync(entry) : entry).href;
  if (!isInsideRepository(url)) registerSdkResolution();
  const cached = imported.get(url);
  if (cached !== undefined) return cached;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new PortierError('PLUGIN_LOAD_FAILED', `Plugin "${manifest.name}" could not be loaded from ${shown}: ${describeError(error)}`, [], {
      cause: error,
    });
  }
  const exported = module.default;
  if (typeof exported !== 'function' || exported.prototype === undefined) {
    throw new PortierError(
      'PLUGIN_ENTRY_INVALID',
      `Plugin "${manifest.name}": ${shown} must export the plugin class as its default export (export default class … implements Plugin).`,
    );
  }
  imported.set(url, exported as PluginClass);
  return exported as PluginClass;
}

/**
 * Classes already imported, by module URL. The module cache would return the
 * same class anyway; asking it again costs real I/O turns, so a retry or a
 * restart under fake time would not finish within `clock.advance()`.
 */
const imported = new Map<string, PluginClass>();

export function entryFile(manifest: Manifest, directory: string): string {
  const js = join(directory, manifest.main);
  if (existsSync(js)) return js;
  const ts = js.replace(/\.js$/, '.ts');
  return existsSync(ts) ? ts : js;
}
