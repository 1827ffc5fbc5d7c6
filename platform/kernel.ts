import 'reflect-metadata';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { type DependencyContainer, type InjectionToken, container as globalContainer } from 'tsyringe';
import type { Clock } from '../sdk/clock.js';
import { PortierError } from '../sdk/errors.js';
import type { PluginInfo } from '../sdk/plugin.js';
import { TOKENS, serviceTokenName } from '../sdk/tokens.js';
import { SystemClock } from './clock/system-clock.js';
import { declareCoreContributions } from './core-contributions.js';
import { EventBus } from './events/event-bus.js';
import { EventLog, type EventLogOptions } from './events/event-log.js';
import { SeqReservation } from './events/seq-reservation.js';
import { AXIS_I8307_VE, type BoardDefinition } from './hardware/board.js';
import type { HardwareDriver } from './hardware/driver.js';
import { PortRegistry } from './hardware/port-registry.js';
import { SimulatedIntercom } from './hardware/simulated-intercom.js';
import { type PinoLogger, createSilentLogger, sdkLogger } from './logging/logger.js';
import { checkCompatibility, formatDetail } from './manifest/compatibility.js';
import { type LoadedManifest, loadManifest } from './manifest/manifest-loader.js';
import { discoverPlugins } from './plugins/plugin-discovery.js';
import { PluginHost, type PluginWiring } from './plugins/plugin-host.js';
import type { PluginRecord, PluginSummary } from './plugins/plugin-record.js';
import { PluginLogBook } from './logging/plugin-log-book.js';
import { AppLayout } from './apps/app-layout.js';
import { PluginRouteRegistry } from './http/plugin-routes/plugin-route-registry.js';
import { PluginClock } from './plugins/scoped/plugin-clock.js';
import { PluginEvents } from './plugins/scoped/plugin-events.js';
import { PluginHttp } from './plugins/scoped/plugin-http.js';
import { PluginPorts } from './plugins/scoped/plugin-ports.js';
import { PluginRules } from './plugins/scoped/plugin-rules.js';
import { PluginSchedules } from './plugins/scoped/plugin-schedules.js';
import type { PluginScope } from './plugins/scoped/plugin-scope.js';
import { PluginServices } from './plugins/scoped/plugin-services.js';
import { PluginSettings } from './plugins/scoped/plugin-settings.js';
import { SettingsService } from './plugins/settings-service.js';
import { ContributionCatalog } from './rules/contribution-catalog.js';
import { RuleEngine } from './rules/rule-engine.js';
import { RuleRepository } from './rules/rule-repository.js';
import { ScheduleService } from './schedules/schedule-service.js';
import { openDatabase } from './store/database.js';
import { SqlitePluginStore } from './store/plugin-store.js';
import { PLATFORM_API_VERSION } from './version.js';

/** Where the built-in plugins live, in a source checkout and in `dist/` alike. */
export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('../plugins/', import.meta.url));

const DATABASE_FILE = 'portier.db';

export interface KernelOptions {
  /** Data folder (database, apps). Without one the store is in memory and nothing persists. */
  dataDir?: string;
  clock?: Clock;
  board?: BoardDefinition;
  /** Defaults to the simulated intercom. */
  driver?: HardwareDriver;
  logger?: PinoLogger;
  /** Folders of plugin folders; defaults to the built-in plugins and `<dataDir>/apps`. */
  pluginDirs?: string[];
  /** Single plugin folders to load besides `pluginDirs` (a third party's plugin under test). */
  pluginPaths?: string[];
  /** Start only these plugins (and nothing else is even registered). */
  only?: string[];
  /** Device time zone for schedules (IANA name). */
  timeZone?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  retry?: { firstDelayMs: number; maxDelayMs: number; maxAttempts: number };
  /** How many events the persisted event log keeps. */
  eventLogCapacity?: number;
}

/**
 * The kernel: knows plugins, ports, events, rules, schedules and storage —
 * never SIP or cards. Everything a feature does, a plugin does.
 */
export class Kernel {
  readonly host: PluginHost;
  readonly rules: RuleEngine;
  readonly events: EventBus;
  readonly eventLog: EventLog;
  readonly ports: PortRegistry;
  readonly schedules: ScheduleService;
  readonly settings: SettingsService;
  readonly catalog: ContributionCatalog;
  /** Handlers running plugins serve for the routes their manifests declare (see platform/http/plugin-routes). */
  readonly pluginRoutes = new PluginRouteRegistry();
  private zone: string | undefined;
  /** The recent log lines of each plugin, for GET /api/v1/apps/{name}/logs. */
  readonly pluginLogs: PluginLogBook;
  /** Manifests that could not be loaded at all, with why. */
  readonly loadErrors: { directory: string; error: PortierError }[] = [];
  private readonly provided: PluginWiring['provided'] = new Map();
  private readonly container: DependencyContainer;
  private closed = false;

