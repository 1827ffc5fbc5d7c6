import { PortierError } from '../../sdk/errors.js';
import type {
  ButtonPort,
  IoDirection,
  IoNormalState,
  IoPort,
  LedColor,
  LightSensorPort,
  PirPort,
  RelayNormalState,
  RelayPort,
  StatusLedPort,
  Unsubscribe,
} from '../../sdk/ports.js';
import type { HardwareDriver } from './driver.js';
import { ListenerSet } from '../events/listener-set.js';

/** Wraps a listener so plugin code runs inside its plugin's error boundary. */
export type ListenerGuard = <A extends unknown[]>(listener: (...args: A) => void) => (...args: A) => void;

/**
 * A claimed port's handle. After release every call throws PORT_RELEASED, so
 * a stopped plugin's stray timer cannot move a relay it no longer holds.
 */
abstract class ClaimedPort {
  private released = false;
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

export type AnyPortHandle = RelayHandle | IoHandle | ButtonHandle | StatusLedHandle | PirHandle | LightSensorHandle;
