import type { Clock, TimerHandle } from '../../sdk/clock.js';
import { PortierError } from '../../sdk/errors.js';
import type {
  ChipType,
  LedColor,
  PinEntry,
  PresentedCard,
  ReaderBeep,
  ReaderConnectorMode,
  Rs485BaudRate,
  Unsubscribe,
  WiegandPulse,
} from '../../sdk/ports.js';
import { SystemClock } from '../clock/system-clock.js';
import type { BoardDefinition } from './board.js';
import type { HardwareDriver, ReaderConnectorSetting } from './driver.js';
import { checkBytes, checkPin, wiegandBits } from './reader-checks.js';
import { type MicrophoneSource, type MicrophoneSourceView, SimulatedMicrophone, SimulatedSpeaker, type SpeakerView } from './simulated-audio.js';
import { SimulatedCard, type SimulatedCardSpec } from './simulated-card.js';
import { ListenerSet } from '../events/listener-set.js';

interface IoLine {
  direction: 'input' | 'output';
  /** What is wired to an input: grounded by a closed contact, or floating. */
  externalGrounded: boolean;
  outputGrounded: boolean;
  listeners: ListenerSet<[boolean]>;
}

/** Wiegand trains, RS-485 chunks and beeps the simulator keeps (the latest; older ones are dropped). */
export const SIMULATOR_KEEPS = { wiegandTrains: 50, rs485Chunks: 200, beeps: 50 } as const;

/** One Wiegand train the connector sent, as one `sendWiegand` gave it. */
export interface WiegandTrainRecord {
  /** Counts every train and RS-485 chunk of the connector, from 1. */
  seq: number;
  /** When it was sent, in clock milliseconds. */
  at: number;
  /** The bits it carries: D0 → 0, D1 → 1. */
  bits: string;
  pulses: readonly WiegandPulse[];
}

/** Bytes on the RS-485 line, one write (from the device) or one send (to it). */
export interface Rs485Chunk {
  seq: number;
  at: number;
  bytes: Uint8Array;
}

export interface ReaderFeedbackRecord {
  led: LedColor;
  lastBeep: ReaderBeep | 'none';
  /** The latest beeps played, oldest first. */
  beeps: { beep: ReaderBeep; at: number }[];
}

/** A change a test or the web interface can watch on the simulator. */
export type SimulatorChange =
  | { port: string; kind: 'relay'; contactClosed: boolean }
  | { port: string; kind: 'io'; direction: 'input' | 'output'; grounded: boolean }
  | { port: string; kind: 'button'; pressed: boolean }
  | { port: string; kind: 'status-led'; color: LedColor; flashing: boolean }
  | { port: string; kind: 'pir'; motion: boolean }
  | { port: string; kind: 'light-sensor'; lux: number }
  | { port: string; kind: 'card'; present: boolean; chipType: ChipType; uid: string }
  | { port: string; kind: 'pin'; digits: string }
  | { port: string; kind: 'reader-led'; color: LedColor }
  | { port: string; kind: 'reader-beep'; beep: ReaderBeep }
  | { port: string; kind: 'reader-connector'; mode: ReaderConnectorMode | 'off'; baudRate: Rs485BaudRate }
  | { port: string; kind: 'wiegand'; seq: number; bits: string }
  | { port: string; kind: 'rs485'; direction: 'to-device' | 'from-device'; seq: number; length: number };

export interface SimulatedIntercomOptions {
  /** Stamps cards, PINs and recordings, and removes a card after its hold time; default wall-clock time. */
  clock?: Clock;
}

interface ReaderState {
  card: SimulatedCard | undefined;
  holdTimer: TimerHandle | undefined;
  presented: ListenerSet<[PresentedCard]>;
  removed: ListenerSet<[PresentedCard]>;
  pins: ListenerSet<[PinEntry]>;
  led: LedColor;
  lastBeep: ReaderBeep | 'none';
  beeps: { beep: ReaderBeep; at: number }[];
}

interface ConnectorState {
  setting: ReaderConnectorSetting;
  seq: number;
  trains: WiegandTrainRecord[];
  fromDevice: Rs485Chunk[];
  toDevice: Rs485Chunk[];
  /** Bytes a controller sends, to the driver's user (the port handle). */
  data: ListenerSet<[Uint8Array]>;
  /** Bytes the device writes, to whoever plays the controller. */
  deviceBytes: ListenerSet<[Uint8Array]>;
  wiegand: ListenerSet<[WiegandTrainRecord]>;
}

