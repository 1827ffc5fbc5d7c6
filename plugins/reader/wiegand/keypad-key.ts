import { WiegandError } from './wiegand-error.js';

/**
 * The keys of the intercom's keypad and the 4-bit value each sends: digits as
 * themselves, `*` as 10 (0xA) and `#` as 11 (0xB). This is the value table
 * the keypress formats share (Rosslare AY-Q "Single Key, Wiegand 4-Bit":
 * "* = 1010 = A, # = 1011 = B",
 * https://www.easymanua.ls/rosslare/ayc-q-series/manual/1466658?p=26; HID
 * PINpad 8-bit Wiegand reader, table 1,
 * https://azmanual.top/manuals/433090/hid-wiegand-pinpad-rev-c-installation-guide.html?page=3).
 */
export const KEYPAD_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

export type KeypadKey = (typeof KEYPAD_KEYS)[number];

const STAR = 42; // '*'
const HASH = 35; // '#'

/** The 4-bit value of one key; anything else is WIEGAND_INVALID_KEY. */
export function keyValue(where: string, key: string): number {
  if (typeof key === 'string' && key.length === 1) {
    const code = key.charCodeAt(0);
    if (code >= 48 && code <= 57) return code - 48;
    if (code === STAR) return 10;
    if (code === HASH) return 11;
  }
  throw new WiegandError(
    'WIEGAND_INVALID_KEY',
    `${where}: key must be one of 0–9, * or #, got ${JSON.stringify(key)}`,
    'key',
  );
}

/** The key a 4-bit value stands for; 12–15 are not keys (WIEGAND_INVALID_KEY). */
export function keyFromValue(where: string, value: number): KeypadKey {
  const key = KEYPAD_KEYS[value];
  if (key === undefined) {
    throw new WiegandError('WIEGAND_INVALID_KEY', `${where}: key code must be 0–11 (0–9, * = 10, # = 11), got ${value}`, 'frame');
  }
  return key;
}
