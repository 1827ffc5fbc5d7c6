/**
 * `portier validate`: checks plugin folders or manifest files the way the
 * kernel and the installer would, without starting anything, so an author
 * sees every load error before packing.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPortierError, type ErrorDetail } from '../../sdk/errors.js';
import { checkCompatibility, formatDetail } from '../manifest/compatibility.js';
import { displayPath } from '../manifest/manifest-errors.js';
import { MANIFEST_FILE_NAME, loadManifest, type LoadedManifest } from '../manifest/manifest-loader.js';

export interface ValidateOptions {
  /** Folders whose sub-folders are installed plugins (built-ins, apps). */
  installedDirs: string[];
  platformVersion: string;
}

export interface ValidateResult {
  ok: boolean;
  lines: string[];
}

export function validateCommand(targets: string[], options: ValidateOptions): ValidateResult {
  if (targets.length === 0) {
    return { ok: false, lines: ['expected a plugin folder or manifest.json to validate, found none'] };
  }

  const loaded = targets.map(loadTarget);

  // A target replaces an installed plugin of the same name: a new version is
  // checked against what it would run with after the upgrade.
  const installed = installedVersions(options.installedDirs);
  for (const target of loaded) {
    if ('manifest' in target) installed.set(target.manifest.name, target.manifest.version);
  }

  const lines: string[] = [];
  let ok = true;
  const fileByName = new Map<string, string>();
  for (const target of loaded) {
    if ('errorLines' in target) {
      ok = false;
      lines.push(...target.errorLines);
      continue;
    }
    const { manifest, file } = target;
    const details: ErrorDetail[] = [];
    const sameName = fileByName.get(manifest.name);
    if (sameName !== undefined && sameName !== file) {
      details.push({
        path: '/name',
        message: `expected a name no other plugin uses, found ${JSON.stringify(manifest.name)} (also in ${displayPath(sameName)})`,
      });
    }
    fileByName.set(manifest.name, file);
    details.push(...checkCompatibility(manifest, file, installed, options.platformVersion));

    if (details.length === 0) {
      lines.push(`✓ ${displayPath(file)}: ${manifest.name} ${manifest.version} is valid`);
    } else {
      ok = false;
      lines.push(...details.map((detail) => formatDetail(file, detail)));
    }
  }
  return { ok, lines };
}

function loadTarget(target: string): LoadedManifest | { errorLines: string[] } {
  try {
    return loadManifest(target);
  } catch (error) {
    if (!isPortierError(error)) throw error;
    return { errorLines: error.message.split('\n') };
  }
}

/**
 * Installed plugins whose manifest does not load are left out: the kernel
 * would not start them either, so for a plugin that requires one they are as
 * good as absent. Validate them as targets to see why.
 */
function installedVersions(installedDirs: readonly string[]): Map<string, string> {
  const versions = new Map<string, string>();
  for (const dir of installedDirs) {
    let entries: string[];
    try {
      entries = readdirSync(resolve(dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
        .map((entry) => join(resolve(dir), entry.name, MANIFEST_FILE_NAME));
    } catch {
      // A default location such as the apps folder need not exist yet.
      continue;
    }
    for (const file of entries) {
      try {
        const { manifest } = loadManifest(file);
        versions.set(manifest.name, manifest.version);
      } catch {
        continue;
      }
    }
  }
  return versions;
}
