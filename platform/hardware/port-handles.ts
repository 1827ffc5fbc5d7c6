import { PortierError } from '../../sdk/errors.js';
import type {
  ButtonPort,
  ChipType,
  IoDirection,
  IoNormalState,
  IoPort,
  LedColor,
  LightSensorPort,
  PinEntry,
  PirPort,
  PresentedCard,
  ReaderConnectorMode,
  ReaderConnectorOptions,
  ReaderConnectorPort,
  ReaderFeedback,
  ReaderFeedbackState,
  RelayNormalState,
  RelayPort,
  RfidReaderPort,
  Rs485BaudRate,
  StatusLedPort,
  Unsubscribe,
  WiegandPulse,
} from '../../sdk/ports.js';
import type { MicrophoneHandle, SpeakerHandle } from './audio-handles.js';
import type { HardwareDriver } from './driver.js';
import { checkBaudRate, checkBeep, checkBytes, checkConnectorMode, checkLedColor, checkWiegandTrain } from './reader-checks.js';
import { ListenerSet } from '../events/listener-set.js';

/** Wraps a listener so plugin code runs inside its plugin's error boundary. */
export type ListenerGuard = <A extends unknown[]>(listener: (...args: A) => void) => (...args: A) => void;

/**
 * A claimed port's handle. After release every call throws PORT_RELEASED, so
 * a stopped plugin's stray timer cannot move a relay it no longer holds.
 */
export abstract class ClaimedPort {
  protected released = false;
  protected readonly unsubscribers: Unsubscribe[] = [];

  constructor(
    readonly id: string,
    protected readonly driver: HardwareDriver,
    protected readonly guard: ListenerGuard,
  ) {}

  protected alive(): void {
    if (this.released) {
      throw new PortierError('PORT_RELEASED', `Port ${this.id} was released; claim it again before using it.`);
    }
  }

  release(): void {
    if (this.released) return;
    this.onRelease();
    this.released = true;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  protected onRelease(): void {}
}

export class RelayHandle extends ClaimedPort implements RelayPort {
  readonly kind = 'relay' as const;
  private activeState = false;
  private normal: RelayNormalState;
  private readonly listeners = new ListenerSet<[boolean]>();

  /** `normal`: the relay's normal state when it was claimed; `onNormalState` remembers a change for the next claim. */
  constructor(
    id: string,
    driver: HardwareDriver,
    guard: ListenerGuard,
    normal: RelayNormalState,
    private readonly onNormalState: (state: RelayNormalState) => void,
  ) {
    super(id, driver, guard);
    this.normal = normal;
    this.apply();
  }

  get active(): boolean {
    return this.activeState;
  }

  get normalState(): RelayNormalState {
    return this.normal;
  }

  get contactClosed(): boolean {
    // Fail-secure: open at rest, closed when active. Fail-safe: the reverse.
    return this.normal === 'fail-secure' ? this.activeState : !this.activeState;
  }

  setNormalState(state: RelayNormalState): void {
    this.alive();
    this.normal = state;
    this.onNormalState(state);
    this.apply();
  }

  set(active: boolean): void {
    this.alive();
    if (this.activeState === active) return;
    this.activeState = active;
    this.apply();
    this.listeners.emit(active);
  }

  onChange(listener: (active: boolean) => void): Unsubscribe {
    this.alive();
    return this.listeners.add(this.guard(listener));
  }

  protected override onRelease(): void {
    // A released relay rests in its normal state: the door locks.
    this.activeState = false;
    this.apply();
    this.listeners.clear();
  }

  private apply(): void {
    this.driver.setRelayContact(this.id, this.contactClosed);
  }
}

export class IoHandle extends ClaimedPort implements IoPort {
  readonly kind = 'io' as const;
  private dir: IoDirection = 'input';
  private normal: IoNormalState = 'open';
  private outputActive = false;
  private readonly listeners = new ListenerSet<[boolean]>();
  private lastActive: boolean;

  constructor(id: string, driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    driver.configureIo(id, 'input');
    this.lastActive = this.readActive();
    this.unsubscribers.push(driver.onIoInput(id, () => this.sample()));
  }

  get direction(): IoDirection {
    return this.dir;
  }

  get normalState(): IoNormalState {
    return this.normal;
  }

  get active(): boolean {
    return this.readActive();
  }

  configure(options: { direction: IoDirection; normalState?: IoNormalState }): void {
    this.alive();
    this.dir = options.direction;
    this.normal = options.normalState ?? this.normal;
    this.driver.configureIo(this.id, this.dir);
    if (this.dir === 'output') this.driveOutput();
    this.sample();
  }

  set(active: boolean): void {
    this.alive();
    if (this.dir !== 'output') {
      throw new PortierError('PORT_NOT_OUTPUT', `Port ${this.id} is configured as an input; configure it as an output to drive it.`);
    }
    this.outputActive = active;
    this.driveOutput();
    this.sample();
  }

