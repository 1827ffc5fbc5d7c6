import type Database from 'better-sqlite3';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Clock } from '../../sdk/clock.js';
import { PortierError, describeError, isPortierError } from '../../sdk/errors.js';
import type { Logger } from '../../sdk/logger.js';
import { displayPath } from '../manifest/manifest-errors.js';
import type { LoadedManifest } from '../manifest/manifest-loader.js';
import type { PluginGuard } from '../rules/rule-engine.js';
import { resolveStartOrder } from './dependency-graph.js';
import { instantiatePlugin } from './plugin-container.js';
import { loadPluginClass } from './plugin-loader.js';
import { type PluginFailure, type PluginRecord, type PluginSummary, summarize } from './plugin-record.js';
import { PluginScope } from './scoped/plugin-scope.js';

/** The kernel services the host wires into each plugin's container. */
export interface PluginWiring {
  /** Registers the plugin-scoped services (logger, store, ports…) in its container. */
  registerScoped(container: DependencyContainer, scope: PluginScope, record: PluginRecord): void;
  /** Services provided by running plugins, by token name. */
  provided: Map<string, { token: InjectionToken<unknown>; implementation: unknown; plugin: string }>;
  /** Rules that use a plugin's contributions are unbound before it stops, and rebound after it starts. */
  rules: { rebindAll(): void; unbindPlugin(plugin: string, why: string): void };
}

export interface PluginHostOptions {
  startTimeoutMs: number;
  stopTimeoutMs: number;
  retry: { firstDelayMs: number; maxDelayMs: number; maxAttempts: number };
}

/** Failures that will fail the same way next time; retrying them only adds noise. */
const PERMANENT = new Set([
  'CONTRIBUTION_UNDECLARED',
  'CONTRIBUTION_MISMATCH',
  'PORT_CLAIMED',
  'SERVICE_PROVIDED',
  'PORT_UNKNOWN',
  'PORT_KIND_NOT_DECLARED',
  'PORT_KIND_MISMATCH',
  'PORT_DRIVER_MISSING',
  'PLUGIN_LOAD_FAILED',
  'PLUGIN_ENTRY_INVALID',
  'PLUGIN_NOT_INJECTABLE',
  'PLUGIN_INJECTION_FAILED',
  'PLUGIN_CONSTRUCTOR_FAILED',
  'SETTINGS_INVALID',
  'SETTINGS_BOUND',
  'PERMISSION_MISSING',
  'DEPENDENCY_MISSING',
  'DEPENDENCY_VERSION_MISMATCH',
  'DEPENDENCY_CYCLE',
  'DEPENDENCY_UNAVAILABLE',
  'DEPENDENCY_NOT_RUNNING',
  'MANIFEST_INVALID',
]);

/**
 * Installed plugins and their lifecycle: installed → resolved → starting →
 * running → stopping → stopped, or failed with the reason. Every call into
 * plugin code runs inside its scope's error boundary; a failing plugin is
 * stopped with its dependents, and everything else keeps running.
 */
export class PluginHost implements PluginGuard {
  private readonly records = new Map<string, PluginRecord>();
  private readonly stateListeners: ((summary: PluginSummary) => void)[] = [];
  private readonly enabledRead: Database.Statement<[string], { enabled: number }>;
  private readonly enabledWrite: Database.Statement<[string, number]>;
  private stopping = false;

  constructor(
    private readonly root: DependencyContainer,
    db: Database.Database,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly wiring: PluginWiring,
    private readonly options: PluginHostOptions,
  ) {
    this.enabledRead = db.prepare('SELECT enabled FROM plugin_state WHERE name = ?');
    this.enabledWrite = db.prepare(
      `INSERT INTO plugin_state (name, enabled, settings) VALUES (?, ?, NULL)
       ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled`,
    );
  }

  /** Adds a discovered plugin (state `installed`). Two plugins may not share a name. */
  register(loaded: LoadedManifest, builtin: boolean): PluginRecord {
    const name = loaded.manifest.name;
    const existing = this.records.get(name);
    if (existing !== undefined) {
      throw new PortierError(
        'PLUGIN_NAME_TAKEN',
        `Two plugins are named "${name}": ${displayPath(existing.file)} and ${displayPath(loaded.file)}; plugin names must be unique.`,
      );
    }
    const row = this.enabledRead.get(name);
    const record: PluginRecord = {
      manifest: loaded.manifest,
      directory: loaded.directory,
      file: loaded.file,
      builtin,
      enabled: row === undefined ? true : row.enabled === 1,
      state: 'installed',
      attempts: 0,
    };
    if (!record.enabled) record.note = 'disabled';
    this.records.set(name, record);
    return record;
  }

