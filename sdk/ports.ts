import type { MicrophonePort, SpeakerPort } from './audio-ports.js';

/**
 * Hardware ports. Ports are claimed, not shared: a plugin claims a port with a
 * purpose, and a second claim fails with an error that names the holder.
 * The manifest's `hardware` lists the kinds of port a plugin may claim.
 */
export const PORT_KINDS = [
  'relay',
  'io',
  'reader-connector',
  'audio-in',
  'audio-out',
  'speaker',
  'microphone',
  'display',
  'rfid-reader',
  'pir',
  'light-sensor',
  'control-button',
  'call-button',
  'status-led',
] as const;
export type PortKind = (typeof PORT_KINDS)[number];

/** What the board says about a port, whoever holds it. */
export interface PortInfo {
  id: string;
  kind: PortKind;
  label: string;
  description: string;
}

export interface PortClaim {
  owner: string;
  purpose: string;
}

export type Unsubscribe = () => void;

/**
 * How a relay behaves without power. A fail-secure lock stays locked without
 * power, so its relay is open at rest and closes to unlock; a fail-safe lock
 * needs power to stay locked, so its relay is closed at rest and opens to unlock.
 */
export type RelayNormalState = 'fail-secure' | 'fail-safe';

/** A solid-state relay. `active` is the logical state (door unlocked). */
export interface RelayPort {
  readonly id: string;
  readonly kind: 'relay';
  readonly active: boolean;
  readonly normalState: RelayNormalState;
  /** Whether the relay contact is closed right now, after the normal state is applied. */
  readonly contactClosed: boolean;
  setNormalState(state: RelayNormalState): void;
  set(active: boolean): void;
  onChange(listener: (active: boolean) => void): Unsubscribe;
}

/**
 * The electrical level at rest of a configurable I/O: `open` (floating) or
 * `grounded` (connected to pin 1). The port is active when it is not at rest.
 */
export type IoNormalState = 'open' | 'grounded';
export type IoDirection = 'input' | 'output';

export interface IoPort {
  readonly id: string;
  readonly kind: 'io';
  readonly direction: IoDirection;
  readonly normalState: IoNormalState;
  readonly active: boolean;
  configure(options: { direction: IoDirection; normalState?: IoNormalState }): void;
  /** Drives an output; throws PORT_NOT_OUTPUT on an input. */
  set(active: boolean): void;
  onChange(listener: (active: boolean) => void): Unsubscribe;
}

export interface ButtonPort {
  readonly id: string;
  readonly kind: 'control-button' | 'call-button';
  readonly pressed: boolean;
  onChange(listener: (pressed: boolean) => void): Unsubscribe;
}

export const LED_COLORS = ['off', 'green', 'red', 'amber'] as const;
export type LedColor = (typeof LED_COLORS)[number];

export interface StatusLedPort {
  readonly id: string;
  readonly kind: 'status-led';
  readonly color: LedColor;
  readonly flashing: boolean;
  set(color: LedColor, options?: { flashing?: boolean }): void;
}

export interface PirPort {
  readonly id: string;
  readonly kind: 'pir';
  readonly motion: boolean;
  onChange(listener: (motion: boolean) => void): Unsubscribe;
}

export interface LightSensorPort {
  readonly id: string;
  readonly kind: 'light-sensor';
  readonly lux: number;
  onChange(listener: (lux: number) => void): Unsubscribe;
}

// ---- the card reader ------------------------------------------------------

/** The carrier frequency a chip type works on; the RFID reader has an antenna for each. */
export type ChipFrequency = '13.56 MHz' | '125 kHz';

/**
 * The card technologies the RFID reader reads, by name: the frequency each
 * works on, and whether its cards can hold protected data (memory behind a
 * key; 125 kHz prox cards only carry their number). Use `CHIP_TYPE_NAMES`
 * where a list is needed (`z.enum(CHIP_TYPE_NAMES)`).
 */