  onChange(listener: (active: boolean) => void): Unsubscribe {
    this.alive();
    return this.listeners.add(this.guard(listener));
  }

  protected override onRelease(): void {
    if (this.dir === 'output') {
      this.outputActive = false;
      this.driveOutput();
    }
    // A released line goes back to a harmless input.
    this.driver.configureIo(this.id, 'input');
    this.listeners.clear();
  }

  private driveOutput(): void {
    this.driver.setIoOutput(this.id, this.outputActive !== (this.normal === 'grounded'));
  }

  private readActive(): boolean {
    return this.driver.readIoInput(this.id) !== (this.normal === 'grounded');
  }

  private sample(): void {
    const now = this.readActive();
    if (now === this.lastActive) return;
    this.lastActive = now;
    this.listeners.emit(now);
  }
}

export class ButtonHandle extends ClaimedPort implements ButtonPort {
  private readonly listeners = new ListenerSet<[boolean]>();

  constructor(id: string, readonly kind: 'control-button' | 'call-button', driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    this.unsubscribers.push(driver.onButton(id, (pressed) => this.listeners.emit(pressed)));
  }

  get pressed(): boolean {
    return this.driver.readButton(this.id);
  }

  onChange(listener: (pressed: boolean) => void): Unsubscribe {
    this.alive();
    return this.listeners.add(this.guard(listener));
  }
}

export class StatusLedHandle extends ClaimedPort implements StatusLedPort {
  readonly kind = 'status-led' as const;
  private state: { color: LedColor; flashing: boolean } = { color: 'off', flashing: false };

  get color(): LedColor {
    return this.state.color;
  }

  get flashing(): boolean {
    return this.state.flashing;
  }

  set(color: LedColor, options?: { flashing?: boolean }): void {
    this.alive();
    this.state = { color, flashing: options?.flashing ?? false };
    this.driver.setStatusLed(this.id, color, this.state.flashing);
  }

  protected override onRelease(): void {
    this.driver.setStatusLed(this.id, 'off', false);
  }
}

export class PirHandle extends ClaimedPort implements PirPort {
  readonly kind = 'pir' as const;
  private readonly listeners = new ListenerSet<[boolean]>();

  constructor(id: string, driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    this.unsubscribers.push(driver.onPir(id, (motion) => this.listeners.emit(motion)));
  }

  get motion(): boolean {
    return this.driver.readPir(this.id);
  }

  onChange(listener: (motion: boolean) => void): Unsubscribe {
    this.alive();
    return this.listeners.add(this.guard(listener));
  }
}

export class LightSensorHandle extends ClaimedPort implements LightSensorPort {
  readonly kind = 'light-sensor' as const;
  private readonly listeners = new ListenerSet<[number]>();

  constructor(id: string, driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    this.unsubscribers.push(driver.onLight(id, (lux) => this.listeners.emit(lux)));
  }

  get lux(): number {
    return this.driver.readLight(this.id);
  }

  onChange(listener: (lux: number) => void): Unsubscribe {
    this.alive();
    return this.listeners.add(this.guard(listener));
  }
}

/** What a card needs of the port that gave it out. */
interface CardGate {
  released(): boolean;
  /** Throws PORT_RELEASED once the port is released. */
  assertAlive(): void;
}

/**
 * The holder's view of a card: the driver's card, read through the port, so
 * a plugin that released the reader can no longer read a card with it.
 */
class HeldCard implements PresentedCard {
  constructor(
    private readonly card: PresentedCard,
    private readonly gate: CardGate,
  ) {}

  get chipType(): ChipType {
    return this.card.chipType;
  }

  get uid(): string {
    return this.card.uid;
  }

  get at(): number {
    return this.card.at;
  }

  get present(): boolean {
    return !this.gate.released() && this.card.present;
  }

  readProtected(location: string, key: string): Promise<string | undefined> {
    try {
      this.gate.assertAlive();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.card.readProtected(location, key);
  }
}

export class RfidReaderHandle extends ClaimedPort implements RfidReaderPort {
  readonly kind = 'rfid-reader' as const;
  private readonly cards = new ListenerSet<[PresentedCard]>();
  private readonly removed = new ListenerSet<[PresentedCard]>();
  private readonly pins = new ListenerSet<[PinEntry]>();
  /** The driver's card in the field and the holder's view of it, so onCardRemoved gives the object onCard gave. */
  private current: { card: PresentedCard; held: HeldCard } | undefined;
  private state: ReaderFeedbackState = { led: 'off', lastBeep: 'none' };

  constructor(id: string, driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    driver.setReaderLed(id, 'off');
    const gate: CardGate = { released: () => this.released, assertAlive: () => this.alive() };
    this.unsubscribers.push(
      driver.onCardPresented(id, (card) => {
        const held = new HeldCard(card, gate);
        this.current = { card, held };
        this.cards.emit(held);
      }),
      driver.onCardRemoved(id, (card) => {
        const held = this.current?.card === card ? this.current.held : new HeldCard(card, gate);
        if (this.current?.card === card) this.current = undefined;
        this.removed.emit(held);
      }),
      driver.onPin(id, (pin) => this.pins.emit(pin)),
    );
  }