  /** Marks a registered plugin as unable to start, for a reason found outside the host (platform range). */
  refuse(name: string, code: string, message: string): void {
    const record = this.need(name);
    record.refused = { code, message, where: 'manifest', at: this.clock.now(), transient: false };
    this.setFailed(record, record.refused);
  }

  /** Forgets a stopped plugin (uninstall). */
  unregister(name: string): void {
    const record = this.need(name);
    if (record.state === 'running' || record.state === 'starting' || record.state === 'stopping') {
      throw new PortierError('PLUGIN_RUNNING', `Plugin "${name}" is ${record.state}; stop it before removing it.`);
    }
    this.cancelRetry(record);
    this.records.delete(name);
  }

  list(): PluginSummary[] {
    return [...this.records.values()].map(summarize).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): PluginSummary {
    return summarize(this.need(name));
  }

  record(name: string): PluginRecord | undefined {
    return this.records.get(name);
  }

  onStateChange(listener: (summary: PluginSummary) => void): void {
    this.stateListeners.push(listener);
  }

  /** Starts every enabled plugin, dependencies first. */
  async startAll(): Promise<void> {
    this.stopping = false;
    const { order, problems } = this.resolve();
    for (const [name, problem] of problems) {
      const record = this.records.get(name)!;
      if (record.enabled && record.refused === undefined) this.setFailed(record, { code: problem.code, message: problem.message, where: 'dependencies', at: this.clock.now(), transient: false });
    }
    for (const name of order) {
      const record = this.records.get(name)!;
      if (record.enabled && record.state !== 'running') await this.startOne(record);
    }
  }

  /** Stops every running plugin, dependents first. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const record of this.records.values()) this.cancelRetry(record);
    const { order } = this.resolve();
    const rest = [...this.records.keys()].filter((n) => !order.includes(n));
    for (const name of [...order, ...rest].reverse()) {
      const record = this.records.get(name)!;
      if (record.state === 'running' || record.state === 'starting') await this.stopOne(record, 'stopped', 'the platform is stopping');
    }
  }

  async start(name: string): Promise<PluginSummary> {
    const record = this.need(name);
    if (!record.enabled) {
      throw new PortierError('PLUGIN_DISABLED', `Plugin "${name}" is disabled; enable it to start it.`);
    }
    this.refuseWhileStopping(record);
    this.cancelRetry(record);
    record.attempts = 0;
    await this.startOne(record);
    return summarize(record);
  }

  async stop(name: string): Promise<PluginSummary> {
    const record = this.need(name);
    this.cancelRetry(record);
    await this.stopOne(record, 'stopped', 'stopped by request');
    return summarize(record);
  }

  async restart(name: string): Promise<PluginSummary> {
    await this.stop(name);
    return this.start(name);
  }

  /** Enabled plugins start with the platform; the choice is stored (features per site). */
  async setEnabled(name: string, enabled: boolean): Promise<PluginSummary> {
    const record = this.need(name);
    if (enabled) this.refuseWhileStopping(record);
    this.enabledWrite.run(name, enabled ? 1 : 0);
    record.enabled = enabled;
    if (enabled) {
      delete record.note;
      record.attempts = 0;
      await this.startOne(record);
    } else {
      this.cancelRetry(record);
      await this.stopOne(record, 'stopped', 'disabled');
      record.note = 'disabled';
    }
    return summarize(record);
  }

  // ---- PluginGuard ----------------------------------------------------------

  run<T>(plugin: string, where: string, work: () => T, fallback: T): T {
    const scope = this.records.get(plugin)?.scope;
    if (scope === undefined || scope.closed) return fallback;
    return scope.run(where, work, fallback);
  }

  whyNotRunning(plugin: string): string | undefined {
    const record = this.records.get(plugin);
    if (record === undefined) return 'is not installed';
    if (record.state === 'running') return undefined;
    if (!record.enabled) return 'is disabled';
    if (record.state === 'failed') return `failed: ${record.failure?.message ?? 'unknown error'}`;
    return `is ${record.state}`;
  }

  // ---------------------------------------------------------------------------

  private resolve(): ReturnType<typeof resolveStartOrder> {
    return resolveStartOrder(
      [...this.records.values()].map((r) => ({ name: r.manifest.name, version: r.manifest.version, requires: r.manifest.requires, file: r.file, builtin: r.builtin })),
    );
  }

  /**
   * A new run cannot begin until the last one's teardown has closed its scope:
   * until then the old run still holds its ports and listeners, and the
   * teardown would close the new run's scope in its place.
   */
  private refuseWhileStopping(record: PluginRecord): void {
    if (record.state === 'stopping') {
      throw new PortierError('PLUGIN_STOPPING', `Plugin "${record.manifest.name}" is still stopping; start it again once it has stopped.`);
    }
  }

