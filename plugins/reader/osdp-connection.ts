import type { Clock, LedColor, Logger, PluginStore, PortsApi, ReaderConnectorPort, Rs485BaudRate, TimerHandle } from 'portier/sdk';
import { RS485_BAUD_RATES } from 'portier/sdk';
import type { ReaderConnection } from './reader-connection.js';
import type { ReaderFeedback } from './reader-feedback.js';
import type { OsdpSettings } from './reader-settings.js';
import { type BuzzerCommand, type LedCommand, type OsdpPeripheral, type PdIdentity, connectPeripheral } from './osdp/index.js';

/** What a controller changed over the line (osdp_COMSET, osdp_KEYSET): it outlives a restart, as on a real reader. */
export interface OsdpLinkState {
  address: number;
  baudRate: Rs485BaudRate;
  /** Hex; set by osdp_KEYSET. */
  scbk?: string;
  /**
   * The OSDP settings this was set over: when the integrator changes them,
   * their values take over again (the stored change is for the settings it
   * was made under, not for new ones).
   */
  settings: string;
}

export const OSDP_LINK_KEY = 'osdp/link';

const IDENTITY: PdIdentity = { vendorCode: 0, model: 1, version: 1, serialNumber: 1, firmware: { major: 1, minor: 0, build: 0 } };

/** How often the PD checks for the controller's silence (its offline time is 8 s). */
const TICK_MS = 1000;

/** OSDP LED colours (§6.9 Table 18) to the reader LED's; colours it cannot show come out amber rather than dark. */
function ledColor(osdp: number): LedColor {
  switch (osdp) {
    case 0:
      return 'off';
    case 1:
      return 'red';
    case 2:
      return 'green';
    default:
      return 'amber';
  }
}

/**
 * The reader as an OSDP peripheral on the reader connector's RS-485 (the
 * manual's "Reader connected to door controller using OSDP"): accepted cards
 * wait for the controller's next poll as osdp_RAW (the credential's bits as
 * they are), PINs as osdp_KEYPAD; the controller's LED and buzzer commands
 * drive the reader's own LED and beeper. An address, speed or key the
 * controller sets is kept in the plugin's store and used from then on.
 */
export class OsdpConnection implements ReaderConnection {
  readonly type = 'osdp' as const;
  private readonly unsubscribes: (() => void)[] = [];
  private tickTimer: TimerHandle | undefined;
  private dropped = 0;

  private constructor(
    private readonly ports: PortsApi,
    private readonly connectorId: string,
    private readonly connector: ReaderConnectorPort,
    private readonly peripheral: OsdpPeripheral,
    private readonly disconnect: () => void,
    private readonly clock: Clock,
    private readonly store: PluginStore,
    private readonly feedback: ReaderFeedback,
    private readonly settingsKey: string,
  ) {}

  static open(
    ports: PortsApi,
    connectorId: string,
    settings: OsdpSettings,
    deps: { clock: Clock; store: PluginStore; feedback: ReaderFeedback; logger: Logger },
  ): OsdpConnection {
    const link = effectiveLink(settings, deps.store);
    const connector = ports.claim(connectorId, 'reader-connector', 'OSDP peripheral on RS-485');
    try {
      connector.configure({ mode: 'rs485', baudRate: link.baudRate });
      const { peripheral, disconnect } = connectPeripheral(connector, {
        address: link.address,
        baudRate: link.baudRate,
        identity: IDENTITY,
        ...(link.scbk === undefined ? {} : { scbk: Uint8Array.from(Buffer.from(link.scbk, 'hex')) }),
        // Once the controller has set its own key, the default key is no longer accepted.
        installMode: link.scbk === undefined ? settings.installMode : false,
        requireSecureChannel: settings.requireSecureChannel,
        now: () => deps.clock.now(),
        onListenerError: (error, event) => deps.logger.error('OSDP listener failed', { event, error: String(error) }),
      });
      const connection = new OsdpConnection(ports, connectorId, connector, peripheral, disconnect, deps.clock, deps.store, deps.feedback, link.settings);
      connection.listen();
      connection.scheduleTick();
      return connection;
    } catch (error) {
      ports.release(connectorId);
      throw error;
    }
  }

  sendCard(credential: string): void {
    const bits = [...credential].map((digit) => parseInt(digit, 16).toString(2).padStart(4, '0')).join('');
    if (!this.peripheral.presentCard({ bits, format: 'raw' })) this.dropped += 1;
  }

  sendPin(digits: string): void {
    if (!this.peripheral.keypad(digits)) this.dropped += 1;
  }

  status(): Record<string, unknown> {
    return {
      type: 'osdp',
      address: this.peripheral.address,
      baudRate: this.peripheral.baudRate,
      online: this.peripheral.online,
      secureChannel: this.peripheral.secureChannelActive,
      installMode: this.peripheral.installMode,
      queuedReports: this.peripheral.queuedReports,
      droppedReports: this.dropped,
    };
  }

  close(): void {
    if (this.tickTimer !== undefined) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.disconnect();
    this.ports.release(this.connectorId);
  }

  private listen(): void {
    const on = this.unsubscribes;
    on.push(this.peripheral.on('led', (command) => this.led(command)));
    on.push(this.peripheral.on('buzzer', (command) => this.buzzer(command)));
    on.push(
      this.peripheral.on('comset', ({ address, baudRate }) => {
        // The PD answered osdp_COM on the old speed; from now on the line runs at the new one.
        const rate = RS485_BAUD_RATES.find((r) => r === baudRate) ?? this.connector.baudRate;
        this.connector.configure({ mode: 'rs485', baudRate: rate });
        this.remember({ address, baudRate: rate });
      }),
    );
    on.push(this.peripheral.on('keyset', ({ key }) => this.remember({ scbk: Buffer.from(key).toString('hex').toUpperCase() })));
  }

  private led(command: LedCommand): void {
    if (command.permanent.control === 1) this.feedback.setResting(ledColor(command.permanent.onColor));
    if (command.temporary.control === 2) this.feedback.showFor(ledColor(command.temporary.onColor), Math.max(1, command.temporary.timer) * 100);
    else if (command.temporary.control === 1) this.feedback.cancelTemporary();
  }

  private buzzer(command: BuzzerCommand): void {
    if (command.tone !== 2) return; // 0 and 1: no tone, buzzer off
    if (command.count >= 2 || command.count === 0) this.feedback.beep('double');
    else this.feedback.beep(command.onTime > 3 ? 'long' : 'short');
  }

  private remember(change: Partial<OsdpLinkState>): void {
    const stored = this.store.get<OsdpLinkState>(OSDP_LINK_KEY);
    const current = stored?.settings === this.settingsKey ? stored : { address: this.peripheral.address, baudRate: this.connector.baudRate };
    this.store.set(OSDP_LINK_KEY, { ...current, address: this.peripheral.address, ...change, settings: this.settingsKey });
  }

  private scheduleTick(): void {
    this.tickTimer = this.clock.setTimeout(() => {
      this.peripheral.tick();
      this.scheduleTick();
    }, TICK_MS);
  }
}

/** The settings, overridden by what a controller set over the line since. */
export function effectiveLink(settings: OsdpSettings, store: PluginStore): OsdpLinkState {
  const stored = store.get<OsdpLinkState>(OSDP_LINK_KEY);
  const fromSettings: OsdpLinkState = { address: settings.address, baudRate: settings.baudRate, settings: JSON.stringify(settings) };
  if (settings.scbk !== '') fromSettings.scbk = settings.scbk.toUpperCase();
  return stored?.settings === fromSettings.settings ? { ...fromSettings, ...stored } : fromSettings;
}
