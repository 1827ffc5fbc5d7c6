import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PortierError, describeError, isPortierError } from '../../sdk/errors.js';
import type { Kernel } from '../kernel.js';
import type { LogLine } from '../logging/plugin-log-book.js';
import { loadManifest } from '../manifest/manifest-loader.js';
import type { PluginSummary } from '../plugins/plugin-record.js';
import { deletePluginData } from '../store/plugin-store.js';
import { AppLayout, type InstallInfo } from './app-layout.js';
import { checkInstallable } from './install-checks.js';
import { type PackageLimits, resolveLimits } from './package/package-limits.js';
import type { PackageSignature } from './package/package-signature.js';
import type { TrustStore } from './trust-store.js';

/** An installed app as the API and CLI show it. */
export interface AppSummary extends PluginSummary {
  installedAt?: number;
  /** The trusted key that signed the installed package; null for an unsigned app. */
  signedBy: { keyId: string; name: string } | null;
}

export interface InstallResult {
  app: AppSummary;
  /** `installed` (new), `upgraded` (from `previousVersion`). */
  outcome: 'installed' | 'upgraded';
  previousVersion?: string;
}

/**
 * Installs, upgrades and removes apps: package files checked in order
 * (readable and within limits, signature, safe to extract, manifest, name,
 * platform, required plugins, hardware) before anything is swapped in, then
 * run through exactly the host code a built-in plugin runs through. One
 * operation at a time; each either completes or leaves the app as it was.
 */
export class AppManager {
  private readonly layout: AppLayout;
  private queue: Promise<unknown> = Promise.resolve();
  readonly limits: PackageLimits;

  constructor(
    private readonly kernel: Kernel,
    appsDir: string,
    private readonly trust: TrustStore,
    limits?: Partial<PackageLimits>,
  ) {
    this.layout = new AppLayout(appsDir);
    this.limits = resolveLimits(limits);
  }

  /** Removes what an interrupted operation left; call before the kernel discovers apps. */
  static cleanUp(appsDir: string): string[] {
    return new AppLayout(appsDir).cleanUp();
  }

  list(): AppSummary[] {
    return this.kernel.host
      .list()
      .filter((p) => !p.builtin && this.layout.current(p.name) !== undefined)
      .map((p) => this.summary(p.name));
  }

  get(name: string): AppSummary {
    this.need(name);
    return this.summary(name);
  }

  /** Installs a package, or upgrades the installed app of the same name and vendor. */
  install(bytes: Buffer, fileName = 'the package'): Promise<InstallResult> {
    return this.exclusive(() => this.installNow(bytes, fileName));
  }

  uninstall(name: string, options: { keepData?: boolean } = {}): Promise<void> {
    return this.exclusive(async () => {
      this.need(name);
      const dependents = this.kernel.host.list().filter((p) => p.name !== name && Object.hasOwn(p.requires, name));
      if (dependents.length > 0) {
        throw new PortierError(
          'APP_REQUIRED_BY_OTHERS',
          `${dependents.map((p) => `"${p.name}"`).join(', ')} ${dependents.length === 1 ? 'requires' : 'require'} "${name}"; uninstall ${dependents.length === 1 ? 'it' : 'them'} first.`,
        );
      }
      await this.kernel.removePlugin(name);
      this.layout.unpoint(name);
      this.layout.removeAll(name);
      if (options.keepData !== true) {
        deletePluginData(this.kernel.db, name);
        this.kernel.db.prepare('DELETE FROM plugin_state WHERE name = ?').run(name);
        this.kernel.pluginLogs.forget(name);
      }
      this.kernel.logger.info({ app: name, keepData: options.keepData === true }, `app ${name} uninstalled`);
    });
  }

  start(name: string): Promise<AppSummary> {
    return this.exclusive(async () => {
      this.need(name);
      const record = this.kernel.host.record(name)!;
      if (!record.enabled) await this.kernel.host.setEnabled(name, true);
      else await this.kernel.host.start(name);
      return this.summary(name);
    });
  }

