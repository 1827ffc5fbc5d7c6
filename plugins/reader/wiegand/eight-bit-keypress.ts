import { readField, requireFrame, requireRoom, writeField } from './bit-frame.js';
import { keyFromValue, keyValue } from './keypad-key.js';
import { type KeyFormat, eachKeyFormat } from './keypress-format.js';
import { WiegandError } from './wiegand-error.js';

const NAME = 'eightbit';
const BIT_LENGTH = 8;

/**
 * EightBit keypress format ("8-bit, nibbles complemented"): each key is sent
 * at once as 8 bits — first the ones' complement of the key's 4-bit value,
 * then the value itself, each most significant bit first. The complement is
 * the error check many controllers expect from a keypad.
 *
 *   "1" → 1110 0001    "*" → 0101 1010    "#" → 0100 1011
 *
 * Sources: HID PINpad 8-bit Wiegand reader, "Keypad Data": "The four Least
 * Significant Bits (LSB) represent the binary equivalent of the decimal
 * character … The four Most Significant Bits (MSB) represent the 'Ones
 * complement' of the four LSBs"
 * (https://azmanual.top/manuals/433090/hid-wiegand-pinpad-rev-c-installation-guide.html?page=3);
 * Rosslare AY-T6350 manual, 5.4.3 "Single Key, Wiegand 8-Bit, Nibbles
 * Complemented", table 0 = 11110000 … # = 01001011
 * (https://www.easymanua.ls/rosslare/mifare-ay-t6350/manual?p=18).
 */
function encodeKeyInto(key: string, out: Uint8Array, offset = 0): number {
  const value = keyValue(NAME, key);
  requireRoom(NAME, out, offset, BIT_LENGTH);
  writeField(out, offset, 4, ~value & 0xf);
  writeField(out, offset + 4, 4, value);
  return offset + BIT_LENGTH;
}

function decodeKey(frame: ArrayLike<number>) {
  requireFrame(NAME, frame, BIT_LENGTH);
  const complement = readField(frame, 0, 4);
  const value = readField(frame, 4, 4);
  if ((complement ^ value) !== 0xf) {
    throw new WiegandError(
      'WIEGAND_COMPLEMENT',
      `${NAME}: the high nibble must be the complement of the low nibble ${value.toString(2).padStart(4, '0')}, ` +
        `got ${complement.toString(2).padStart(4, '0')}`,
      'frame',
    );
  }
  return keyFromValue(NAME, value);
}

export const eightBit: KeyFormat = eachKeyFormat({ name: NAME, label: 'EightBit', bitLength: BIT_LENGTH, encodeKeyInto, decodeKey });
