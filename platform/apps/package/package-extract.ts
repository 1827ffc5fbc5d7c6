/**
 * Writes a package's checked entries (from readPackage) into a new folder.
 *
 * The folder must not exist yet: extraction never mixes with or replaces
 * existing files, and the installer publishes the folder afterwards with an
 * atomic rename. Every path is checked again (whoever built the entries) and
 * resolved inside the target; folders are made one level at a time and must
 * be real folders; files are opened with `wx` (create, never an existing
 * file, never through a link). Folders get 0755 and files 0644 or 0755
 * whatever the umask. Each file and folder is fsynced, so after the rename a
 * power cut cannot leave a half-written app. On any failure the new folder is
 * removed again.
 *
 *   writePackage(entries, targetDir) → Promise<void>
 *   (PACKAGE_TARGET_EXISTS, PACKAGE_PATH_*, PACKAGE_WRITE_FAILED)
 */
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, realpath, rm } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isPortierError } from '../../../sdk/errors.js';
import { DEFAULT_PACKAGE_LIMITS } from './package-limits.js';
import { checkEntryPath, PathSet } from './package-paths.js';
import { normalisedMode } from './tar-writer.js';
import {
  PACKAGE_PATH_INVALID,
  PACKAGE_PATH_TRAVERSAL,
  PACKAGE_TARGET_EXISTS,
  PACKAGE_WRITE_FAILED,
  entryError,
  packageError,
  quotePath,
} from './package-errors.js';

export interface WritableEntry {
  path: string;
  mode: number;
  data: Uint8Array;
}

const FOLDER_MODE = 0o755;

export async function writePackage(entries: readonly WritableEntry[], targetDir: string): Promise<void> {
  const target = resolve(targetDir);
  await mkdir(dirname(target), { recursive: true });
  try {
    await mkdir(target, { mode: FOLDER_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw packageError(
        PACKAGE_TARGET_EXISTS,
        `Cannot extract the app into ${quotePath(target)}: it already exists, and extracting only ever writes into a new folder. Remove it or choose another.`,
      );
    }
    throw writeFailed(target, error);
  }

  try {
    const root = await realpath(target);
    await chmod(root, FOLDER_MODE);
    const folders = new Set<string>([root]);
    const paths = new PathSet();
    for (const entry of entries) {
      const path = checkedPath(entry.path, paths);
      await makeFolders(root, path, folders);
      await writeFile(root, path, entry);
    }
    // Deepest first, so each folder is synced after everything in it; then the target's own entry.
    for (const folder of [...folders].sort((a, b) => b.length - a.length)) await syncFolder(folder);
    await syncFolder(dirname(root));
  } catch (error) {
    await rm(target, { recursive: true, force: true });
    throw isPortierError(error) ? error : writeFailed(target, error);
  }
}

function checkedPath(name: string, paths: PathSet): string {
  const check = checkEntryPath(name, DEFAULT_PACKAGE_LIMITS);
  if (!check.ok) throw entryError(check.code, name, check.problem);
  const clash = paths.add(check.path, 'file');
  if (clash !== undefined) throw entryError(PACKAGE_PATH_INVALID, check.path, clash);
  return check.path;
}

/** The absolute path of `path` in `root`, refused if it resolves anywhere else. */
function inside(root: string, path: string): string {
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw entryError(PACKAGE_PATH_TRAVERSAL, path, 'the path resolves outside the app folder');
  }
  return absolute;
}

async function makeFolders(root: string, path: string, folders: Set<string>): Promise<void> {
  const segments = path.split('/').slice(0, -1);
  for (let i = 1; i <= segments.length; i++) {
    const folder = inside(root, segments.slice(0, i).join('/'));
    if (folders.has(folder)) continue;
    try {
      await mkdir(folder, { mode: FOLDER_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Only this call writes into the new folder, so this is a file of the package in the way.
      const stats = await lstat(folder);
      if (!stats.isDirectory()) throw entryError(PACKAGE_PATH_INVALID, path, `${quotePath(relative(root, folder))} is a file, not a folder`);
    }
    await chmod(folder, FOLDER_MODE);
    folders.add(folder);
  }
}

async function writeFile(root: string, path: string, entry: WritableEntry): Promise<void> {
  const mode = normalisedMode(entry.mode);
  // wx: create a new file only — fails on anything already there, including a link.
  const file = await open(inside(root, path), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    await file.writeFile(entry.data);
    await file.chmod(mode);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function writeFailed(target: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return packageError(
    PACKAGE_WRITE_FAILED,
    `Cannot write the app's files into ${quotePath(target)}: ${reason}. Check that the data folder is writable and has free space, then install again.`,
    { cause: error },
  );
}