  private constructor(
    readonly options: KernelOptions,
    readonly clock: Clock,
    readonly logger: PinoLogger,
    readonly db: Database.Database,
    readonly board: BoardDefinition,
    readonly driver: HardwareDriver,
  ) {
    this.container = globalContainer.createChildContainer();
    const log = sdkLogger(logger.child({ component: 'kernel' }));
    this.pluginLogs = new PluginLogBook(() => clock.now());
    this.catalog = new ContributionCatalog();
    const logOptions: EventLogOptions = {
      capacity: options.eventLogCapacity ?? 10_000,
      onError: (error) => logger.error({ err: error }, 'event log write failed'),
    };
    this.eventLog = new EventLog(db, logOptions);
    this.events = new EventBus(clock, new SeqReservation(db, this.eventLog.lastSeq()), (error, event) =>
      logger.error({ err: error, type: event.type, seq: event.seq }, 'a platform listener failed on an event'),
    );
    this.ports = new PortRegistry(board, driver);
    this.settings = new SettingsService(db);
    this.zone = options.timeZone;
    this.schedules = new ScheduleService(db, clock, () => this.timeZone);

    let host: PluginHost | undefined;
    this.rules = new RuleEngine({
      catalog: this.catalog,
      repository: new RuleRepository(db),
      guard: {
        run: (plugin, where, work, fallback) => (plugin === 'core' ? work() : host!.run(plugin, where, work, fallback)),
        whyNotRunning: (plugin) => host!.whyNotRunning(plugin),
      },
      clock,
      logger: sdkLogger(logger.child({ component: 'rules' })),
      onActionFailed: (failure) => this.events.emit('core/action-failed', failure),
      eventAvailable: (type) => this.events.definition(type) !== undefined,
    });
    this.events.addFirstListener((event) => this.eventLog.append(event));
    this.events.addFirstListener((event) => this.rules.onEvent(event));

    host = new PluginHost(
      this.container,
      db,
      clock,
      log,
      { registerScoped: (c, scope, record) => this.registerScoped(c, scope, record), provided: this.provided, rules: this.rules },
      {
        startTimeoutMs: options.startTimeoutMs ?? 10_000,
        stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
        retry: options.retry ?? { firstDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 5 },
      },
    );
    this.host = host;
    host.onStateChange((summary) => {
      if (this.closed) return;
      if (summary.failure !== undefined && summary.state === 'failed') {
        this.pluginLogs.add(summary.name, 'error', `${summary.state}: ${summary.failure.message}`, { code: summary.failure.code, where: summary.failure.where });
      } else this.pluginLogs.add(summary.name, 'info', summary.note === undefined ? summary.state : `${summary.state} (${summary.note})`);
      const payload: Record<string, unknown> = { plugin: summary.name, state: summary.state };
      if (summary.failure !== undefined) payload.reason = summary.failure.message;
      this.events.emit('core/plugin-state', payload);
    });
    declareCoreContributions(this.catalog, this.events, this.schedules);
    // A deleted schedule or a renamed port can leave a rule pointing at nothing:
    // check the rules again, so such a rule shows unbound with the reason.
    this.schedules.onEdit(() => this.rules.rebindAll());
    this.settings.onSaved(() => this.rules.rebindAll());
  }

  /** Opens the store and discovers plugins; `start()` starts them. */
  static async create(options: KernelOptions = {}): Promise<Kernel> {
    const clock = options.clock ?? new SystemClock();
    const logger = options.logger ?? createSilentLogger();
    const board = options.board ?? AXIS_I8307_VE;
    const driver = options.driver ?? new SimulatedIntercom(board);
    const db = openDatabase(options.dataDir === undefined ? ':memory:' : join(options.dataDir, DATABASE_FILE));
    const kernel = new Kernel(options, clock, logger, db, board, driver);
    // What a kill in the middle of an install, upgrade or uninstall left behind goes before apps are discovered.
    if (kernel.appsDir !== undefined) {
      const removed = new AppLayout(kernel.appsDir).cleanUp();
      if (removed.length > 0) logger.warn({ removed }, 'apps: removed what an interrupted install left');
    }
    kernel.discover();
    return kernel;
  }

  /**
   * The IANA time zone schedules run in. Asked of Intl on first use, not at
   * boot: ICU's first DateTimeFormat costs ~20 ms, and a device with no
   * schedule never needs it on its way to ready.
   */
  get timeZone(): string {
    this.zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    return this.zone;
  }

  get appsDir(): string | undefined {
    return this.options.dataDir === undefined ? undefined : join(this.options.dataDir, 'apps');
  }

  /** A service a running plugin provides (see sdk/services), as its dependents get it. */
  service<T>(token: InjectionToken<T>): T | undefined {
    const name = serviceTokenName(token);
    return name === undefined ? undefined : (this.provided.get(name)?.implementation as T | undefined);
  }

