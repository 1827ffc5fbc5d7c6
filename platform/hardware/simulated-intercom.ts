import { PortierError } from '../../sdk/errors.js';
import type { LedColor, Unsubscribe } from '../../sdk/ports.js';
import type { BoardDefinition } from './board.js';
import type { HardwareDriver } from './driver.js';
import { ListenerSet } from '../events/listener-set.js';

interface IoLine {
  direction: 'input' | 'output';
  /** What is wired to an input: grounded by a closed contact, or floating. */
  externalGrounded: boolean;
  outputGrounded: boolean;
  listeners: ListenerSet<[boolean]>;
}

/** A change a test or the web interface can watch on the simulator. */
export type SimulatorChange =
  | { port: string; kind: 'relay'; contactClosed: boolean }
  | { port: string; kind: 'io'; direction: 'input' | 'output'; grounded: boolean }
  | { port: string; kind: 'button'; pressed: boolean }
  | { port: string; kind: 'status-led'; color: LedColor; flashing: boolean }
  | { port: string; kind: 'pir'; motion: boolean }
  | { port: string; kind: 'light-sensor'; lux: number };

/**
 * The default driver: an intercom in memory. Plugins drive it through the
 * port handles like real hardware; people drive it through the API, the web
 * interface and the SDK test harness (press a button, ground an input, read
 * a relay contact).
 */
export class SimulatedIntercom implements HardwareDriver {
  readonly name = 'simulator';
  private readonly relays = new Map<string, boolean>();
  private readonly io = new Map<string, IoLine>();
  private readonly buttons = new Map<string, { pressed: boolean; listeners: ListenerSet<[boolean]> }>();
  private readonly leds = new Map<string, { color: LedColor; flashing: boolean }>();
  private readonly pirs = new Map<string, { motion: boolean; listeners: ListenerSet<[boolean]> }>();
  private readonly lights = new Map<string, { lux: number; listeners: ListenerSet<[number]> }>();
  private readonly changes = new ListenerSet<[SimulatorChange]>();

  constructor(readonly board: BoardDefinition) {
    for (const port of board.ports) {
      switch (port.kind) {
        case 'relay':
          this.relays.set(port.id, false);
          break;
        case 'io':
          this.io.set(port.id, { direction: 'input', externalGrounded: false, outputGrounded: false, listeners: new ListenerSet() });
          break;
        case 'control-button':
        case 'call-button':
          this.buttons.set(port.id, { pressed: false, listeners: new ListenerSet() });
          break;
        case 'status-led':
          this.leds.set(port.id, { color: 'off', flashing: false });
          break;
        case 'pir':
          this.pirs.set(port.id, { motion: false, listeners: new ListenerSet() });
          break;
        case 'light-sensor':
          this.lights.set(port.id, { lux: 200, listeners: new ListenerSet() });
          break;
        default:
          break;
      }
    }
  }

  // ---- HardwareDriver -------------------------------------------------

  setRelayContact(portId: string, closed: boolean): void {
    this.need(this.relays, portId, 'relay');
    if (this.relays.get(portId) === closed) return;
    this.relays.set(portId, closed);
    this.changes.emit({ port: portId, kind: 'relay', contactClosed: closed });
  }

  configureIo(portId: string, direction: 'input' | 'output'): void {
    const line = this.need(this.io, portId, 'I/O');
    if (line.direction === direction) return;
    const before = this.ioLevel(line);
    line.direction = direction;
    this.afterIoChange(portId, line, before);
  }

  setIoOutput(portId: string, grounded: boolean): void {
    const line = this.need(this.io, portId, 'I/O');
    const before = this.ioLevel(line);
    line.outputGrounded = grounded;
    this.afterIoChange(portId, line, before);
  }

  readIoInput(portId: string): boolean {
    return this.ioLevel(this.need(this.io, portId, 'I/O'));
  }

  onIoInput(portId: string, listener: (grounded: boolean) => void): Unsubscribe {
    return this.need(this.io, portId, 'I/O').listeners.add(listener);
  }