  get feedbackState(): ReaderFeedbackState {
    return { ...this.state };
  }

  onCard(listener: (card: PresentedCard) => void): Unsubscribe {
    this.alive();
    return this.cards.add(this.guard(listener));
  }

  onCardRemoved(listener: (card: PresentedCard) => void): Unsubscribe {
    this.alive();
    return this.removed.add(this.guard(listener));
  }

  onPin(listener: (pin: PinEntry) => void): Unsubscribe {
    this.alive();
    return this.pins.add(this.guard(listener));
  }

  feedback(feedback: ReaderFeedback): void {
    this.alive();
    if (typeof feedback !== 'object' || feedback === null) {
      throw new PortierError('READER_FEEDBACK_INVALID', 'Reader feedback is { led?, beep? }.');
    }
    // Both are checked before either is applied, so a bad beep does not leave the LED changed.
    const led = feedback.led === undefined ? undefined : checkLedColor(feedback.led);
    const beep = feedback.beep === undefined ? undefined : checkBeep(feedback.beep);
    if (led !== undefined) {
      this.state = { ...this.state, led };
      this.driver.setReaderLed(this.id, led);
    }
    if (beep !== undefined && beep !== 'none') {
      this.state = { ...this.state, lastBeep: beep };
      this.driver.beepReader(this.id, beep);
    }
  }

  protected override onRelease(): void {
    this.driver.setReaderLed(this.id, 'off');
    this.current = undefined;
    this.cards.clear();
    this.removed.clear();
    this.pins.clear();
  }
}

export class ReaderConnectorHandle extends ClaimedPort implements ReaderConnectorPort {
  readonly kind = 'reader-connector' as const;
  private currentMode: ReaderConnectorMode = 'wiegand';
  private speed: Rs485BaudRate = 9600;
  private readonly data = new ListenerSet<[Uint8Array]>();

  /** Each claim starts in Wiegand mode at 9600 baud: a new holder sets what it needs. */
  constructor(id: string, driver: HardwareDriver, guard: ListenerGuard) {
    super(id, driver, guard);
    this.apply();
    this.unsubscribers.push(
      driver.onRs485Data(id, (bytes) => {
        if (this.currentMode === 'rs485') this.data.emit(bytes);
      }),
    );
  }

  get mode(): ReaderConnectorMode {
    return this.currentMode;
  }

  get baudRate(): Rs485BaudRate {
    return this.speed;
  }

  configure(options: ReaderConnectorOptions): void {
    this.alive();
    if (typeof options !== 'object' || options === null) {
      throw new PortierError('READER_CONNECTOR_CONFIG_INVALID', 'The reader connector is configured with { mode: "wiegand" | "rs485", baudRate? }.');
    }
    const mode = checkConnectorMode(options.mode);
    const baudRate = options.baudRate === undefined ? this.speed : checkBaudRate(options.baudRate);
    this.currentMode = mode;
    this.speed = baudRate;
    this.apply();
  }

  sendWiegand(pulses: readonly WiegandPulse[]): void {
    this.alive();
    this.needMode('wiegand', 'send a Wiegand train');
    this.driver.sendWiegand(this.id, checkWiegandTrain(pulses));
  }

  write(bytes: Uint8Array): void {
    this.alive();
    checkBytes(bytes, 'RS485_BYTES_INVALID', 'Bytes to write');
    this.needMode('rs485', 'write bytes');
    this.driver.writeRs485(this.id, bytes);
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    this.alive();
    return this.data.add(this.guard(listener));
  }

  protected override onRelease(): void {
    // A released connector drives nothing and hears nothing; what was queued is dropped.
    this.data.clear();
    this.driver.configureReaderConnector(this.id, { mode: 'off', baudRate: this.speed });
  }

  private needMode(mode: ReaderConnectorMode, what: string): void {
    if (this.currentMode === mode) return;
    const other = mode === 'wiegand' ? 'RS-485' : 'Wiegand';
    const wanted = mode === 'wiegand' ? 'wiegand' : 'rs485';
    throw new PortierError(
      'READER_CONNECTOR_WRONG_MODE',
      `The reader connector ${this.id} is in ${other} mode; configure({ mode: '${wanted}' }) before you ${what}.`,
    );
  }

  private apply(): void {
    this.driver.configureReaderConnector(this.id, { mode: this.currentMode, baudRate: this.speed });
  }
}

export type AnyPortHandle =
  | RelayHandle
  | IoHandle
  | ButtonHandle
  | StatusLedHandle
  | PirHandle
  | LightSensorHandle
  | RfidReaderHandle
  | ReaderConnectorHandle
  | MicrophoneHandle
  | SpeakerHandle;