  /** Stops an app and keeps it stopped across restarts of the intercom, until started again. */
  stop(name: string): Promise<AppSummary> {
    return this.exclusive(async () => {
      this.need(name);
      await this.kernel.host.setEnabled(name, false);
      return this.summary(name);
    });
  }

  restart(name: string): Promise<AppSummary> {
    return this.exclusive(async () => {
      this.need(name);
      await this.kernel.host.restart(name);
      return this.summary(name);
    });
  }

  logs(name: string, limit?: number): LogLine[] {
    this.need(name);
    return this.kernel.pluginLogs.read(name, limit);
  }

  private async installNow(bytes: Buffer, fileName: string): Promise<InstallResult> {
    // The package code (tar, gzip, Ed25519) loads with the first install, not with every start of the intercom.
    const [{ gunzipPackage }, { readSignature }, { readPackage }, { writePackage }] = await Promise.all([
      import('./package/package-compression.js'),
      import('./package/package-signature.js'),
      import('./package/package-reader.js'),
      import('./package/package-extract.js'),
    ]);
    // 1–2: readable and within limits, then the signature, judged on the archive's bytes alone.
    const signedBy = this.checkSignature(readSignature(gunzipPackage(bytes, this.limits)), fileName);
    // 3: safe to extract, every entry checked in memory; nothing is written before this passes.
    const pkg = await readPackage(bytes, this.limits);

    // 4: the manifest, checked by the same loader `portier validate` uses, on the staged files.
    const staging = this.layout.stage();
    let published: string | undefined;
    try {
      await writePackage(pkg.entries, staging.files);
      const manifest = this.loadStagedManifest(staging.files, fileName);

      // 5–8: name, platform range, required plugins, hardware.
      const { upgrade } = checkInstallable(this.kernel, manifest, `${fileName}: manifest.json`);
      // Only an installed version can be upgraded: a plugin folder placed by hand has none to swap out or roll back to.
      if (upgrade && this.layout.current(manifest.name) === undefined) {
        throw new PortierError(
          'APP_NAME_TAKEN',
          `"${manifest.name}" is the name of the plugin in ${this.kernel.host.record(manifest.name)!.directory}, which is not an installed app. Remove that folder and restart Portier, or give this app another name (change "name" in manifest.json).`,
        );
      }
      const info: InstallInfo = {
        name: manifest.name,
        version: manifest.version,
        vendor: manifest.vendor,
        installedAt: this.kernel.clock.now(),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        ...(signedBy === undefined ? {} : { signedBy }),
      };
      published = this.layout.publish(staging.root, info);
      return upgrade ? await this.upgrade(manifest.name, published) : await this.add(manifest.name, published);
    } catch (error) {
      this.layout.removeStaging(staging.root);
      if (published !== undefined && this.layout.current(this.nameIn(published)) !== published) this.layout.removeVersion(published);
      throw error;
    }
  }

  private async add(name: string, versionDir: string): Promise<InstallResult> {
    this.layout.point(name, versionDir);
    let app: PluginSummary;
    try {
      app = await this.kernel.addPlugin(this.layout.pluginDirectory(name));
    } catch (error) {
      // Registration itself failed (it cannot, after the checks, but a kill must not be needed to undo it).
      this.layout.unpoint(name);
      throw error;
    }
    this.kernel.logger.info({ app: name, version: app.version, state: app.state }, `app ${name} ${app.version} installed`);
    return { app: this.summary(name), outcome: 'installed' };
  }

