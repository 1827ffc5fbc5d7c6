import 'reflect-metadata';
import type { InjectionToken } from 'tsyringe';
import { BUILTIN_PLUGINS_DIR, Kernel, type KernelOptions } from '../../platform/kernel.js';
import { discoverPlugins } from '../../platform/plugins/plugin-discovery.js';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import type { SimulatedCardSpec } from '../../platform/hardware/simulated-card.js';
import {
  type ReaderFeedbackRecord,
  SimulatedIntercom,
  type WiegandTrainRecord,
} from '../../platform/hardware/simulated-intercom.js';
import type { PinEntry, PresentedCard, ReaderConnectorMode, Rs485BaudRate, Unsubscribe } from '../ports.js';
import type { PluginSummary } from '../../platform/plugins/plugin-record.js';
import type { Rule } from '../../platform/rules/rule-schema.js';
import type { Schedule } from '../schedules.js';
import type { PortierEvent } from '../events.js';
import { PortierError, isPortierError } from '../errors.js';
import type { HttpMethod, HttpRole } from '../http.js';
import { statusFor } from '../../platform/http/api-error.js';
import { callPluginRoute, matchPluginRoute, routeNotFound } from '../../platform/http/plugin-routes/plugin-route-dispatcher.js';
import { roleAllows } from '../../platform/http/roles.js';
import { sdkLogger } from '../../platform/logging/logger.js';
import { FakeClock } from './fake-clock.js';

export interface HarnessOptions {
  /** Built-in plugins to load, by name; default: none. */
  plugins?: string[];
  /** Your own plugin folders (each holding a manifest.json). */
  pluginPaths?: string[];
  /** Settings to store before start, by plugin name. */
  settings?: Record<string, unknown>;
  /** Where fake time starts; default Monday 2026-01-05 09:00 UTC. */
  startTime?: Date | number;
  timeZone?: string;
  /** A data folder, to test what survives a restart; default in memory. */
  dataDir?: string;
  /** Kernel options to override (time limits, retry policy, event log size). */
  kernel?: Partial<KernelOptions>;
}

/** How a card is held to the reader in the harness. */
export interface CardHold {
  /** How long the card stays in the field, in fake time; default 500 ms (a swipe). `Infinity`: until `removeCard()`. */
  holdMs?: number;
}

export interface ReaderConnectorReading {
  /** `off` while no plugin holds the connector. */
  mode: ReaderConnectorMode | 'off';
  baudRate: Rs485BaudRate;
  owner?: string;
}

export interface RelayReading {
  /** The relay's logical state as its owner set it (door unlocked). */
  active: boolean;
  /** The physical contact, after the normal state is applied. */
  contactClosed: boolean;
  owner?: string;
}

/**
 * A whole Portier in memory: the kernel, the simulated intercom, a fake
 * clock, and the plugins you name. Drive the intercom, move time, and read
 * what happened — no hardware, no network.
 */
export class Harness {
  private readonly recorded: PortierEvent[] = [];

  private constructor(
    readonly kernel: Kernel,
    readonly clock: FakeClock,
    readonly simulator: SimulatedIntercom,
  ) {
    kernel.events.on('*', (event) => this.recorded.push(event));
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const startTime = options.startTime instanceof Date ? options.startTime.getTime() : options.startTime;
    const clock = new FakeClock(startTime);
    const kernelOptions: KernelOptions = {
      clock,
      only: [...(options.plugins ?? [])],
      pluginPaths: options.pluginPaths ?? [],
      timeZone: options.timeZone ?? 'UTC',
      ...options.kernel,
    };
    // The simulator runs on the fake clock too: cards and PINs are stamped, and cards leave, in fake time.
    kernelOptions.driver ??= new SimulatedIntercom(kernelOptions.board ?? AXIS_I8307_VE, { clock: kernelOptions.clock ?? clock });
    if (options.dataDir !== undefined) kernelOptions.dataDir = options.dataDir;
    const kernel = await Kernel.create(kernelOptions);
    const unknown = (options.plugins ?? []).filter((name) => kernel.host.record(name) === undefined);
    if (unknown.length > 0) {
      // Otherwise the harness boots without them and the test fails later, far from the cause.
      await kernel.stop();
      throw unknownPlugins(unknown, kernel.loadErrors.map((e) => e.error.message));
    }
    for (const [plugin, value] of Object.entries(options.settings ?? {})) kernel.settings.save(plugin, value);
    const simulator = kernel.simulator;
    if (simulator === undefined) throw new PortierError('HARNESS_NO_SIMULATOR', 'The harness needs the simulated intercom as driver.');
    const harness = new Harness(kernel, clock, simulator);
    await kernel.start();
    return harness;
  }

