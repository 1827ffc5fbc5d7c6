import { readField, requireFrame, requireRoom, writeField } from './bit-frame.js';
import { keyFromValue, keyValue } from './keypad-key.js';
import { type KeyFormat, eachKeyFormat } from './keypress-format.js';

const NAME = 'fourbit';
const BIT_LENGTH = 4;

/**
 * FourBit keypress format (the manual's example picks it: "Under Keypress
 * format, select FourBit"): each key is sent at once as a 4-bit frame, most
 * significant bit first, no parity — 0–9 as themselves, * = 1010, # = 1011.
 *
 *   "1" → 0001    "#" → 1011
 *
 * Source: Rosslare AY-Q series manual, 4.2.3.9 "Single Key, Wiegand 4-Bit":
 * "Each key press immediately sends 4 bits of data, with no parity bits added"
 * (https://www.easymanua.ls/rosslare/ayc-q-series/manual/1466658?p=26).
 *
 * With no parity there is nothing to check but the length and the value: a
 * frame of 1100–1111 is not a key and is refused.
 */
function encodeKeyInto(key: string, out: Uint8Array, offset = 0): number {
  const value = keyValue(NAME, key);
  requireRoom(NAME, out, offset, BIT_LENGTH);
  writeField(out, offset, BIT_LENGTH, value);
  return offset + BIT_LENGTH;
}

function decodeKey(frame: ArrayLike<number>) {
  requireFrame(NAME, frame, BIT_LENGTH);
  return keyFromValue(NAME, readField(frame, 0, BIT_LENGTH));
}

export const fourBit: KeyFormat = eachKeyFormat({ name: NAME, label: 'FourBit', bitLength: BIT_LENGTH, encodeKeyInto, decodeKey });
