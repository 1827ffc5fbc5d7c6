/**
 * Which paths an app package may contain. One rule set for packing (so
 * `portier pack` never builds a package the installer refuses) and for
 * reading and extracting (where the path comes from someone else).
 *
 * A path is relative, uses `/`, and names a place inside the app folder on
 * any file system: no `..`, no absolute or drive paths, no backslashes, no
 * NUL or control characters, not too long or deep, and no two paths that a
 * case-insensitive file system would take for one (or that would make one
 * name both a file and a folder).
 *
 *   checkEntryPath(name, limits) → { path } | { code, problem }
 *   new PathSet().add(path, kind) → problem | undefined
 */
import type { PackageLimits } from './package-limits.js';
import {
  PACKAGE_PATH_ABSOLUTE,
  PACKAGE_PATH_INVALID,
  PACKAGE_PATH_TRAVERSAL,
  quotePath,
} from './package-errors.js';

export type PathCheck =
  | { ok: true; path: string }
  | { ok: false; code: typeof PACKAGE_PATH_ABSOLUTE | typeof PACKAGE_PATH_TRAVERSAL | typeof PACKAGE_PATH_INVALID; problem: string };

/**
 * The name of an entry as a plain relative path: a leading `./` (as `tar -C
 * dir .` writes) and a folder's trailing `/` are dropped. Anything else that
 * is not already in that form is refused, not repaired, so a package means
 * exactly one thing.
 */
export function checkEntryPath(name: string, limits: Pick<PackageLimits, 'maxPathLength' | 'maxPathDepth'>): PathCheck {
  if (name.includes('\0')) return invalid('the path contains a NUL character');
  // `\\server\share`, `\x` and `C:x` are absolute (or drive-relative) on Windows.
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) {
    return { ok: false, code: PACKAGE_PATH_ABSOLUTE, problem: 'the path is absolute; every path must be relative to the app folder' };
  }
  // Checked with backslashes read as separators too: Windows tools (and some extractors) do.
  if (name.split(/[/\\]/).includes('..')) {
    return { ok: false, code: PACKAGE_PATH_TRAVERSAL, problem: 'the path has a ".." segment and would leave the app folder' };
  }
  if (name.includes('\\')) return invalid('the path contains a backslash, which Windows reads as a folder separator');
  if (/[\u0000-\u001f\u007f]/.test(name)) return invalid('the path contains a control character');
  if (name.includes('\uFFFD')) return invalid('the path is not valid UTF-8');

  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path === '' || path === '.') return invalid('the path is empty');
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.')) {
    return invalid('the path has an empty or "." segment (write it without "//" or "/./")');
  }
  if (Buffer.byteLength(path) > limits.maxPathLength) {
    return invalid(`the path is longer than ${limits.maxPathLength} bytes`);
  }
  if (segments.length > limits.maxPathDepth) {
    return invalid(`the path is ${segments.length} levels deep, more than ${limits.maxPathDepth}`);
  }
  return { ok: true, path };
}

function invalid(problem: string): PathCheck {
  return { ok: false, code: PACKAGE_PATH_INVALID, problem };
}

export type PathKind = 'file' | 'directory';

/**
 * The paths of one package so far. Keys are case-folded (and NFC-normalised,
 * as macOS file systems compare names), so two paths that land on the same
 * file on a case-insensitive file system are caught; every file's folders are
 * recorded too, so a name cannot be both a file and a folder.
 */
export class PathSet {
  /** Folded path → the path as written, its kind, and whether it was an entry (not only a folder of one). */
  private readonly seen = new Map<string, { path: string; kind: PathKind; entry: boolean }>();

  /** Records `path`; the problem (for PACKAGE_PATH_INVALID) if it clashes with one already there. */
  add(path: string, kind: PathKind): string | undefined {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const isEntry = i === segments.length;
      const problem = this.record(segments.slice(0, i).join('/'), isEntry ? kind : 'directory', isEntry);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  private record(path: string, kind: PathKind, entry: boolean): string | undefined {
    const key = path.normalize('NFC').toLowerCase();
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, { path, kind, entry });
      return undefined;
    }
    if (earlier.path !== path) {
      return `the path differs only in letter case (or Unicode normalisation) from ${quotePath(earlier.path)}; the two would be one file on a case-insensitive file system`;
    }
    if (earlier.kind !== kind) return `${quotePath(path)} is both a file and a folder in the package`;
    if (entry && earlier.entry) return 'the path appears twice in the package';
    // A folder's own entry after the files inside it is fine.
    earlier.entry ||= entry;
    return undefined;
  }
}
