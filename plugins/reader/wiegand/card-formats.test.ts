import { describe, expect, it } from 'vitest';

import {
  CARD_FORMAT_NAMES,
  WiegandError,
  bitsFromString,
  bitsToString,
  cardFormats,
  csn32,
  csn56,
  facilityCardFromNumber32,
  getCardFormat,
  h10301,
  h10304,
  h10306,
  number32FromFacilityCard,
  type AnyCardFormat,
  type DecodeResult,
} from './index.js';

/** The error a call throws, for checking its code and message. */
function thrown(run: () => unknown): WiegandError {
  try {
    run();
  } catch (error) {
    if (error instanceof WiegandError) return error;
    throw error;
  }
  throw new Error('expected a WiegandError, nothing was thrown');
}

function failure<T>(result: DecodeResult<T>): WiegandError {
  if (result.ok) throw new Error(`expected a failed decode, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function flip(frame: Uint8Array, index: number): Uint8Array {
  const copy = frame.slice();
  copy[index] = (copy[index] as number) ^ 1;
  return copy;
}

const compact = (text: string) => text.replace(/ /g, '');

describe('H10301 26-bit', () => {
  // Expected strings follow HID Tech Tip #5's layout E FFFFFFFF CCCCCCCCCCCCCCCC O
  // (even over bits 2–13, odd over 14–25); FC 1 / card 1 = 10000000100000000000000010
  // is also the vector published in public H10301 test plans.
  it.each([
    { fc: 1, card: 1, bits: '1 00000001 0000000000000001 0' },
    { fc: 255, card: 65535, bits: '0 11111111 1111111111111111 1' },
    { fc: 0, card: 0, bits: '0 00000000 0000000000000000 1' },
    // Civintec CN56 manual 6.4.2: data D4 1B 81 → "1 11010100 00011011 10000001 0".
    { fc: 0xd4, card: 0x1b81, bits: '1 11010100 0001101110000001 0' },
  ])('FC $fc card $card → $bits', ({ fc, card, bits }) => {
    const frame = h10301.encode({ facilityCode: fc, cardNumber: card });
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(bitsToString(frame)).toBe(compact(bits));
    expect(h10301.decode(bitsFromString(bits))).toEqual({ facilityCode: fc, cardNumber: card });
  });

  it('FC 1 card 1 is 10000000100000000000000010', () => {
    expect(bitsToString(h10301.encode({ facilityCode: 1, cardNumber: 1 }))).toBe('10000000100000000000000010');
  });

  it('detects every single-bit error as a parity error', () => {
    const frame = h10301.encode({ facilityCode: 85, cardNumber: 4660 });
    for (let i = 0; i < frame.length; i++) {
      const error = failure(h10301.tryDecode(flip(frame, i)));
      expect(error.code, `bit ${i + 1}`).toBe('WIEGAND_PARITY');
    }
  });

  it('names the failing parity bit and what it covers', () => {
    const frame = h10301.encode({ facilityCode: 1, cardNumber: 1 });
    expect(thrown(() => h10301.decode(flip(frame, 0))).message).toMatch(/even parity fails \(bit 1 over bits 2–13/);
    expect(thrown(() => h10301.decode(flip(frame, 25))).message).toMatch(/odd parity fails \(bit 26 over bits 14–25/);
  });

  it.each([
    { credential: { facilityCode: 256, cardNumber: 1 }, field: 'facilityCode', range: '0 to 255', got: '256' },
    { credential: { facilityCode: -1, cardNumber: 1 }, field: 'facilityCode', range: '0 to 255', got: '-1' },
    { credential: { facilityCode: 1, cardNumber: 65536 }, field: 'cardNumber', range: '0 to 65535', got: '65536' },
    { credential: { facilityCode: 1, cardNumber: 1.5 }, field: 'cardNumber', range: '0 to 65535', got: '1.5' },
    { credential: { facilityCode: 1, cardNumber: Number.NaN }, field: 'cardNumber', range: '0 to 65535', got: 'NaN' },
  ])('refuses $field $got', ({ credential, field, range, got }) => {
    const error = thrown(() => h10301.encode(credential));
    expect(error.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(error.message).toBe(`h10301: ${field} must be an integer from ${range}, got ${got}`);
    expect(error.toJSON()).toEqual({ code: 'WIEGAND_VALUE_OUT_OF_RANGE', message: error.message, details: [{ path: field, message: error.message }] });
  });

  it('refuses a frame of the wrong length or with a non-bit', () => {
    const short = bitsFromString('1 00000001 000000000000001 0'); // 25 bits
    expect(failure(h10301.tryDecode(short)).code).toBe('WIEGAND_FRAME_LENGTH');
    expect(failure(h10301.tryDecode(short)).message).toBe('h10301: a frame has 26 bits, got 25 (a bit lost or added on the way?)');
    const notBits = h10301.encode({ facilityCode: 1, cardNumber: 1 });
    notBits[3] = 2;
    expect(failure(h10301.tryDecode(notBits)).code).toBe('WIEGAND_INVALID_FRAME');
    expect(h10301.decode([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])).toEqual({ facilityCode: 1, cardNumber: 1 });
  });
});

describe('34-bit (H10306)', () => {
  // Hikvision's example: card number 1234567890 = 0x499602D2 → 1 + 32 bits + 0.
  it('matches the published 32-bit-number example 1234567890', () => {
    const credential = facilityCardFromNumber32(1234567890);
    expect(credential).toEqual({ facilityCode: 0x4996, cardNumber: 0x02d2 });
    expect(bitsToString(h10306.encode(credential))).toBe(compact('1 0100100110010110 0000001011010010 0'));
    expect(number32FromFacilityCard(h10306.decode(h10306.encode(credential)))).toBe(1234567890);
  });

  // Civintec CN56 manual 6.4.5: data 89 D4 1B 81 → "1 10001001 11010100 00011011 10000001 1".
  it('matches the published example 0x89D41B81', () => {
    const frame = h10306.encode({ facilityCode: 0x89d4, cardNumber: 0x1b81 });
    expect(bitsToString(frame)).toBe(compact('1 1000100111010100 0001101110000001 1'));
  });

  it('round-trips its extremes and detects every single-bit error', () => {
    for (const credential of [
      { facilityCode: 0, cardNumber: 0 },
      { facilityCode: 65535, cardNumber: 65535 },
      { facilityCode: 1, cardNumber: 1 },
      { facilityCode: 0xffff, cardNumber: 0 },
    ]) {
      const frame = h10306.encode(credential);
      expect(frame.length).toBe(34);
      expect(h10306.decode(frame)).toEqual(credential);
      for (let i = 0; i < 34; i++) expect(failure(h10306.tryDecode(flip(frame, i))).code).toBe('WIEGAND_PARITY');
    }
    expect(bitsToString(h10306.encode({ facilityCode: 0, cardNumber: 0 }))).toBe(`0${'0'.repeat(32)}1`);
    expect(number32FromFacilityCard({ facilityCode: 0xffff, cardNumber: 0xffff })).toBe(0xffff_ffff);
  });

  it('refuses values outside 16 bits, and 32-bit numbers outside 32 bits', () => {
    const error = thrown(() => h10306.encode({ facilityCode: 65536, cardNumber: 0 }));
    expect(error.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(error.message).toBe('34-bit: facilityCode must be an integer from 0 to 65535, got 65536');
    expect(thrown(() => facilityCardFromNumber32(2 ** 32)).message).toBe('34-bit: number32 must be an integer from 0 to 4294967295, got 4294967296');
  });
});

describe('H10304 37-bit', () => {
  // Layout PFFFFFFFFFFFFFFFFCCCCCCCCCCCCCCCCCCCP, even over bits 2–19, odd over 19–36 (ooaccess.com/kb/37-bit-fc).
  it.each([
    { fc: 1, card: 1, bits: '1 0000000000000001 0000000000000000001 0' },
    { fc: 0, card: 0, bits: '0 0000000000000000 0000000000000000000 1' },
    { fc: 65535, card: 524287, bits: '0 1111111111111111 1111111111111111111 1' },
    // Card bit at frame bit 19, the one both parities cover: both parity bits change.
    { fc: 0, card: 0x20000, bits: '1 0000000000000000 0100000000000000000 0' },
    // Card bit at frame bit 18: covered by the even parity only.
    { fc: 0, card: 0x40000, bits: '1 0000000000000000 1000000000000000000 1' },
  ])('FC $fc card $card → $bits', ({ fc, card, bits }) => {
    const frame = h10304.encode({ facilityCode: fc, cardNumber: card });
    expect(bitsToString(frame)).toBe(compact(bits));
    expect(h10304.decode(frame)).toEqual({ facilityCode: fc, cardNumber: card });
  });

  it('round-trips and detects every single-bit error', () => {
    const credential = { facilityCode: 4242, cardNumber: 300_001 };
    const frame = h10304.encode(credential);
    expect(h10304.decode(frame)).toEqual(credential);
    for (let i = 0; i < 37; i++) expect(failure(h10304.tryDecode(flip(frame, i))).code, `bit ${i + 1}`).toBe('WIEGAND_PARITY');
  });

  it('refuses a card number beyond 19 bits', () => {
    const error = thrown(() => h10304.encode({ facilityCode: 1, cardNumber: 524288 }));
    expect(error.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(error.message).toBe('h10304: cardNumber must be an integer from 0 to 524287, got 524288');
  });
});

describe('raw CSN', () => {
  it('sends a 4-byte UID as 32 bits, byte 0 first, MSB first, no parity', () => {
    const frame = csn32.encode({ uid: '04a1b2c3' });
    expect(bitsToString(frame)).toBe(compact('00000100 10100001 10110010 11000011'));
    expect(csn32.decode(frame)).toEqual({ uid: '04A1B2C3' });
  });

  it('sends a 7-byte UID as 56 bits', () => {
    const frame = csn56.encode({ uid: '04112233445566' });
    expect(frame.length).toBe(56);
    expect(bitsToString(frame)).toBe(compact('00000100 00010001 00100010 00110011 01000100 01010101 01100110'));
    expect(csn56.decode(frame)).toEqual({ uid: '04112233445566' });
  });

  it('refuses a UID of the other length, or not hexadecimal', () => {
    const long = thrown(() => csn32.encode({ uid: '04112233445566' }));
    expect(long.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(long.message).toBe('csn-32: uid must be 4 bytes (8 hex digits), got 14 hex digits');
    expect(thrown(() => csn56.encode({ uid: '04A1B2C3' })).message).toBe('csn-56: uid must be 7 bytes (14 hex digits), got 8 hex digits');
    const notHex = thrown(() => csn32.encode({ uid: '04A1B2CZ' }));
    expect(notHex.code).toBe('WIEGAND_INVALID_VALUE');
    expect(failure(csn32.tryDecode(new Uint8Array(34))).code).toBe('WIEGAND_FRAME_LENGTH');
  });
});

describe('format registry', () => {
  it('has each format under its settings name', () => {
    expect(CARD_FORMAT_NAMES).toEqual(['h10301', '34-bit', 'h10304', 'csn-32', 'csn-56']);
    for (const name of CARD_FORMAT_NAMES) {
      const format: AnyCardFormat = getCardFormat(name);
      expect(format.name).toBe(name);
      expect(format).toBe(cardFormats[name]);
    }
    expect(getCardFormat('34-bit').bitLength).toBe(34);
  });

  it('tells by credentialKind which credential a format takes', () => {
    const encoded = CARD_FORMAT_NAMES.map((name) => {
      const format = getCardFormat(name);
      return format.credentialKind === 'csn'
        ? format.encode({ uid: '0A'.repeat(format.uidBytes) }).length
        : format.encode({ facilityCode: 1, cardNumber: 2 }).length;
    });
    expect(encoded).toEqual([26, 34, 37, 32, 56]);
  });

  it('refuses an unknown name, including object keys', () => {
    for (const name of ['h10302', 'toString', '__proto__', '']) {
      const error = thrown(() => getCardFormat(name));
      expect(error.code).toBe('WIEGAND_UNKNOWN_FORMAT');
    }
    expect(thrown(() => getCardFormat('wiegand-26')).message).toBe(
      'cardFormat must be one of h10301, 34-bit, h10304, csn-32, csn-56, got "wiegand-26"',
    );
  });
});

describe('encodeInto', () => {
  it('writes frames back to back into one buffer and returns the next offset', () => {
    const out = new Uint8Array(26 + 37);
    let offset = h10301.encodeInto({ facilityCode: 1, cardNumber: 1 }, out);
    offset = h10304.encodeInto({ facilityCode: 1, cardNumber: 1 }, out, offset);
    expect(offset).toBe(63);
    expect(bitsToString(out.subarray(0, 26))).toBe('10000000100000000000000010');
    expect(h10304.decode(out.subarray(26))).toEqual({ facilityCode: 1, cardNumber: 1 });
  });

  it('refuses a buffer without room rather than dropping bits', () => {
    const error = thrown(() => h10301.encodeInto({ facilityCode: 1, cardNumber: 1 }, new Uint8Array(30), 5));
    expect(error.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(error.message).toBe('h10301: offset must leave room for 26 bits in an output of 30, got offset 5');
  });
});