  private async startOne(record: PluginRecord): Promise<void> {
    const name = record.manifest.name;
    if (record.state === 'running' || record.state === 'starting' || record.state === 'stopping' || this.stopping) return;
    if (record.refused !== undefined) {
      this.setFailed(record, record.refused);
      return;
    }
    const problem = this.resolve().problems.get(name);
    if (problem !== undefined) {
      this.setFailed(record, { code: problem.code, message: problem.message, where: 'dependencies', at: this.clock.now(), transient: false });
      return;
    }
    for (const dependency of Object.keys(record.manifest.requires)) {
      const why = this.whyNotRunning(dependency);
      if (why !== undefined && this.records.get(dependency)?.state !== 'failed') {
        // Not a fault of this plugin: it waits, stopped, and starts with its dependency.
        delete record.failure;
        record.note = `waiting for "${dependency}", which ${why}`;
        this.setState(record, 'stopped');
        return;
      }
      if (why !== undefined) {
        this.setFailed(record, {
          code: 'DEPENDENCY_NOT_RUNNING',
          message: `Plugin "${name}" requires "${dependency}", which ${why}`,
          where: 'dependencies',
          at: this.clock.now(),
          transient: false,
        });
        return;
      }
    }
    this.setState(record, 'resolved');
    this.setState(record, 'starting');
    delete record.failure;
    delete record.note;

    let faulted: PluginFailure | undefined;
    const scope = new PluginScope(record.manifest, (error, where) => {
      const failure = this.failureFrom(error, name, where);
      if (record.state === 'starting') faulted ??= failure;
      else {
        this.logger.debug('plugin fault', { plugin: name, where, err: error });
        void this.fail(record, failure);
      }
    });
    record.scope = scope;
    // A stop, disable or shutdown while this run loads or starts tears it down and
    // settles the state itself; what this run does after its awaits must not undo that
    // (mark it running, or fail it and schedule a retry that starts it again).
    const superseded = (): boolean => record.scope !== scope;
    try {
      const pluginClass = await loadPluginClass(record.manifest, record.directory);
      if (superseded()) return;
      const container = this.root.createChildContainer();
      this.wiring.registerScoped(container, scope, record);
      for (const dependency of Object.keys(record.manifest.requires)) {
        for (const service of this.wiring.provided.values()) {
          if (service.plugin === dependency) container.register(service.token, { useValue: service.implementation });
        }
      }
      const instance = instantiatePlugin(container, pluginClass, name);
      record.instance = instance;
      if (instance.start !== undefined) {
        await this.withTimeout(Promise.resolve().then(() => instance.start!()), this.options.startTimeoutMs, () =>
          new PortierError('PLUGIN_START_TIMEOUT', `Plugin "${name}" did not finish start() within ${this.options.startTimeoutMs} ms; it was stopped.`),
        );
      }
      if (superseded()) return;
      if (faulted !== undefined) throw faulted;
    } catch (error) {
      if (superseded()) return;
      const failure = isFailure(error) ? error : this.failureFrom(error, name, record.instance === undefined ? 'load' : 'start()');
      // The stack is for the author; the record keeps the message for integrators.
      this.logger.error('plugin could not start', { plugin: name, code: failure.code, error: failure.message, err: isFailure(error) ? undefined : error });
      await this.teardown(record, false);
      this.setFailed(record, failure);
      this.scheduleRetry(record);
      return;
    }
    record.runningSince = this.clock.now();
    this.setState(record, 'running');
    this.logger.info('plugin running', { plugin: name, version: record.manifest.version });
    this.wiring.rules.rebindAll();
    await this.startWaitingDependents(name);
  }

  /** Dependents that failed only because this plugin was not running get another go. */
  private async startWaitingDependents(name: string): Promise<void> {
    for (const record of this.records.values()) {
      if (!record.enabled || !(name in record.manifest.requires)) continue;
      // Only those waiting for a dependency: one not tried yet is startAll's, in dependency order.
      const waiting =
        (record.state === 'failed' && record.failure?.code === 'DEPENDENCY_NOT_RUNNING') ||
        (record.state === 'stopped' && (record.note?.startsWith('stopped because') === true || record.note?.startsWith('waiting for') === true));
      if (waiting) await this.startOne(record);
    }
  }