function keep<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

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
  private readonly readers = new Map<string, ReaderState>();
  private readonly connectors = new Map<string, ConnectorState>();
  private readonly microphones = new Map<string, SimulatedMicrophone>();
  private readonly speakers = new Map<string, SimulatedSpeaker>();
  private readonly changes = new ListenerSet<[SimulatorChange]>();
  private readonly clock: Clock;

  constructor(
    readonly board: BoardDefinition,
    options: SimulatedIntercomOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
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
        case 'rfid-reader':
          this.readers.set(port.id, {
            card: undefined,
            holdTimer: undefined,
            presented: new ListenerSet(),
            removed: new ListenerSet(),
            pins: new ListenerSet(),
            led: 'off',
            lastBeep: 'none',
            beeps: [],
          });
          break;
        case 'microphone':
          this.microphones.set(port.id, new SimulatedMicrophone(this.clock));
          break;
        case 'speaker':
          this.speakers.set(port.id, new SimulatedSpeaker(this.clock));
          break;
        case 'reader-connector':
          this.connectors.set(port.id, {
            setting: { mode: 'off', baudRate: 9600 },
            seq: 0,
            trains: [],
            fromDevice: [],
            toDevice: [],
            data: new ListenerSet(),
            deviceBytes: new ListenerSet(),
            wiegand: new ListenerSet(),
          });
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

  onCardPresented(portId: string, listener: (card: PresentedCard) => void): Unsubscribe {
    return this.reader(portId).presented.add(listener);
  }

  onCardRemoved(portId: string, listener: (card: PresentedCard) => void): Unsubscribe {
    return this.reader(portId).removed.add(listener);
  }

  onPin(portId: string, listener: (pin: PinEntry) => void): Unsubscribe {
    return this.reader(portId).pins.add(listener);
  }

  setReaderLed(portId: string, color: LedColor): void {
    const reader = this.reader(portId);
    if (reader.led === color) return;
    reader.led = color;
    this.changes.emit({ port: portId, kind: 'reader-led', color });
  }

  beepReader(portId: string, beep: ReaderBeep): void {
    const reader = this.reader(portId);
    reader.lastBeep = beep;
    keep(reader.beeps, { beep, at: this.clock.now() }, SIMULATOR_KEEPS.beeps);
    this.changes.emit({ port: portId, kind: 'reader-beep', beep });
  }

  configureReaderConnector(portId: string, setting: ReaderConnectorSetting): void {
    const connector = this.connector(portId);
    const before = connector.setting;
    if (before.mode === setting.mode && before.baudRate === setting.baudRate) return;
    connector.setting = { mode: setting.mode, baudRate: setting.baudRate };
    this.changes.emit({ port: portId, kind: 'reader-connector', mode: setting.mode, baudRate: setting.baudRate });
  }

  sendWiegand(portId: string, pulses: readonly WiegandPulse[]): void {
    const connector = this.connector(portId);
    if (connector.setting.mode !== 'wiegand') {
      throw new PortierError('READER_CONNECTOR_WRONG_MODE', `The reader connector ${portId} is ${this.modeWords(connector)}; it sends Wiegand only in Wiegand mode.`);
    }
    // The port handle checked the train and gave a copy of its own; it is kept as it is.
    const record: WiegandTrainRecord = { seq: ++connector.seq, at: this.clock.now(), bits: wiegandBits(pulses), pulses };
    keep(connector.trains, record, SIMULATOR_KEEPS.wiegandTrains);
    this.changes.emit({ port: portId, kind: 'wiegand', seq: record.seq, bits: record.bits });
    connector.wiegand.emit(record);
  }

  writeRs485(portId: string, bytes: Uint8Array): void {
    const connector = this.connector(portId);
    if (connector.setting.mode !== 'rs485') {
      throw new PortierError('READER_CONNECTOR_WRONG_MODE', `The reader connector ${portId} is ${this.modeWords(connector)}; it writes bytes only in RS-485 mode.`);
    }
    const chunk: Rs485Chunk = { seq: ++connector.seq, at: this.clock.now(), bytes: bytes.slice() };
    keep(connector.fromDevice, chunk, SIMULATOR_KEEPS.rs485Chunks);
    this.changes.emit({ port: portId, kind: 'rs485', direction: 'from-device', seq: chunk.seq, length: chunk.bytes.length });
    connector.deviceBytes.emit(chunk.bytes);
  }

  onRs485Data(portId: string, listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.connector(portId).data.add(listener);
  }

  onMicrophoneFrame(portId: string, listener: (samples: Int16Array) => void): Unsubscribe {
    return this.need(this.microphones, portId, 'microphone').onFrame(listener);
  }

  playSpeaker(portId: string, samples: Int16Array): void {
    this.need(this.speakers, portId, 'speaker').play(samples);
  }

  close(): void {
    for (const microphone of this.microphones.values()) microphone.close();
    for (const reader of this.readers.values()) {
      if (reader.holdTimer !== undefined) this.clock.clearTimeout(reader.holdTimer);
      reader.holdTimer = undefined;
    }
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

  /** What the microphone hears from now on: silence, a tone, or a decoded clip. */
  setMicrophoneSource(portId: string, source: MicrophoneSource): void {
    this.need(this.microphones, portId, 'microphone').setSource(source);
  }

  microphoneSource(portId: string): MicrophoneSourceView {
    return this.need(this.microphones, portId, 'microphone').view;
  }

  /** What the speaker played: frames, level of the last 200 ms. */
  speakerState(portId: string): SpeakerView {
    return this.need(this.speakers, portId, 'speaker').view;
  }

  /** The last `ms` milliseconds the speaker played (up to 10 s), oldest first. */
  speakerSamples(portId: string, ms: number): Int16Array {
    return this.need(this.speakers, portId, 'speaker').recent(ms);
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

  // ---- driving the card reader ----------------------------------------------

  /**
   * Holds a card to the reader: whoever holds the reader port gets it at once
   * and can read its protected data until it leaves, after `holdMs` (on the
   * simulator's clock; default: until `removeCard`) or when another card is
   * presented. Throws CARD_CHIP_TYPE_UNKNOWN, CARD_UID_INVALID or
   * CARD_DATA_INVALID for a card that cannot exist, CARD_HOLD_INVALID for a
   * hold time below 0.
   */
  presentCard(spec: SimulatedCardSpec, options: { holdMs?: number; port?: string } = {}): PresentedCard {
    const portId = options.port ?? this.first(this.readers, 'RFID reader');
    const reader = this.reader(portId);
    const holdMs = options.holdMs ?? Number.POSITIVE_INFINITY;
    if (typeof holdMs !== 'number' || Number.isNaN(holdMs) || holdMs < 0) {
      throw new PortierError('CARD_HOLD_INVALID', `A card is held for 0 ms or more (Infinity: until it is removed); found ${String(holdMs)}.`);
    }
    const card = SimulatedCard.create(spec, this.clock.now());
    this.removeCard(portId);
    reader.card = card;
    if (Number.isFinite(holdMs)) {
      reader.holdTimer = this.clock.setTimeout(() => {
        if (reader.card === card) this.removeCard(portId);
      }, holdMs);
    }
    this.changes.emit({ port: portId, kind: 'card', present: true, chipType: card.chipType, uid: card.uid });
    reader.presented.emit(card);
    return card;
  }

  /** Takes the card in the field away; returns it, or undefined when there was none. */
  removeCard(portId = this.first(this.readers, 'RFID reader')): PresentedCard | undefined {
    const reader = this.reader(portId);
    const card = reader.card;
    if (reader.holdTimer !== undefined) this.clock.clearTimeout(reader.holdTimer);
    reader.holdTimer = undefined;
    if (card === undefined) return undefined;
    reader.card = undefined;
    card.leave();
    this.changes.emit({ port: portId, kind: 'card', present: false, chipType: card.chipType, uid: card.uid });
    reader.removed.emit(card);
    return card;
  }

  /** The card in the reader's field, if any. */
  cardInField(portId = this.first(this.readers, 'RFID reader')): PresentedCard | undefined {
    return this.reader(portId).card;
  }

  /** Types a PIN on the display's keypad (digits, `*`, `#`); throws PIN_INVALID otherwise. */
  typePin(digits: string, portId = this.first(this.readers, 'RFID reader')): PinEntry {
    const reader = this.reader(portId);
    const pin: PinEntry = { digits: checkPin(digits), at: this.clock.now() };
    this.changes.emit({ port: portId, kind: 'pin', digits: pin.digits });
    reader.pins.emit(pin);
    return pin;
  }

  /** The reader's LED, the beep played last and the latest beeps. */
  readerFeedback(portId = this.first(this.readers, 'RFID reader')): ReaderFeedbackRecord {
    const reader = this.reader(portId);
    return { led: reader.led, lastBeep: reader.lastBeep, beeps: reader.beeps.map((b) => ({ ...b })) };
  }

  // ---- driving the reader connector -----------------------------------------

  /** How the connector is set: `off` while no plugin holds it. */
  readerConnector(portId = this.first(this.connectors, 'reader connector')): ReaderConnectorSetting {
    return { ...this.connector(portId).setting };
  }

  /** The latest Wiegand trains sent, oldest first (at most SIMULATOR_KEEPS.wiegandTrains); `sinceSeq` keeps those after it. */
  wiegandTrains(portId = this.first(this.connectors, 'reader connector'), sinceSeq = 0): WiegandTrainRecord[] {
    return this.connector(portId).trains.filter((t) => t.seq > sinceSeq);
  }

  /** Every Wiegand train as it is sent. */
  onWiegandTrain(listener: (train: WiegandTrainRecord) => void, portId = this.first(this.connectors, 'reader connector')): Unsubscribe {
    return this.connector(portId).wiegand.add(listener);
  }

  /**
   * What a door controller sends on the RS-485 line, to whoever holds the
   * connector in RS-485 mode (delivered at once, as one chunk). Throws
   * READER_CONNECTOR_NOT_RS485 when the connector is not in RS-485 mode:
   * nothing on the device listens then.
   */
  sendToDevice(bytes: Uint8Array, portId = this.first(this.connectors, 'reader connector')): void {
    checkBytes(bytes, 'RS485_BYTES_INVALID', 'Bytes to send');
    const connector = this.connector(portId);
    if (connector.setting.mode !== 'rs485') {
      throw new PortierError(
        'READER_CONNECTOR_NOT_RS485',
        `Nothing on the device listens on RS-485: the reader connector ${portId} is ${this.modeWords(connector)}. ` +
          'The plugin that holds it must set it to RS-485 first.',
      );
    }
    const chunk: Rs485Chunk = { seq: ++connector.seq, at: this.clock.now(), bytes: bytes.slice() };
    keep(connector.toDevice, chunk, SIMULATOR_KEEPS.rs485Chunks);
    this.changes.emit({ port: portId, kind: 'rs485', direction: 'to-device', seq: chunk.seq, length: chunk.bytes.length });
    connector.data.emit(chunk.bytes);
  }

  /** Bytes the device writes on the RS-485 line, as it writes them (the controller's side of the line). */
  onDeviceBytes(listener: (bytes: Uint8Array) => void, portId = this.first(this.connectors, 'reader connector')): Unsubscribe {
    return this.connector(portId).deviceBytes.add(listener);
  }

  /** The latest chunks each way on the RS-485 line, oldest first; `sinceSeq` keeps those after it. */
  rs485Log(portId = this.first(this.connectors, 'reader connector'), sinceSeq = 0): { fromDevice: Rs485Chunk[]; toDevice: Rs485Chunk[] } {
    const connector = this.connector(portId);
    return {
      fromDevice: connector.fromDevice.filter((c) => c.seq > sinceSeq),
      toDevice: connector.toDevice.filter((c) => c.seq > sinceSeq),
    };
  }

  /** What the device wrote that is still kept, as one array. */
  deviceBytes(portId = this.first(this.connectors, 'reader connector')): Uint8Array {
    const chunks = this.connector(portId).fromDevice;
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk.bytes, offset);
      offset += chunk.bytes.length;
    }
    return out;
  }

  /** Forgets the Wiegand trains and RS-485 chunks recorded so far. */
  clearReaderConnectorLog(portId = this.first(this.connectors, 'reader connector')): void {
    const connector = this.connector(portId);
    connector.trains.length = 0;
    connector.fromDevice.length = 0;
    connector.toDevice.length = 0;
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

  private reader(portId: string): ReaderState {
    return this.need(this.readers, portId, 'RFID reader');
  }

  private connector(portId: string): ConnectorState {
    return this.need(this.connectors, portId, 'reader connector');
  }

  private modeWords(connector: ConnectorState): string {
    const { mode, baudRate } = connector.setting;
    return mode === 'off' ? 'off (no plugin holds it)' : mode === 'wiegand' ? 'in Wiegand mode' : `in RS-485 mode (${baudRate} baud)`;
  }

  private first<T>(map: Map<string, T>, what: string): string {
    const id = map.keys().next().value;
    if (id === undefined) throw new PortierError('PORT_UNKNOWN', `This board has no ${what}.`);
    return id;
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