  // ---- time --------------------------------------------------------------

  now(): number {
    return this.clock.now();
  }

  /** Moves fake time forward, running every timer due on the way. */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms);
  }

  advanceSeconds(seconds: number): Promise<void> {
    return this.clock.advance(seconds * 1000);
  }

  // ---- the intercom ------------------------------------------------------

  /** Closes (true) or opens (false) the contact wired to an I/O input (`io-1`…). */
  setInput(port: string, closed: boolean): void {
    this.simulator.setInput(port, closed);
  }

  pressButton(port: 'control-button' | 'call-button' = 'control-button'): void {
    this.simulator.pressButton(port);
  }

  relay(port: string): RelayReading {
    const contactClosed = this.simulator.relayContactClosed(port);
    const holder = this.kernel.ports.handle(port);
    const reading: RelayReading = { active: holder?.kind === 'relay' ? holder.active : false, contactClosed };
    const owner = this.kernel.ports.holder(port)?.owner;
    if (owner !== undefined) reading.owner = owner;
    return reading;
  }

  ioLine(port: string): { direction: 'input' | 'output'; grounded: boolean } {
    return this.simulator.ioLine(port);
  }

  // ---- the card reader and the reader connector ----------------------------

  /**
   * Holds a card to the RFID reader (`{ chipType, uid, protectedData? }`);
   * it leaves after `holdMs` of fake time (default 500 ms). Resolves once the
   * reader's holder has had the card and the promises its listener started
   * (a `readProtected`) have settled.
   */
  async presentCard(card: SimulatedCardSpec, hold: CardHold = {}): Promise<PresentedCard> {
    const presented = this.simulator.presentCard(card, { holdMs: hold.holdMs ?? 500 });
    await settle();
    return presented;
  }

  /** Takes the card away now (nothing happens when there is none). */
  async removeCard(): Promise<void> {
    this.simulator.removeCard();
    await settle();
  }

  /** Types a PIN on the display's keypad (digits, `*`, `#`); the RFID reader's holder gets it. */
  async typePin(digits: string): Promise<PinEntry> {
    const pin = this.simulator.typePin(digits);
    await settle();
    return pin;
  }

  /** The reader's LED, the beep played last and the latest beeps. */
  readerFeedback(): ReaderFeedbackRecord {
    return this.simulator.readerFeedback();
  }

  /** How the reader connector is set, and who holds it. */
  readerConnector(): ReaderConnectorReading {
    const reading: ReaderConnectorReading = this.simulator.readerConnector();
    const port = this.kernel.board.ports.find((p) => p.kind === 'reader-connector');
    const owner = port === undefined ? undefined : this.kernel.ports.holder(port.id)?.owner;
    if (owner !== undefined) reading.owner = owner;
    return reading;
  }

  /** The Wiegand trains the connector sent (the latest 50), oldest first; `afterSeq` keeps the newer ones. */
  wiegandTrains(afterSeq = 0): WiegandTrainRecord[] {
    return this.simulator.wiegandTrains(undefined, afterSeq);
  }

  /**
   * Sends bytes to the device on RS-485, as a door controller would (a
   * Uint8Array, or hex such as `'53 00 08 00'`). Resolves once the holder's
   * listeners and the promises they started have settled. Throws
   * READER_CONNECTOR_NOT_RS485 unless the connector is in RS-485 mode.
   */
  async sendToDevice(bytes: Uint8Array | string): Promise<void> {
    this.simulator.sendToDevice(typeof bytes === 'string' ? hexToBytes(bytes) : bytes);
    await settle();
  }

  /** What the device wrote on RS-485 (the latest 200 writes), as one array. */
  deviceBytes(): Uint8Array {
    return this.simulator.deviceBytes();
  }

  /** Every write of the device on RS-485, as it happens: the controller's side of the line. */
  onDeviceBytes(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.simulator.onDeviceBytes(listener);
  }

  // ---- events, rules, plugins -------------------------------------------

  /** Events since the harness started, optionally of one type (`io/output`) or plugin (`io/*`). */
  events(type?: string): PortierEvent[] {
    if (type === undefined || type === '*') return [...this.recorded];
    if (type.endsWith('/*')) {
      const source = type.slice(0, -2);
      return this.recorded.filter((e) => e.source === source);
    }
    return this.recorded.filter((e) => e.type === type);
  }

  clearEvents(): void {
    this.recorded.length = 0;
  }

  /**
   * Calls a route a plugin declares, as the HTTP API would — the same
   * matching, role check, validation and error boundary, without a server:
   * `await h.route('entry-list', 'GET', '/holders', { role: 'operator' })`.
   * Errors come back as the API's `{ code, message, details }` with their status.
   */
  async route(plugin: string, method: HttpMethod, path: string, options: { role?: HttpRole; body?: unknown; query?: Record<string, unknown> } = {}): Promise<{ status: number; body: unknown }> {
    const role = options.role ?? 'admin';
    try {
      const match = matchPluginRoute(this.kernel.host, plugin, method, path);
      if (match === undefined) throw routeNotFound(this.kernel.host, plugin, method, path);
      if (!roleAllows(role, match.declaration.role)) {
        throw Object.assign(new PortierError('FORBIDDEN', `This needs the ${match.declaration.role} role; the call was made as ${role}.`), { status: 403 });
      }
      return await callPluginRoute(this.kernel.host, this.kernel.pluginRoutes, sdkLogger(this.kernel.logger), {
        match,
        query: options.query ?? {},
        body: options.body,
        user: { username: `harness-${role}`, role },
        onClientGone: () => undefined,
      });
    } catch (error) {
      if (!isPortierError(error)) throw error;
      const status = (error as PortierError & { status?: number }).status ?? statusFor(error.code);
      return { status, body: { code: error.code, message: error.message, details: error.details } };
    }
  }

  createRule(definition: unknown): Rule {
    return this.kernel.rules.create(definition);
  }

  rule(id: string): Rule {
    return this.kernel.rules.get(id);
  }

  createSchedule(definition: unknown): Schedule {
    return this.kernel.schedules.create(definition);
  }

  plugin(name: string): PluginSummary {
    return this.kernel.host.get(name);
  }

  /** A service a running plugin provides, e.g. `harness.service(IO_SERVICE)`. */
  service<T>(token: InjectionToken<T>): T {
    const service = this.kernel.service(token);
    if (service === undefined) {
      throw new PortierError('HARNESS_SERVICE_MISSING', `No running plugin provides ${String(token)}; load the plugin that provides it.`);
    }
    return service;
  }

  async stop(): Promise<void> {
    await this.kernel.stop();
  }
}

/** Lets queued promise jobs, and the jobs they queue, run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function hexToBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) {
    throw new PortierError('RS485_BYTES_INVALID', `Bytes to send must be hex in whole bytes (spaces allowed between bytes), such as "53 00 08 00"; found ${JSON.stringify(hex)}.`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

function unknownPlugins(names: string[], loadErrors: string[]): PortierError {
  const builtins = discoverPlugins(BUILTIN_PLUGINS_DIR).found.map((loaded) => loaded.manifest.name).sort();
  const quoted = names.map((name) => `"${name}"`).join(', ');
  const notLoaded = loadErrors.length === 0 ? '' : ` These manifests did not load: ${loadErrors.join('; ')}`;
  return new PortierError(
    'HARNESS_PLUGIN_UNKNOWN',
    `No built-in plugin is named ${quoted} (built-in: ${builtins.join(', ') || 'none'}). ` +
      `\`plugins\` names built-in plugins; pass the folder of your own plugin in \`pluginPaths\`.${notLoaded}`,
  );
}

/** Boots a harness: `const h = await startHarness({ plugins: ['io'] })`. */
export function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  return Harness.start(options);
}
