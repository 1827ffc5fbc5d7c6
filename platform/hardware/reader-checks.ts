import { PortierError } from '../../sdk/errors.js';
import {
  CHIP_TYPE_NAMES,
  type ChipType,
  LED_COLORS,
  READER_BEEPS,
  RS485_BAUD_RATES,
  type ReaderBeep,
  type ReaderConnectorMode,
  type Rs485BaudRate,
  type WiegandPulse,
  isChipType,
} from '../../sdk/ports.js';

/**
 * Checks of what reaches the card reader and the reader connector, from a
 * plugin or from whoever drives the simulator. Each refuses bad input with a
 * PortierError of a stable code and says what was expected.
 */

/** Longest UID/CSN accepted, in bytes (ISO 14443 UIDs are 4, 7 or 10; a CSN 8). */
export const MAX_UID_BYTES = 32;
/** Longest PIN accepted, in keys. */
export const MAX_PIN_KEYS = 32;
/** Longest protected data, key or location accepted. */
export const MAX_PROTECTED_BYTES = 4096;
export const MAX_LOCATION_LENGTH = 200;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Whole bytes as hex (`04A2…`, case does not matter) to uppercase hex;
 * throws `code` naming `what` otherwise.
 */
export function normalizeHex(value: unknown, code: string, what: string, maxBytes: number): string {
  if (typeof value !== 'string' || !HEX.test(value) || value.length > maxBytes * 2) {
    throw new PortierError(
      code,
      `${what} must be hex in whole bytes (two digits 0-9/A-F each, 1 to ${maxBytes} bytes), found ${describe(value)}.`,
    );
  }
  return value.toUpperCase();
}

export function checkChipType(value: unknown): ChipType {
  if (!isChipType(value)) {
    throw new PortierError('CARD_CHIP_TYPE_UNKNOWN', `There is no chip type ${describe(value)}; chip types: ${CHIP_TYPE_NAMES.join(', ')}.`);
  }
  return value;
}

export function checkUid(value: unknown): string {
  return normalizeHex(value, 'CARD_UID_INVALID', 'A card UID', MAX_UID_BYTES);
}

export function checkLocation(value: unknown, code: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LOCATION_LENGTH) {
    throw new PortierError(
      code,
      `A protected data location is the text a data set names (such as "sector:4/block:1"), 1 to ${MAX_LOCATION_LENGTH} characters; found ${describe(value)}.`,
    );
  }
  return value;
}

/** A PIN: 1 to 32 keys, each a digit, `*` or `#`. */
export function checkPin(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PortierError('PIN_INVALID', `A PIN is at least one key (digits, * and #); found ${describe(value)}.`);
  }
  if (value.length > MAX_PIN_KEYS) {
    throw new PortierError('PIN_INVALID', `A PIN is at most ${MAX_PIN_KEYS} keys; found ${value.length}.`);
  }
  const bad = [...value].find((key) => !/^[0-9*#]$/.test(key));
  if (bad !== undefined) {
    throw new PortierError('PIN_INVALID', `The keypad has digits, * and #; ${JSON.stringify(bad)} in the PIN is not a key.`);
  }
  return value;
}

export function checkLedColor(value: unknown): (typeof LED_COLORS)[number] {
  if (!(LED_COLORS as readonly unknown[]).includes(value)) {
    throw new PortierError('READER_FEEDBACK_INVALID', `The reader LED shows ${LED_COLORS.join(', ')}; found ${describe(value)}.`);
  }
  return value as (typeof LED_COLORS)[number];
}

export function checkBeep(value: unknown): ReaderBeep | 'none' {
  if (value !== 'none' && !(READER_BEEPS as readonly unknown[]).includes(value)) {
    throw new PortierError('READER_FEEDBACK_INVALID', `The reader beeper plays ${[...READER_BEEPS, 'none'].join(', ')}; found ${describe(value)}.`);
  }
  return value as ReaderBeep | 'none';
}

export function checkConnectorMode(value: unknown): ReaderConnectorMode {
  if (value !== 'wiegand' && value !== 'rs485') {
    throw new PortierError('READER_CONNECTOR_CONFIG_INVALID', `The reader connector runs in mode "wiegand" or "rs485"; found ${describe(value)}.`);
  }
  return value;
}

export function checkBaudRate(value: unknown): Rs485BaudRate {
  if (!(RS485_BAUD_RATES as readonly unknown[]).includes(value)) {
    throw new PortierError(
      'READER_CONNECTOR_CONFIG_INVALID',
      `The RS-485 line runs at ${RS485_BAUD_RATES.join(', ')} baud; found ${describe(value)}.`,
    );
  }
  return value as Rs485BaudRate;
}

export function checkBytes(value: unknown, code: string, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new PortierError(code, `${what} must be a Uint8Array; found ${describe(value)}.`);
  }
  return value;
}

const isMicros = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A Wiegand pulse train as a wire carries it: at least one pulse, each on D0
 * or D1, whole microseconds, a width above 0, in time order and never two
 * lines low at once (a pulse ends before the next begins).
 */
export function checkWiegandTrain(pulses: unknown): WiegandPulse[] {
  const fail = (message: string): never => {
    throw new PortierError('WIEGAND_TRAIN_INVALID', `A Wiegand train ${message}`);
  };
  if (!Array.isArray(pulses)) return fail(`is a list of pulses; found ${describe(pulses)}.`);
  if (pulses.length === 0) return fail('needs at least one pulse; an empty train sends nothing.');
  const out: WiegandPulse[] = new Array<WiegandPulse>(pulses.length);
  let endOfLast = 0;
  for (let i = 0; i < pulses.length; i++) {
    const pulse = pulses[i] as Partial<WiegandPulse> | null | undefined;
    const where = `pulse ${i + 1}`;
    if (typeof pulse !== 'object' || pulse === null) return fail(`has ${where} that is not a pulse: ${describe(pulse)}.`);
    const { line, atMicros, widthMicros } = pulse;
    if (line !== 'D0' && line !== 'D1') return fail(`has ${where} on line ${describe(line)}; the lines are D0 and D1.`);
    if (!isMicros(atMicros)) return fail(`has ${where} at ${describe(atMicros)}; times are whole microseconds from 0.`);
    if (!isMicros(widthMicros) || widthMicros === 0) return fail(`has ${where} ${describe(widthMicros)} µs wide; a width is whole microseconds above 0.`);
    if (atMicros < endOfLast) {
      return fail(`has ${where} at ${atMicros} µs, before the pulse ahead of it ended (${endOfLast} µs); pulses go in time order and never overlap.`);
    }
    endOfLast = atMicros + widthMicros;
    out[i] = { line, atMicros, widthMicros };
  }
  return out;
}

/** D0 → 0, D1 → 1: the bits a train carries. */
export function wiegandBits(pulses: readonly WiegandPulse[]): string {
  let bits = '';
  for (const pulse of pulses) bits += pulse.line === 'D1' ? '1' : '0';
  return bits;
}
