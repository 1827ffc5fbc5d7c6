/**
 * `portier pack`: turns a plugin folder into `<name>-<version>.tgz`.
 *
 * The manifest is checked first, by the loader `portier validate` uses (its
 * errors pass through unchanged). The package holds manifest.json and what
 * the plugin needs at run time; these are left out:
 *
 *   - dot-files and dot-folders (`.git`, `.env`, …) and `node_modules/`, anywhere
 *   - `src/`, `test/`, `tests/` at the top of the folder
 *   - TypeScript sources `*.ts` (`.d.ts` too), `*.tsx`, `*.mts`, `*.cts`
 *   - `*.tgz` (earlier packages), `tsconfig*.json`, `package-lock.json`
 *
 * The output depends on the files only: paths sorted, time stamps, owners and
 * modes fixed (tar-writer.ts), so the same folder always packs to the same
 * bytes. A symbolic link or special file in the folder is refused rather than
 * followed or skipped, and the finished package is read back with the
 * installer's own checks (package-reader.ts), so what `portier pack` writes is
 * a package an intercom accepts.
 *
 *   packPlugin(directory, { loadManifest?, limits? }) → { fileName, bytes, files }
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortierError, isPortierError } from '../../../sdk/errors.js';
import { displayPath } from '../../manifest/manifest-errors.js';
import { loadManifest as loadManifestFromDisk } from '../../manifest/manifest-loader.js';
import type { PackageLimits } from './package-limits.js';
import { resolveLimits } from './package-limits.js';
import { checkEntryPath, PathSet } from './package-paths.js';
import { readPackage } from './package-reader.js';
import { gzipPackage } from './package-compression.js';
import { writeTar, type TarFile } from './tar-writer.js';
import {
  PACKAGE_ENTRY_MISSING,
  PACKAGE_LINK,
  PACKAGE_PATH_INVALID,
  PACKAGE_SECRET,
  PACKAGE_SPECIAL_FILE,
  packageError,
  quotePath,
} from './package-errors.js';

export interface PackOptions {
  /** Reads and validates the folder's manifest; the manifest loader by default. */
  loadManifest?: (directory: string) => { manifest: { name: string; version: string; main: string } };
  limits?: Partial<PackageLimits>;
}

export interface PackedPlugin {
  /** `<name>-<version>.tgz` */
  fileName: string;
  /** The package (unsigned). */
  bytes: Buffer;
  /** The packed files' paths, sorted. */
  files: string[];
}

/** PEM armour of any private key (PKCS#8, OpenSSH, RSA, EC, encrypted). */
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

const TOP_LEVEL_EXCLUDED_FOLDERS = new Set(['src', 'test', 'tests']);
const EXCLUDED_FILE = /(\.(ts|tsx|mts|cts|tgz)$)|(^tsconfig.*\.json$)|(^package-lock\.json$)/;

export async function packPlugin(directory: string, options: PackOptions = {}): Promise<PackedPlugin> {
  const { manifest } = (options.loadManifest ?? loadManifestFromDisk)(directory);
  const limits = resolveLimits(options.limits);
  const shown = displayPath(directory);

  const found = collectFiles(directory);
  const paths = new PathSet();
  for (const file of found) {
    const check = checkEntryPath(file.path, limits);
    const problem = check.ok ? paths.add(file.path, 'file') : check.problem;
    if (problem !== undefined) {
      throw packageError(check.ok ? PACKAGE_PATH_INVALID : check.code, `${quotePath(file.path)} in ${shown}: ${problem}. Rename or move it, then pack again.`);
    }
  }
  checkMain(manifest.main, directory, found);

  const files: TarFile[] = found.map((file) => ({ path: file.path, mode: file.mode, data: readFileSync(join(directory, file.path)) }));
  // A signing key left next to the code would go out to every intercom that installs the app.
  const secret = files.find((file) => PRIVATE_KEY.test(file.data.subarray(0, 64 * 1024).toString('latin1')));
  if (secret !== undefined) {
    throw packageError(
      PACKAGE_SECRET,
      `${quotePath(secret.path)} in ${shown} holds a private key, which would ship inside the package. Keep signing keys outside the plugin folder, then pack again.`,
    );
  }
  const bytes = gzipPackage(await writeTar(files));
  try {
    await readPackage(bytes, limits);
  } catch (error) {
    if (!isPortierError(error)) throw error;
    throw new PortierError(error.code, `The package built from ${shown} would be refused on install. ${error.message}`, error.details, { cause: error });
  }
  return { fileName: `${manifest.name}-${manifest.version}.tgz`, bytes, files: found.map((file) => file.path) };
}

interface FoundFile {
  path: string;
  mode: number;
}

/** The files to pack, sorted by path (code unit order, the same on every machine). */
function collectFiles(root: string): FoundFile[] {
  const files: FoundFile[] = [];
  const visit = (relativeDir: string): void => {
    for (const name of readdirSync(join(root, relativeDir))) {
      const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
      const stats = lstatSync(join(root, path));
      if (isExcluded(name, relativeDir === '', stats.isDirectory())) continue;
      if (stats.isSymbolicLink()) {
        throw packageError(
          PACKAGE_LINK,
          `${quotePath(path)} in ${displayPath(root)} is a symbolic link; a package holds only plain files. Replace it with the file it points to (or remove it), then pack again.`,
        );
      }
      if (stats.isDirectory()) visit(path);
      else if (stats.isFile()) files.push({ path, mode: stats.mode });
      else {
        throw packageError(
          PACKAGE_SPECIAL_FILE,
          `${quotePath(path)} in ${displayPath(root)} is not a plain file (a socket, FIFO or device); a package holds only plain files. Remove it, then pack again.`,
        );
      }
    }
  };
  visit('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isExcluded(name: string, topLevel: boolean, isDirectory: boolean): boolean {
  if (name.startsWith('.') || name === 'node_modules') return true;
  if (isDirectory) return topLevel && TOP_LEVEL_EXCLUDED_FOLDERS.has(name);
  return EXCLUDED_FILE.test(name);
}

/** The manifest loader accepts a source checkout (index.ts for ./index.js); a package needs the built file. */
function checkMain(main: string, directory: string, found: readonly FoundFile[]): void {
  const path = main.replace(/^(\.\/)+/, '');
  if (found.some((file) => file.path === path)) return;
  const shown = displayPath(directory);
  const why = existsSync(join(directory, path))
    ? `${quotePath(path)} is in ${shown}, but packing leaves it out (src/, test/, tests/, node_modules/, dot-files and TypeScript sources stay behind). Build it to another place and point "main" there`
    : `${quotePath(path)} is not in ${shown}. Build the plugin first (for TypeScript, compile it to JavaScript next to manifest.json)`;
  throw packageError(PACKAGE_ENTRY_MISSING, `The manifest's entry module ("main": ${quotePath(main)}) cannot be packed: ${why}, then pack again.`);
}
