/**
 * Reads and validates a plugin's manifest.json without running any of its
 * code: the kernel, `portier validate` and the app installer all know a plugin
 * from this alone. Every problem found is reported at once, so an author fixes
 * a manifest in one pass rather than one error per run.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ErrorDetail } from '../../sdk/errors.js';
import { manifestSchema, type Manifest } from '../../manifest-schema/schema.js';
import {
  MANIFEST_INVALID,
  MANIFEST_NOT_FOUND,
  MANIFEST_UNREADABLE,
  describeIssues,
  displayPath,
  expectationMessages,
  findJsonSyntaxProblem,
  manifestError,
} from './manifest-errors.js';

export const MANIFEST_FILE_NAME = 'manifest.json';

export interface LoadedManifest {
  manifest: Manifest;
  /** Absolute path of the manifest.json. */
  file: string;
  /** Absolute path of the plugin folder (the manifest's folder). */
  directory: string;
}

/**
 * `path` is a plugin folder or a manifest file. Throws a PortierError with
 * code MANIFEST_NOT_FOUND, MANIFEST_UNREADABLE or MANIFEST_INVALID.
 */
export function loadManifest(path: string): LoadedManifest {
  const file = manifestFileFor(resolve(path));
  const directory = dirname(file);
  const data = parseJson(file, readManifestText(file));

  const result = manifestSchema.safeParse(data, { error: expectationMessages });
  const details = result.success ? [] : describeIssues(result.error.issues, data, manifestSchema);
  const mainProblem = details.some((d) => d.path === '/main') ? undefined : checkMain(data, directory);
  if (mainProblem) details.push(mainProblem);

  if (!result.success || details.length > 0) throw manifestError(MANIFEST_INVALID, file, details);
  return { manifest: result.data, file, directory };
}

function manifestFileFor(path: string): string {
  const stats = statOrUndefined(path);
  if (stats === undefined) {
    throw manifestError(MANIFEST_NOT_FOUND, path, [
      { path: '', message: 'not found (expected a plugin folder or its manifest.json)' },
    ]);
  }
  if (!stats.isDirectory()) return path;
  const file = join(path, MANIFEST_FILE_NAME);
  if (statOrUndefined(file) === undefined) {
    throw manifestError(MANIFEST_NOT_FOUND, file, [{ path: '', message: 'not found (every plugin folder needs one)' }]);
  }
  return file;
}

function readManifestText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw manifestError(MANIFEST_UNREADABLE, file, [{ path: '', message: `cannot be read (${reason})` }]);
  }
}

function parseJson(file: string, text: string): unknown {
  // Some Windows editors save UTF-8 with a byte order mark, which JSON.parse rejects.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const problem = findJsonSyntaxProblem(body);
    const message = problem
      ? `invalid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}`
      : `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    throw manifestError(MANIFEST_INVALID, file, [{ path: '', message }]);
  }
}

/**
 * A source checkout has `index.ts` where a built or packed plugin has
 * `index.js`; the manifest names the `.js` either way.
 */
function checkMain(data: unknown, directory: string): ErrorDetail | undefined {
  const main = (data as { main?: unknown } | null)?.main;
  if (typeof main !== 'string') return undefined;
  const candidates = [main, main.replace(/\.js$/, '.ts')];
  if (candidates.some((candidate) => statOrUndefined(join(directory, candidate))?.isFile())) return undefined;
  return { path: '/main', message: `entry module ${main} not found in ${displayPath(directory)}` };
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
