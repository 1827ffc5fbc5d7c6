import { WiegandError } from './wiegand-error.js';

/**
 * A Wiegand frame is a `Uint8Array` with one element per bit, 0 or 1, in
 * transmission order: element 0 is the first bit on the wire (the leading
 * parity bit of a card frame). One byte per bit rather than packed bits,
 * because every consumer (parity, fields, pulse train) walks bit by bit and
 * frames are short (at most a few dozen bits); and a typed array, so encoding
 * allocates the output once and nothing per bit.
 *
 * Offsets in this codec are 0-based. Messages number bits from 1, as the HID
 * format descriptions do ("bit 1 is even parity over bits 2–13").
 */
export type BitFrame = Uint8Array;

/**
 * Writes `value` as a big-endian (most significant bit first) field of
 * `width` bits at `offset`. Fields are at most 32 bits wide, so `>>>` is exact.
 */
export function writeField(frame: Uint8Array, offset: number, width: number, value: number): void {
  for (let i = width - 1, pos = offset; i >= 0; i--, pos++) frame[pos] = (value >>> i) & 1;
}

/** Reads a big-endian field of at most 32 bits (multiplication, not `<<`, so bit 31 does not turn the sign). */
export function readField(frame: ArrayLike<number>, offset: number, width: number): number {
  let value = 0;
  for (let pos = offset, end = offset + width; pos < end; pos++) value = value * 2 + (frame[pos] as number);
  return value;
}

/** The number of 1 bits in frame[from .. from + count). */
export function countOnes(frame: ArrayLike<number>, from: number, count: number): number {
  let ones = 0;
  for (let pos = from, end = from + count; pos < end; pos++) ones += frame[pos] as number;
  return ones;
}

/** The bit that makes the covered bits plus itself hold an even number of 1s. */
export function evenParityBit(frame: ArrayLike<number>, from: number, count: number): number {
  return countOnes(frame, from, count) & 1;
}

/** The bit that makes the covered bits plus itself hold an odd number of 1s. */
export function oddParityBit(frame: ArrayLike<number>, from: number, count: number): number {
  return (countOnes(frame, from, count) & 1) ^ 1;
}

/**
 * Checks a frame handed to a decoder: the format's exact length and only 0/1
 * elements. A frame from a receiver that lost or gained a bit fails here with
 * WIEGAND_FRAME_LENGTH, which says more than a parity error over misaligned
 * fields would.
 */
export function requireFrame(where: string, frame: ArrayLike<number>, bitLength: number): void {
  if (frame.length !== bitLength) {
    throw new WiegandError(
      'WIEGAND_FRAME_LENGTH',
      `${where}: a frame has ${bitLength} bits, got ${frame.length} (a bit lost or added on the way?)`,
      'frame',
    );
  }
  for (let pos = 0; pos < bitLength; pos++) {
    const bit = frame[pos];
    if (bit !== 0 && bit !== 1) {
      throw new WiegandError('WIEGAND_INVALID_FRAME', `${where}: bit ${pos + 1} must be 0 or 1, got ${String(bit)}`, 'frame');
    }
  }
}

/**
 * Parses a bit string such as the HID documentation prints
 * ("1 00000001 0000000000000001 0"); spaces, `_` and `-` group digits and are
 * skipped. For tests, logs and settings, not the hot path.
 */
export function bitsFromString(text: string): Uint8Array {
  const bits: number[] = [];
  for (const char of text) {
    if (char === '0' || char === '1') bits.push(char === '1' ? 1 : 0);
    else if (char !== ' ' && char !== '_' && char !== '-') {
      throw new WiegandError('WIEGAND_INVALID_FRAME', `a bit string holds only 0, 1 and spaces, got ${JSON.stringify(char)}`, 'frame');
    }
  }
  return Uint8Array.from(bits);
}

/** The frame as "0"/"1" characters, first bit first. */
export function bitsToString(frame: ArrayLike<number>): string {
  let text = '';
  for (let pos = 0; pos < frame.length; pos++) text += frame[pos] === 1 ? '1' : '0';
  return text;
}

/**
 * Makes sure `out` has room for `bitLength` bits at `offset`, so an
 * `encodeInto` into a too-small buffer fails loudly instead of silently
 * dropping bits (typed arrays ignore out-of-range writes).
 */
export function requireRoom(where: string, out: Uint8Array, offset: number, bitLength: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + bitLength > out.length) {
    throw new WiegandError(
      'WIEGAND_VALUE_OUT_OF_RANGE',
      `${where}: offset must leave room for ${bitLength} bits in an output of ${out.length}, got offset ${offset}`,
      'offset',
    );
  }
}