export const CHIP_TYPES = {
  'mifare-classic': { label: 'MIFARE Classic', frequency: '13.56 MHz', protectedData: true },
  'mifare-desfire-ev1': { label: 'MIFARE DESFire EV1', frequency: '13.56 MHz', protectedData: true },
  'mifare-desfire-ev2': { label: 'MIFARE DESFire EV2', frequency: '13.56 MHz', protectedData: true },
  'mifare-desfire-ev3': { label: 'MIFARE DESFire EV3', frequency: '13.56 MHz', protectedData: true },
  'mifare-plus': { label: 'MIFARE Plus', frequency: '13.56 MHz', protectedData: true },
  ntag: { label: 'NTAG', frequency: '13.56 MHz', protectedData: true },
  iclass: { label: 'iCLASS', frequency: '13.56 MHz', protectedData: true },
  seos: { label: 'Seos', frequency: '13.56 MHz', protectedData: true },
  'hid-prox': { label: 'HID Prox', frequency: '125 kHz', protectedData: false },
  em4102: { label: 'EM4102', frequency: '125 kHz', protectedData: false },
} as const satisfies Record<string, { label: string; frequency: ChipFrequency; protectedData: boolean }>;

export type ChipType = keyof typeof CHIP_TYPES;

/** The chip type names, in the order of `CHIP_TYPES` (13.56 MHz first). */
export const CHIP_TYPE_NAMES = Object.keys(CHIP_TYPES) as [ChipType, ...ChipType[]];

export function isChipType(value: unknown): value is ChipType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CHIP_TYPES, value);
}

/**
 * A card in the reader's field, from the moment it arrives. Each arrival is
 * its own object: a card taken away and presented again is a new
 * `PresentedCard`, and the old one stays gone.
 */
export interface PresentedCard {
  readonly chipType: ChipType;
  /**
   * What the chip reports as its identity, as uppercase hex, in the order the
   * chip sends it: the UID of MIFARE and NTAG chips, the CSN of iCLASS and
   * Seos, the card data of 125 kHz cards. Whole bytes (an even number of digits).
   */
  readonly uid: string;
  /** When the card arrived, in clock milliseconds. */
  readonly at: number;
  /** True while the card is in the field; false once it has left (or the port was released). */
  readonly present: boolean;
  /**
   * Reads the protected data at `location` (where the data set says it is:
   * `sector:4/block:1` on MIFARE Classic, an application id and file on
   * DESFire, …; matched exactly) with `key` (hex, case does not matter).
   * Resolves to the data as uppercase hex, or `undefined` when the card holds
   * nothing there or refuses the key: a wrong key fails authentication as on
   * a real card, and the two cannot be told apart.
   *
   * Only while the card is in the field: once it has left, the promise
   * rejects with a PortierError `CARD_GONE` (and with `PORT_RELEASED` after
   * the port was released); `READER_KEY_INVALID` when `key` is not hex,
   * `READER_LOCATION_INVALID` when `location` is empty. It is a promise
   * because a real reader talks to the card to read it.
   */
  readProtected(location: string, key: string): Promise<string | undefined>;
}

/** A PIN typed on the display's keypad. */
export interface PinEntry {
  /** The keys in the order typed: digits, `*` and `#`. */
  readonly digits: string;
  readonly at: number;
}

/** The patterns the reader's beeper plays. */
export const READER_BEEPS = ['short', 'long', 'double', 'error'] as const;
export type ReaderBeep = (typeof READER_BEEPS)[number];

/** What to show and play on the reader: an LED colour (it stays) and a beep (played once). Absent fields are left as they are. */
export interface ReaderFeedback {
  led?: LedColor;
  beep?: ReaderBeep | 'none';
}

export interface ReaderFeedbackState {
  /** The reader LED's colour now. */
  led: LedColor;
  /** The beep played last (`none` before the first). */
  lastBeep: ReaderBeep | 'none';
}

/**
 * The RFID reader (kind `rfid-reader`): cards presented to it, PINs typed on
 * the display's keypad (the reader owns PIN entry; the display itself stays
 * free for whoever shows pages on it), and the reader's own LED and beeper.
 */
