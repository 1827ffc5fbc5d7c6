import { evenParityBit, oddParityBit, readField, requireFrame, requireRoom, writeField } from './bit-frame.js';
import type { CardFormat } from './card-format.js';
import { WiegandError, requireIntegerInRange, tryDecodeWith } from './wiegand-error.js';

/** A credential as the classic HID formats carry it: a site (facility) code and a card number. */
export interface FacilityCard {
  facilityCode: number;
  cardNumber: number;
}

export interface FacilityCardFormat extends CardFormat<FacilityCard> {
  readonly credentialKind: 'facility-card';
  readonly facilityCodeMax: number;
  readonly cardNumberMax: number;
}

/** A field at a 0-based offset, `width` bits, most significant bit first. */
export interface FieldLayout {
  offset: number;
  width: number;
}

/** A parity bit at `bit` covering `count` bits from `from` (all 0-based). */
export interface ParityLayout {
  bit: number;
  from: number;
  count: number;
}

/**
 * The layout of a "leading even parity, facility code, card number, trailing
 * odd parity" format. H10301, H10306 (34-bit) and H10304 (37-bit) differ only
 * in these numbers, so each of them is a declaration and the bit-walking code
 * exists once.
 */
export interface FacilityCardLayout {
  name: string;
  label: string;
  bitLength: number;
  facilityCode: FieldLayout;
  cardNumber: FieldLayout;
  evenParity: ParityLayout;
  oddParity: ParityLayout;
}

export function defineFacilityCardFormat(layout: FacilityCardLayout): FacilityCardFormat {
  const { name, bitLength, facilityCode: fc, cardNumber: cn, evenParity: even, oddParity: odd } = layout;
  // writeField/readField are exact up to 32 bits; the widest field here is 19.
  if (fc.width > 32 || cn.width > 32) throw new Error(`${name}: fields wider than 32 bits are not supported`);
  const facilityCodeMax = 2 ** fc.width - 1;
  const cardNumberMax = 2 ** cn.width - 1;

  const encodeInto = (credential: FacilityCard, out: Uint8Array, offset = 0): number => {
    const facilityCode = requireIntegerInRange(name, 'facilityCode', credential.facilityCode, 0, facilityCodeMax);
    const cardNumber = requireIntegerInRange(name, 'cardNumber', credential.cardNumber, 0, cardNumberMax);
    requireRoom(name, out, offset, bitLength);
    // Absolute positions (offset + layout), so encoding into a shared buffer
    // allocates nothing at all, not even a subarray view.
    writeField(out, offset + fc.offset, fc.width, facilityCode);
    writeField(out, offset + cn.offset, cn.width, cardNumber);
    // Parity last: it covers the fields just written (and never the other parity bit).
    out[offset + even.bit] = evenParityBit(out, offset + even.from, even.count);
    out[offset + odd.bit] = oddParityBit(out, offset + odd.from, odd.count);
    return offset + bitLength;
  };

  const decode = (frame: ArrayLike<number>): FacilityCard => {
    requireFrame(name, frame, bitLength);
    checkParity(name, frame, even, 'even', evenParityBit(frame, even.from, even.count));
    checkParity(name, frame, odd, 'odd', oddParityBit(frame, odd.from, odd.count));
    return {
      facilityCode: readField(frame, fc.offset, fc.width),
      cardNumber: readField(frame, cn.offset, cn.width),
    };
  };

  return {
    name,
    label: layout.label,
    bitLength,
    credentialKind: 'facility-card',
    facilityCodeMax,
    cardNumberMax,
    encode: (credential) => {
      const out = new Uint8Array(bitLength);
      encodeInto(credential, out, 0);
      return out;
    },
    encodeInto,
    decode,
    tryDecode: (frame) => tryDecodeWith(decode, frame),
  };
}

function checkParity(name: string, frame: ArrayLike<number>, parity: ParityLayout, kind: 'even' | 'odd', expected: number): void {
  if (frame[parity.bit] === expected) return;
  throw new WiegandError(
    'WIEGAND_PARITY',
    `${name}: ${kind} parity fails (bit ${parity.bit + 1} over bits ${parity.from + 1}–${parity.from + parity.count} ` +
      `should be ${expected}, is ${String(frame[parity.bit])})`,
    'frame',
  );
}
