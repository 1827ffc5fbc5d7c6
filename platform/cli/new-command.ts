/**
 * `portier new <name>`: a plugin folder that builds, tests on the harness and
 * packs on its own, written against `portier/sdk` only.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PortierError } from '../../sdk/errors.js';
import { pluginNameSchema } from '../../manifest-schema/schema.js';
import { PLATFORM_API_VERSION } from '../version.js';
import { appFiles, appNames } from './scaffold/app-files.js';

export interface NewCommandOptions {
  /** The folder to create `<name>/` in. */
  directory: string;
  /** The version of the `portier` package the app is written against; its devDependency range starts there. */
  portierVersion: string;
}

export interface NewCommandResult {
  /** Absolute paths of the files written, in order. */
  created: string[];
}

/**
 * Creates `<directory>/<name>/`. Refuses a name the manifest schema would
 * refuse (PLUGIN_NAME_INVALID) and a folder that already exists
 * (FOLDER_EXISTS); either way nothing is written.
 */
export function newCommand(name: string, options: NewCommandOptions): NewCommandResult {
  const checked = pluginNameSchema.safeParse(name);
  if (!checked.success) {
    const why = checked.error.issues.map((issue) => issue.message).join('; ');
    throw new PortierError(
      'PLUGIN_NAME_INVALID',
      `"${name}" cannot be a plugin name: ${why}. Pick a name such as "door-bell" and run \`portier new door-bell\`.`,
    );
  }
  const folder = resolve(options.directory, name);
  if (existsSync(folder)) {
    throw new PortierError(
      'FOLDER_EXISTS',
      `${folder} already exists, and portier new never writes over files. Pick another name, or move that folder away and run it again.`,
    );
  }

  const files = appFiles(appNames(name), { portierRange: caretRange(options.portierVersion), platformRange: caretRange(PLATFORM_API_VERSION) });
  const created: string[] = [];
  mkdirSync(folder, { recursive: true });
  for (const [relativePath, content] of files) {
    const file = join(folder, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
    created.push(file);
  }
  return { created };
}

/** `1.4.2` → `^1.4.2`: that version or a later compatible one. */
function caretRange(version: string): string {
  return `^${version.replace(/^[v=^~]+/, '')}`;
}