  /**
   * Swaps the new version in and starts it; when it does not reach running,
   * the old version is swapped back and started, and the reply says why.
   */
  private async upgrade(name: string, versionDir: string): Promise<InstallResult> {
    const oldDir = this.layout.current(name)!;
    const previous = this.kernel.host.get(name);
    await this.kernel.removePlugin(name);
    this.layout.beginUpgrade(name, oldDir, versionDir);
    this.layout.point(name, versionDir);
    let app: PluginSummary | undefined;
    let failure: string | undefined;
    try {
      app = await this.kernel.addPlugin(this.layout.pluginDirectory(name));
      // Worse than the old version: it failed, or it does not run where the old one ran. Waiting, as the
      // old version did, for a dependency an administrator stopped is no fault of the new version.
      const worse = app.state === 'failed' || (previous.state === 'running' && app.state !== 'running');
      if (previous.enabled && worse) failure = app.failure === undefined ? `it is ${app.state}` : `${app.failure.code}: ${app.failure.message}`;
    } catch (error) {
      failure = isPortierError(error) ? `${error.code}: ${error.message}` : describeError(error);
    }
    if (failure === undefined) {
      this.layout.endUpgrade(name);
      this.layout.removeVersion(oldDir);
      this.kernel.logger.info({ app: name, from: previous.version, to: app!.version }, `app ${name} upgraded from ${previous.version} to ${app!.version}`);
      return { app: this.summary(name), outcome: 'upgraded', previousVersion: previous.version };
    }

    if (this.kernel.host.record(name) !== undefined) await this.kernel.removePlugin(name);
    this.layout.point(name, oldDir);
    this.layout.endUpgrade(name);
    this.layout.removeVersion(versionDir);
    const restored = await this.kernel.addPlugin(this.layout.pluginDirectory(name));
    const newVersion = app?.version ?? 'the new version';
    this.kernel.pluginLogs.add(name, 'error', `upgrade to ${newVersion} rolled back: ${failure}`);
    this.kernel.logger.warn({ app: name, failure, restored: restored.version, state: restored.state }, `app ${name}: upgrade rolled back`);
    throw new PortierError(
      'APP_START_FAILED',
      `${name} ${newVersion} did not start (${failure}); ${name} ${restored.version} is restored and ${restored.state}. Fix the new version and install it again; its logs are at GET /api/v1/apps/${name}/logs.`,
    );
  }

  private checkSignature(signature: PackageSignature, fileName: string): { keyId: string; name: string } | undefined {
    if (!signature.signed) {
      if (this.trust.allowUnsigned()) return undefined;
      throw new PortierError(
        'SIGNATURE_MISSING',
        `${fileName} is not signed, and this intercom only installs signed apps. Sign it with \`portier sign\` using a key an administrator trusts, or allow unsigned apps (PUT /api/v1/apps/settings {"allowUnsigned": true}).`,
      );
    }
    const key = this.trust.get(signature.keyId);
    if (key === undefined) {
      const signer = signature.signer === undefined ? '' : ` (${signature.signer})`;
      throw new PortierError(
        'SIGNATURE_UNTRUSTED',
        `${fileName} is signed by key ${signature.keyId}${signer}, which this intercom does not trust. An administrator can add its public key with POST /api/v1/apps/trusted-keys.`,
      );
    }
    if (!signature.verify(key.publicKey)) {
      throw new PortierError(
        'SIGNATURE_INVALID',
        `${fileName} does not match its signature by "${key.name}" (${key.keyId}): the package was changed after it was signed. Get an intact copy from its vendor, or sign it again.`,
      );
    }
    return { keyId: key.keyId, name: key.name };
  }

  private loadStagedManifest(directory: string, fileName: string) {
    try {
      return loadManifest(directory).manifest;
    } catch (error) {
      // The loader names the file it read; the user knows the package, not the staging folder.
      if (isPortierError(error)) throw new PortierError(error.code, error.message.split(join(directory, 'manifest.json')).join(`${fileName}: manifest.json`), error.details);
      throw error;
    }
  }

  private summary(name: string): AppSummary {
    const plugin = this.kernel.host.get(name);
    const current = this.layout.current(name);
    const info = current === undefined ? undefined : this.layout.info(current);
    return { ...plugin, ...(info === undefined ? {} : { installedAt: info.installedAt }), signedBy: info?.signedBy ?? null };
  }

  private need(name: string): void {
    const record = this.kernel.host.record(name);
    if (record === undefined || record.builtin || this.layout.current(name) === undefined) {
      throw new PortierError(
        record?.builtin === true ? 'APP_BUILTIN' : 'APP_NOT_FOUND',
        record?.builtin === true
          ? `"${name}" is a built-in plugin, not an app; manage it under /api/v1/plugins.`
          : `No app named "${name}" is installed; GET /api/v1/apps lists them.`,
      );
    }
  }

  private nameIn(versionDir: string): string {
    return versionDir.split('/').at(-2)!;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