  /** The simulated intercom, when that is the driver. */
  get simulator(): SimulatedIntercom | undefined {
    return this.driver instanceof SimulatedIntercom ? this.driver : undefined;
  }

  async start(): Promise<void> {
    this.schedules.load();
    this.rules.load();
    await this.host.startAll();
  }

  /** Stops plugins in reverse dependency order, then closes the store. */
  async stop(): Promise<void> {
    if (this.closed) return;
    await this.host.stopAll();
    this.closed = true;
    this.rules.stop();
    this.schedules.stop();
    await this.eventLog.close();
    this.driver.close();
    this.db.close();
  }

  private discover(): void {
    const dirs = this.options.pluginDirs ?? [BUILTIN_PLUGINS_DIR, ...(this.appsDir === undefined ? [] : [this.appsDir])];
    const builtinDir = BUILTIN_PLUGINS_DIR;
    const found: { loaded: LoadedManifest; builtin: boolean }[] = [];
    for (const dir of dirs) {
      const result = discoverPlugins(dir);
      this.loadErrors.push(...result.errors);
      for (const loaded of result.found) {
        if (this.options.only !== undefined && !this.options.only.includes(loaded.manifest.name)) continue;
        found.push({ loaded, builtin: dir === builtinDir });
      }
    }
    for (const path of this.options.pluginPaths ?? []) {
      try {
        found.push({ loaded: loadManifest(path), builtin: false });
      } catch (error) {
        this.loadErrors.push({ directory: path, error: error as PortierError });
      }
    }
    for (const { loaded, builtin } of found) {
      try {
        this.registerPlugin(loaded, builtin);
      } catch (error) {
        this.loadErrors.push({ directory: loaded.directory, error: error as PortierError });
      }
    }
    for (const { directory, error } of this.loadErrors) {
      this.logger.error({ directory, code: error.code }, error.message);
    }
  }

  /**
   * Adds a plugin from its folder while the platform runs (an app just
   * installed or upgraded) and starts it when enabled; the summary says how
   * that went. The same path as a plugin found at start.
   */
  async addPlugin(directory: string): Promise<PluginSummary> {
    const loaded = loadManifest(directory);
    this.registerPlugin(loaded, false);
    const record = this.host.record(loaded.manifest.name)!;
    if (record.enabled && record.refused === undefined) await this.host.start(loaded.manifest.name);
    this.rules.rebindAll();
    return this.host.get(loaded.manifest.name);
  }

  /**
   * Stops a plugin and forgets it (uninstall, or the old version during an
   * upgrade). Rules that use it stay, unbound, saying it is not installed.
   */
  async removePlugin(name: string): Promise<void> {
    await this.host.stop(name);
    this.host.unregister(name);
    this.catalog.undeclarePlugin(name);
    this.rules.rebindAll();
  }

  private registerPlugin(loaded: LoadedManifest, builtin: boolean): void {
    if (loaded.manifest.name === 'core') {
      throw new PortierError('PLUGIN_NAME_RESERVED', formatDetail(loaded.file, { path: '/name', message: '"core" is reserved for the platform\'s own events and conditions' }));
    }
    this.host.register(loaded, builtin);
    this.catalog.declarePlugin(loaded.manifest);
    const platformProblem = checkCompatibility(loaded.manifest, loaded.file, new Map(), PLATFORM_API_VERSION).find((d) => d.path === '/platform');
    if (platformProblem !== undefined) {
      this.host.refuse(loaded.manifest.name, 'PLATFORM_MISMATCH', formatDetail(loaded.file, platformProblem));
    }
  }

  private registerScoped(c: DependencyContainer, scope: PluginScope, record: PluginRecord): void {
    const m = record.manifest;
    const info: PluginInfo = { name: m.name, version: m.version, displayName: m.displayName, directory: record.directory };
    c.register(TOKENS.plugin, { useValue: info });
    c.register(TOKENS.logger, { useValue: this.pluginLogs.recording(m.name, sdkLogger(this.logger.child({ plugin: m.name })), this.logger.isLevelEnabled('debug')) });
    c.register(TOKENS.clock, { useValue: new PluginClock(this.clock, scope) });
    c.register(TOKENS.store, { useValue: new SqlitePluginStore(this.db, m.name) });
    c.register(TOKENS.settings, { useValue: new PluginSettings(this.settings, scope) });
    c.register(TOKENS.ports, { useValue: new PluginPorts(this.ports, scope) });
    c.register(TOKENS.events, { useValue: new PluginEvents(this.events, this.catalog, scope) });
    c.register(TOKENS.rules, { useValue: new PluginRules(this.catalog, scope) });
    c.register(TOKENS.schedules, { useValue: new PluginSchedules(this.schedules, scope) });
    c.register(TOKENS.services, { useValue: new PluginServices(this.provided, scope) });
    c.register(TOKENS.http, { useValue: new PluginHttp(this.pluginRoutes, scope) });
  }
}