export interface RfidReaderPort {
  readonly id: string;
  readonly kind: 'rfid-reader';
  /** A card arrived in the field. Read its protected data while it is there. */
  onCard(listener: (card: PresentedCard) => void): Unsubscribe;
  /** A card left the field (the same object `onCard` gave, now with `present` false). */
  onCardRemoved(listener: (card: PresentedCard) => void): Unsubscribe;
  onPin(listener: (pin: PinEntry) => void): Unsubscribe;
  /** Sets the LED and/or plays a beep; throws READER_FEEDBACK_INVALID for an unknown colour or beep. */
  feedback(feedback: ReaderFeedback): void;
  readonly feedbackState: ReaderFeedbackState;
}

/** What the reader connector carries: Wiegand D0/D1 out, or RS-485 (A+/B−) both ways. One at a time. */
export type ReaderConnectorMode = 'wiegand' | 'rs485';

/** The speeds an RS-485 line can run at (those OSDP allows). */
export const RS485_BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400] as const;
export type Rs485BaudRate = (typeof RS485_BAUD_RATES)[number];

export type WiegandLine = 'D0' | 'D1';

/**
 * One low pulse on a Wiegand data line (a 0 bit on D0, a 1 bit on D1):
 * `atMicros` is when the line goes low, counted from the start of the train;
 * `widthMicros` how long it stays low. Whole microseconds.
 */
export interface WiegandPulse {
  line: WiegandLine;
  atMicros: number;
  widthMicros: number;
}

export interface ReaderConnectorOptions {
  mode: ReaderConnectorMode;
  /** The RS-485 speed; default: as it is (9600 after a claim). */
  baudRate?: Rs485BaudRate;
}

/**
 * The reader connector (kind `reader-connector`) to a door controller. Each
 * claim starts it in Wiegand mode (9600 baud for RS-485); `configure`
 * switches it, and a switch drops whatever the old mode still had to send.
 * Releasing it stops it: nothing queued goes out, nothing more arrives.
 */
export interface ReaderConnectorPort {
  readonly id: string;
  readonly kind: 'reader-connector';
  readonly mode: ReaderConnectorMode;
  readonly baudRate: Rs485BaudRate;
  /** Throws READER_CONNECTOR_CONFIG_INVALID for an unknown mode or speed. */
  configure(options: ReaderConnectorOptions): void;
  /**
   * Wiegand mode: sends one pulse train on D0/D1. Trains go out in order,
   * one after the other. Throws READER_CONNECTOR_WRONG_MODE in RS-485 mode,
   * WIEGAND_TRAIN_INVALID for an empty train, a line other than D0/D1, times
   * that are not whole non-negative microseconds, a width of 0, or pulses that
   * are out of order or overlap.
   */
  sendWiegand(pulses: readonly WiegandPulse[]): void;
  /**
   * RS-485 mode: writes bytes to the line (the bytes are copied). The line is
   * half-duplex: answer a controller after its message, do not talk over it.
   * Throws READER_CONNECTOR_WRONG_MODE in Wiegand mode.
   */
  write(bytes: Uint8Array): void;
  /**
   * RS-485 mode: bytes from the line as they arrive, in chunks that may split
   * or join messages anywhere (a byte stream, as from a serial port). Each
   * chunk is a fresh array, shared by the port's listeners: keep it if you
   * like, but do not change it. Nothing arrives in Wiegand mode.
   */
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe;
}

/** The handle type a claim returns, by port kind. */
export interface PortHandles {
  microphone: MicrophonePort;
  speaker: SpeakerPort;
  relay: RelayPort;
  io: IoPort;
  'control-button': ButtonPort;
  'call-button': ButtonPort;
  'status-led': StatusLedPort;
  pir: PirPort;
  'light-sensor': LightSensorPort;
  'rfid-reader': RfidReaderPort;
  'reader-connector': ReaderConnectorPort;
}

export type ClaimablePortKind = keyof PortHandles;

/** The plugin's view of the board: what exists, who holds what, and claims. */
export interface PortsApi {
  list(): (PortInfo & { claim?: PortClaim })[];
  /**
   * Claims a port for this plugin. Fails with PORT_CLAIMED naming the holder,
   * PORT_UNKNOWN, or PORT_KIND_NOT_DECLARED when the manifest's `hardware` does
   * not list the port's kind. Claims are released when the plugin stops.
   */
  claim<K extends ClaimablePortKind>(portId: string, kind: K, purpose: string): PortHandles[K];
  release(portId: string): void;
}
