/**
 * Whether a valid manifest fits this platform and the plugins installed next
 * to it. Kept apart from loading because the answer changes with what else is
 * installed, while a manifest's validity does not.
 */
// The two functions, not the package's index: that loads all of semver, a noticeable part of start-up.
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import type { ErrorDetail } from '../../sdk/errors.js';
import type { Manifest } from '../../manifest-schema/schema.js';

import { jsonPointer } from '../validation/json-pointer.js';

export { formatDetail } from './manifest-errors.js';

// Pre-releases match only a range that names one, so `^1.0.0` never pulls in
// a `2.0.0-beta` or an unfinished `1.1.0-rc.1` an author did not ask for.
const RANGE_OPTIONS = { includePrerelease: false } as const;

/**
 * `installed` maps plugin names to versions. `file` is the manifest the
 * details belong to; pass both to formatDetail to print them.
 */
export function checkCompatibility(
  manifest: Manifest,
  file: string,
  installed: ReadonlyMap<string, string>,
  platformVersion: string,
): ErrorDetail[] {
  if (valid(platformVersion) === null) {
    throw new TypeError(`checkCompatibility(${file}): platform version ${JSON.stringify(platformVersion)} is not a semantic version`);
  }
  const details: ErrorDetail[] = [];
  if (!satisfies(platformVersion, manifest.platform, RANGE_OPTIONS)) {
    details.push({
      path: '/platform',
      message: `${JSON.stringify(manifest.platform)} does not include this platform's API version ${platformVersion}`,
    });
  }
  for (const [name, range] of Object.entries(manifest.requires)) {
    const path = jsonPointer(['requires', name]);
    const version = installed.get(name);
    if (name === manifest.name) {
      details.push({ path, message: `expected the name of another plugin, found ${JSON.stringify(name)} (a plugin cannot require itself)` });
    } else if (version === undefined) {
      details.push({ path, message: `requires plugin ${JSON.stringify(name)}, which is not installed` });
    } else if (!satisfies(version, range, RANGE_OPTIONS)) {
      details.push({ path, message: `${JSON.stringify(range)} matches no installed version (${name} ${version})` });
    }
  }
  return details;
}
