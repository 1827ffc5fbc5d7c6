import { describe, expect, it } from 'vitest';

import {
  KEYPAD_KEYS,
  KEYPRESS_FORMAT_NAMES,
  WiegandError,
  bitsFromString,
  bitsToString,
  eightBit,
  fourBit,
  getKeypressFormat,
  h10301,
  pin26Bit,
} from './index.js';

function thrown(run: () => unknown): WiegandError {
  try {
    run();
  } catch (error) {
    if (error instanceof WiegandError) return error;
    throw error;
  }
  throw new Error('expected a WiegandError, nothing was thrown');
}

describe('FourBit', () => {
  it('sends "1234#" as one 4-bit frame per key', () => {
    expect(fourBit.encodeKeys('1234#').map(bitsToString)).toEqual(['0001', '0010', '0011', '0100', '1011']);
  });

  // Rosslare "Single Key, Wiegand 4-Bit": 0 = 0000 … 9 = 1001, * = 1010, # = 1011.
  it('has the 4-bit value table of every key and decodes it back', () => {
    const table = KEYPAD_KEYS.map((key) => bitsToString(fourBit.encodeKey(key)));
    expect(table).toEqual(['0000', '0001', '0010', '0011', '0100', '0101', '0110', '0111', '1000', '1001', '1010', '1011']);
    for (const key of KEYPAD_KEYS) expect(fourBit.decodeKey(fourBit.encodeKey(key))).toBe(key);
  });

  it('refuses a key that is not on the keypad, and the codes 12–15', () => {
    for (const key of ['A', '12', '', ' ']) expect(thrown(() => fourBit.encodeKey(key)).code).toBe('WIEGAND_INVALID_KEY');
    expect(thrown(() => fourBit.encodeKey('A')).message).toBe('fourbit: key must be one of 0–9, * or #, got "A"');
    const result = fourBit.tryDecodeKey(bitsFromString('1100'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('WIEGAND_INVALID_KEY');
      expect(result.error.message).toBe('fourbit: key code must be 0–11 (0–9, * = 10, # = 11), got 12');
    }
    expect(thrown(() => fourBit.decodeKey(bitsFromString('101'))).code).toBe('WIEGAND_FRAME_LENGTH');
  });
});

describe('EightBit', () => {
  it('sends "1234#" as complement nibble + key nibble per key', () => {
    expect(eightBit.encodeKeys('1234#').map(bitsToString)).toEqual(['11100001', '11010010', '11000011', '10110100', '01001011']);
  });

  // Rosslare "Single Key, Wiegand 8-Bit, Nibbles Complemented" / HID PINpad table 1.
  it('has the published table', () => {
    const table = KEYPAD_KEYS.map((key) => bitsToString(eightBit.encodeKey(key)));
    expect(table).toEqual([
      '11110000', '11100001', '11010010', '11000011', '10110100', '10100101',
      '10010110', '10000111', '01111000', '01101001', '01011010', '01001011',
    ]);
    for (const key of KEYPAD_KEYS) expect(eightBit.decodeKey(eightBit.encodeKey(key))).toBe(key);
  });

  it('rejects a bad complement, every single-bit error included', () => {
    const error = thrown(() => eightBit.decodeKey(bitsFromString('1111 0001')));
    expect(error.code).toBe('WIEGAND_COMPLEMENT');
    expect(error.message).toBe('eightbit: the high nibble must be the complement of the low nibble 0001, got 1111');
    const frame = eightBit.encodeKey('7');
    for (let i = 0; i < 8; i++) {
      const bad = frame.slice();
      bad[i] = (bad[i] as number) ^ 1;
      const result = eightBit.tryDecodeKey(bad);
      expect(result.ok ? 'decoded' : result.error.code).toBe('WIEGAND_COMPLEMENT');
    }
    // 1100 complemented is a valid pair but not a key.
    expect(thrown(() => eightBit.decodeKey(bitsFromString('0011 1100'))).code).toBe('WIEGAND_INVALID_KEY');
  });
});

describe('26-bit PIN', () => {
  it('sends "1234" as card number 1234 in an H10301 frame with facility code 0', () => {
    const frame = pin26Bit.encodePin('1234');
    expect(bitsToString(frame)).toBe('0' + '00000000' + '0000010011010010' + '0');
    expect(h10301.decode(frame)).toEqual({ facilityCode: 0, cardNumber: 1234 });
    expect(pin26Bit.decodePin(frame)).toEqual({ pin: '1234', facilityCode: 0 });
  });

  it('puts a configured facility code in the frame', () => {
    const frame = pin26Bit.encodePin('1234', { facilityCode: 12 });
    expect(bitsToString(frame)).toBe('0' + '00001100' + '0000010011010010' + '0');
    expect(pin26Bit.decodePin(frame)).toEqual({ pin: '1234', facilityCode: 12 });
  });

  it('takes PINs 0 to 65535; leading zeros are not kept', () => {
    expect(pin26Bit.decodePin(pin26Bit.encodePin('65535')).pin).toBe('65535');
    expect(pin26Bit.decodePin(pin26Bit.encodePin('0')).pin).toBe('0');
    expect(pin26Bit.decodePin(pin26Bit.encodePin('0123')).pin).toBe('123');
    expect(pin26Bit.pinCredential('00042')).toEqual({ facilityCode: 0, cardNumber: 42 });
  });

  it('refuses a PIN that does not fit or holds a non-digit', () => {
    const big = thrown(() => pin26Bit.encodePin('65536'));
    expect(big.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(big.message).toBe('26-bit-pin: pin must be a number from 0 to 65535 (the 16-bit card number of an H10301 frame), got "65536"');
    expect(thrown(() => pin26Bit.encodePin('9'.repeat(400))).code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(thrown(() => pin26Bit.encodePin('')).code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    const hash = thrown(() => pin26Bit.encodePin('1234#'));
    expect(hash.code).toBe('WIEGAND_INVALID_KEY');
    expect(hash.details).toEqual([{ path: 'pin', message: hash.message }]);
    expect(thrown(() => pin26Bit.encodePin('12', { facilityCode: 256 })).message).toBe(
      '26-bit-pin: facilityCode must be an integer from 0 to 255, got 256',
    );
  });

  it('reports a parity error on a damaged PIN frame', () => {
    const frame = pin26Bit.encodePin('1234');
    frame[20] = (frame[20] as number) ^ 1;
    const result = pin26Bit.tryDecodePin(frame);
    expect(result.ok ? 'decoded' : result.error.code).toBe('WIEGAND_PARITY');
  });
});

describe('keypress format registry', () => {
  it('has FourBit, EightBit and 26-bit PIN under their settings names', () => {
    expect(KEYPRESS_FORMAT_NAMES).toEqual(['fourbit', 'eightbit', '26-bit-pin']);
    const sends = KEYPRESS_FORMAT_NAMES.map((name) => {
      const format = getKeypressFormat(name);
      return format.sends === 'each-key' ? format.encodeKeys('12').length : format.encodePin('12').length;
    });
    expect(sends).toEqual([2, 2, 26]);
    expect(getKeypressFormat('fourbit').label).toBe('FourBit');
    expect(thrown(() => getKeypressFormat('FourBit')).code).toBe('WIEGAND_UNKNOWN_FORMAT');
  });
});
