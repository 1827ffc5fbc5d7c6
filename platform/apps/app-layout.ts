import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** What Portier remembers about an installed version, next to its files. */
export interface InstallInfo {
  name: string;
  version: string;
  vendor: string;
  installedAt: number;
  /** The key that signed the package; absent for an unsigned app. */
  signedBy?: { keyId: string; name: string };
  /** SHA-256 of the package file, hex. */
  sha256: string;
}

const STAGING = '.staging';
const VERSIONS = '.versions';
const LINK_PREFIX = '.link-';
const INFO_FILE = 'install.json';
/** In `.versions/<name>/` while an upgrade has swapped in a version that has not yet proved it starts. */
const UPGRADING = 'upgrading.json';
const PACKAGE_DIR = 'package';

/**
 * The apps folder on disk, laid out so that an install or upgrade is one
 * atomic step and a kill at any moment leaves either the old version or the
 * new one, whole:
 *
 *   apps/<name>                          link to the current version's files
 *   apps/.versions/<name>/<id>/package/  one installed version's files
 *   apps/.versions/<name>/<id>/install.json
 *   apps/.versions/<name>/upgrading.json  an upgrade whose new version has not started yet
 *   apps/.staging/<id>/                  a package being written
 *
 * A version is written and flushed in staging, moved into `.versions` with
 * one rename, and made current by renaming a new link over `apps/<name>`.
 * Whatever a kill leaves behind (a staging folder, a version no link points
 * to) is removed by `cleanUp` at the next start, and an upgrade cut off before
 * its new version started is undone, as a failed start would have been.
 */
export class AppLayout {
  constructor(readonly appsDir: string) {}