  readButton(portId: string): boolean {
    return this.need(this.buttons, portId, 'button').pressed;
  }

  onButton(portId: string, listener: (pressed: boolean) => void): Unsubscribe {
    return this.need(this.buttons, portId, 'button').listeners.add(listener);
  }

  setStatusLed(portId: string, color: LedColor, flashing: boolean): void {
    this.need(this.leds, portId, 'status LED');
    this.leds.set(portId, { color, flashing });
    this.changes.emit({ port: portId, kind: 'status-led', color, flashing });
  }

  readPir(portId: string): boolean {
    return this.need(this.pirs, portId, 'PIR').motion;
  }

  onPir(portId: string, listener: (motion: boolean) => void): Unsubscribe {
    return this.need(this.pirs, portId, 'PIR').listeners.add(listener);
  }

  readLight(portId: string): number {
    return this.need(this.lights, portId, 'light sensor').lux;
  }

  onLight(portId: string, listener: (lux: number) => void): Unsubscribe {
    return this.need(this.lights, portId, 'light sensor').listeners.add(listener);
  }

  close(): void {
    this.changes.clear();
  }

  // ---- driving the simulator -------------------------------------------

  /** Closes (true) or opens (false) the external contact wired to an I/O input. */
  setInput(portId: string, grounded: boolean): void {
    const line = this.need(this.io, portId, 'I/O');
    if (line.direction !== 'input') {
      throw new PortierError('SIM_PORT_NOT_INPUT', `Port ${portId} is configured as an output; only an input can be set from outside.`);
    }
    const before = this.ioLevel(line);
    line.externalGrounded = grounded;
    this.afterIoChange(portId, line, before);
  }

  setButton(portId: string, pressed: boolean): void {
    const button = this.need(this.buttons, portId, 'button');
    if (button.pressed === pressed) return;
    button.pressed = pressed;
    this.changes.emit({ port: portId, kind: 'button', pressed });
    button.listeners.emit(pressed);
  }

  /** Presses and releases a button. */
  pressButton(portId: string): void {
    this.setButton(portId, true);
    this.setButton(portId, false);
  }

  setMotion(portId: string, motion: boolean): void {
    const pir = this.need(this.pirs, portId, 'PIR');
    if (pir.motion === motion) return;
    pir.motion = motion;
    this.changes.emit({ port: portId, kind: 'pir', motion });
    pir.listeners.emit(motion);
  }

  setLux(portId: string, lux: number): void {
    const light = this.need(this.lights, portId, 'light sensor');
    light.lux = lux;
    this.changes.emit({ port: portId, kind: 'light-sensor', lux });
    light.listeners.emit(lux);
  }

  relayContactClosed(portId: string): boolean {
    return this.need(this.relays, portId, 'relay');
  }

  ioLine(portId: string): { direction: 'input' | 'output'; grounded: boolean } {
    const line = this.need(this.io, portId, 'I/O');
    return { direction: line.direction, grounded: this.ioLevel(line) };
  }

  statusLed(portId = 'status-led'): { color: LedColor; flashing: boolean } {
    return { ...this.need(this.leds, portId, 'status LED') };
  }

  onChange(listener: (change: SimulatorChange) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  // ---------------------------------------------------------------------

  private ioLevel(line: IoLine): boolean {
    return line.direction === 'output' ? line.outputGrounded : line.externalGrounded;
  }

  private afterIoChange(portId: string, line: IoLine, before: boolean): void {
    const after = this.ioLevel(line);
    if (after === before) return;
    this.changes.emit({ port: portId, kind: 'io', direction: line.direction, grounded: after });
    line.listeners.emit(after);
  }

  private need<T>(map: Map<string, T>, portId: string, what: string): T {
    const value = map.get(portId);
    if (value === undefined) {
      const known = [...map.keys()].join(', ');
      throw new PortierError('PORT_UNKNOWN', `There is no ${what} port "${portId}" on this board (${what} ports: ${known}).`);
    }
    return value;
  }
}