  private async stopOne(record: PluginRecord, finalState: 'stopped' | 'failed', why: string): Promise<void> {
    const name = record.manifest.name;
    if (record.state !== 'running' && record.state !== 'starting') {
      if (finalState === 'stopped' && record.state === 'failed') {
        delete record.failure;
        this.setState(record, 'stopped');
      }
      return;
    }
    for (const dependent of this.records.values()) {
      if (name in dependent.manifest.requires && (dependent.state === 'running' || dependent.state === 'starting')) {
        await this.stopOne(dependent, 'stopped', `stopped because "${name}" stopped`);
        dependent.note = `stopped because "${name}" ${finalState === 'failed' ? 'failed' : 'stopped'}`;
      }
    }
    this.setState(record, 'stopping');
    await this.teardown(record, true);
    if (finalState === 'stopped') {
      record.note = why;
      this.setState(record, 'stopped');
    }
    this.wiring.rules.rebindAll();
  }

  /** Ends a run: rules first (actions end while ports are held), then stop(), then the scope. */
  private async teardown(record: PluginRecord, callStop: boolean): Promise<void> {
    const name = record.manifest.name;
    // A start that works but faults soon after is no recovery; a run longer than the longest retry delay is.
    if (record.runningSince !== undefined && this.clock.now() - record.runningSince >= this.options.retry.maxDelayMs) record.attempts = 0;
    delete record.runningSince;
    this.wiring.rules.unbindPlugin(name, `plugin "${name}" stopped`);
    const instance = record.instance;
    if (callStop && instance?.stop !== undefined && record.scope !== undefined && !record.scope.closed) {
      try {
        await this.withTimeout(Promise.resolve().then(() => instance.stop!()), this.options.stopTimeoutMs, () =>
          new PortierError('PLUGIN_STOP_TIMEOUT', `Plugin "${name}" did not finish stop() within ${this.options.stopTimeoutMs} ms.`),
        );
      } catch (error) {
        this.logger.error('plugin failed to stop cleanly', { plugin: name, error: describeError(error) });
      }
    }
    record.scope?.close();
    delete record.scope;
    delete record.instance;
  }

  private async fail(record: PluginRecord, failure: PluginFailure): Promise<void> {
    if (record.state !== 'running') return;
    this.logger.error('plugin failed', { plugin: record.manifest.name, code: failure.code, error: failure.message });
    record.failure = failure;
    await this.stopOne(record, 'failed', failure.message);
    this.setFailed(record, failure);
    this.scheduleRetry(record);
  }

  private scheduleRetry(record: PluginRecord): void {
    const failure = record.failure;
    if (failure === undefined || !failure.transient || this.stopping || !record.enabled) return;
    const { firstDelayMs, maxDelayMs, maxAttempts } = this.options.retry;
    record.attempts++;
    if (record.attempts > maxAttempts) {
      record.note = `gave up after ${maxAttempts} retries; fix the cause and start it again`;
      this.emitState(record);
      return;
    }
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** (record.attempts - 1));
    record.note = `retry ${record.attempts} of ${maxAttempts} in ${Math.round(delay / 1000)} s`;
    this.emitState(record);
    record.retry = this.clock.setTimeout(() => {
      delete record.retry;
      void this.startOne(record);
    }, delay);
  }

  private cancelRetry(record: PluginRecord): void {
    if (record.retry !== undefined) this.clock.clearTimeout(record.retry);
    delete record.retry;
  }

  private failureFrom(error: unknown, name: string, where: string): PluginFailure {
    const at = this.clock.now();
    if (isPortierError(error)) {
      return { code: error.code, message: error.message, where, at, transient: !PERMANENT.has(error.code) };
    }
    const code = where === 'load' ? 'PLUGIN_LOAD_FAILED' : where === 'start()' ? 'PLUGIN_START_FAILED' : 'PLUGIN_FAULT';
    return { code, message: `Plugin "${name}" failed in ${where}: ${describeError(error)}`, where, at, transient: true };
  }

  /** Marks a plugin failed; rules that use it now give this failure as their reason. */
  private setFailed(record: PluginRecord, failure: PluginFailure): void {
    record.failure = failure;
    this.setState(record, 'failed');
    this.wiring.rules.rebindAll();
  }

  private setState(record: PluginRecord, state: PluginRecord['state']): void {
    record.state = state;
    this.emitState(record);
  }

  private emitState(record: PluginRecord): void {
    const summary = summarize(record);
    for (const listener of this.stateListeners) listener(summary);
  }

  private withTimeout(work: Promise<void>, ms: number, onTimeout: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(onTimeout()), ms);
      work.then(
        () => {
          this.clock.clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          this.clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private need(name: string): PluginRecord {
    const record = this.records.get(name);
    if (record === undefined) {
      throw new PortierError('PLUGIN_NOT_FOUND', `There is no plugin named "${name}" (installed: ${[...this.records.keys()].sort().join(', ') || 'none'}).`);
    }
    return record;
  }
}

function isFailure(value: unknown): value is PluginFailure {
  return typeof value === 'object' && value !== null && 'where' in value && 'transient' in value && 'code' in value;
}