  /** A new, empty staging folder for one package; its files go in `files`. */
  stage(): { root: string; files: string } {
    const root = join(this.appsDir, STAGING, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`);
    mkdirSync(root, { recursive: true });
    return { root, files: join(root, PACKAGE_DIR) };
  }

  /** Moves a written staging folder into place as a version of `info.name` (not yet current). */
  publish(stagingRoot: string, info: InstallInfo): string {
    const infoFile = join(stagingRoot, INFO_FILE);
    writeFileSync(infoFile, JSON.stringify(info, null, 2), { mode: 0o644 });
    syncFile(infoFile);
    syncDir(stagingRoot);
    const parent = join(this.appsDir, VERSIONS, info.name);
    mkdirSync(parent, { recursive: true });
    const target = join(parent, `${info.version}-${stagingRoot.split('/').pop()!}`);
    renameSync(stagingRoot, target);
    syncDir(parent);
    syncDir(join(this.appsDir, STAGING));
    return target;
  }

  /**
   * The folder of the current version of an app, or undefined when none is
   * installed. Upgrades and uninstalls delete what this names, so only a
   * real version folder of this very app counts: a link Portier did not make
   * (out of the apps folder, into another app's versions, through a linked
   * folder) names nothing.
   */
  current(name: string): string | undefined {
    const link = join(this.appsDir, name);
    let target: string;
    try {
      target = readlinkSync(link);
    } catch {
      return undefined;
    }
    const versions = resolve(this.appsDir, VERSIONS, name);
    const dir = resolve(this.appsDir, target, '..');
    if (basename(resolve(this.appsDir, target)) !== PACKAGE_DIR || dirname(dir) !== versions) return undefined;
    return isRealDirectory(resolve(this.appsDir, VERSIONS)) && isRealDirectory(versions) && isRealDirectory(dir) ? dir : undefined;
  }

  /** The folder the platform loads an app from: its link, which always names the current version. */
  pluginDirectory(name: string): string {
    return join(this.appsDir, name);
  }

  /** Makes a published version current, atomically (a new link renamed over the old one). */
  point(name: string, versionDir: string): void {
    const temporary = join(this.appsDir, `${LINK_PREFIX}${randomBytes(6).toString('hex')}`);
    symlinkSync(relative(this.appsDir, join(versionDir, PACKAGE_DIR)), temporary);
    renameSync(temporary, join(this.appsDir, name));
    syncDir(this.appsDir);
  }

  /**
   * Records, durably, that `to` is about to replace `from` and has not yet
   * started: a crash or power cut before `confirm` goes back to `from` at the
   * next start, as a failed start would have.
   */
  beginUpgrade(name: string, from: string, to: string): void {
    const parent = join(this.appsDir, VERSIONS, name);
    const file = join(parent, UPGRADING);
    writeFileSync(file, JSON.stringify({ from: basename(from), to: basename(to) }));
    syncFile(file);
    syncDir(parent);
  }

  /** The upgrade is settled (the new version runs, or the old one is back): nothing to undo at the next start. */
  endUpgrade(name: string): void {
    const parent = join(this.appsDir, VERSIONS, name);
    rmSync(join(parent, UPGRADING), { force: true });
    syncDir(parent);
  }

  /** Removes the app's link: from here on it is not installed. */
  unpoint(name: string): void {
    unlinkSync(join(this.appsDir, name));
    syncDir(this.appsDir);
  }

  info(versionDir: string): InstallInfo | undefined {
    try {
      return JSON.parse(readFileSync(join(versionDir, INFO_FILE), 'utf8')) as InstallInfo;
    } catch {
      return undefined;
    }
  }

  removeVersion(versionDir: string): void {
    rmSync(versionDir, { recursive: true, force: true });
  }

  removeStaging(stagingRoot: string): void {
    rmSync(stagingRoot, { recursive: true, force: true });
  }

  /** Removes every version of an app (uninstall, after its link is gone). */
  removeAll(name: string): void {
    rmSync(join(this.appsDir, VERSIONS, name), { recursive: true, force: true });
  }

  /** What an interrupted install, upgrade or uninstall left: staging folders, stray links, versions nothing points to. */
  cleanUp(): string[] {
    const removed: string[] = [];
    if (!existsSync(this.appsDir)) return removed;
    const remove = (path: string): void => {
      rmSync(path, { recursive: true, force: true });
      removed.push(relative(this.appsDir, path));
    };
    for (const entry of readdirSync(this.appsDir)) if (entry.startsWith(LINK_PREFIX)) remove(join(this.appsDir, entry));
    // Only real folders are listed and emptied: through a link the removals would reach out of the apps folder.
    // (rmSync removes a link itself, never what it points to.)
    const staging = join(this.appsDir, STAGING);
    if (isRealDirectory(staging)) for (const entry of readdirSync(staging)) remove(join(staging, entry));
    else if (existsSync(staging) || isLink(staging)) remove(staging);
    const versions = join(this.appsDir, VERSIONS);
    if (isRealDirectory(versions)) {
      for (const name of readdirSync(versions)) {
        // Portier makes only folders here; anything else is left alone rather than stop every start.
        if (!isRealDirectory(join(versions, name))) continue;
        this.undoUnconfirmedUpgrade(name, remove);
        const current = this.current(name);
        for (const version of readdirSync(join(versions, name))) {
          const dir = join(versions, name, version);
          if (current === undefined || resolve(current) !== resolve(dir)) remove(dir);
        }
        if (readdirSync(join(versions, name)).length === 0) rmSync(join(versions, name), { recursive: true, force: true });
      }
    }
    return removed;
  }

  /** An upgrade cut short before the new version started: the version that ran before is current again. */
  private undoUnconfirmedUpgrade(name: string, remove: (path: string) => void): void {
    const parent = join(this.appsDir, VERSIONS, name);
    const marker = join(parent, UPGRADING);
    if (!existsSync(marker)) return;
    let upgrade: { from?: unknown; to?: unknown } = {};
    try {
      upgrade = JSON.parse(readFileSync(marker, 'utf8')) as typeof upgrade;
    } catch {
      // A marker cut off mid-write: the link was not swapped yet (the marker is written first), nothing to undo.
    }
    const from = typeof upgrade.from === 'string' && !upgrade.from.includes('/') ? join(parent, upgrade.from) : undefined;
    if (from !== undefined && isRealDirectory(from)) {
      this.point(name, from);
      if (typeof upgrade.to === 'string' && !upgrade.to.includes('/') && upgrade.to !== upgrade.from) remove(join(parent, upgrade.to));
    }
    remove(marker);
  }
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A rename or a new entry is durable only once its folder is flushed. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
