/**
 * G.711 µ-law and A-law (ITU-T G.711), following the reference
 * implementation of the ITU-T G.191 software tools (g711.c: ulaw_compress,
 * ulaw_expand, alaw_compress, alaw_expand) step by step: µ-law quantises
 * 14 bits with a bias of 33, A-law 13 bits with the even bits inverted
 * (xor 0x55). Negative input is one's-complemented (~x), not negated — that
 * is what makes these bytes bit-exact with the reference, e.g. −4 → 0x7F.
 * 16-bit PCM goes in and comes out. Decoding uses 256-entry tables built once
 * from the same algorithm, since every received packet goes through them.
 */

/** One 16-bit linear sample to a µ-law byte (G.191 ulaw_compress). */
export function linearToUlaw(sample: number): number {
  const x = clamp16(sample);
  let magnitude = (x < 0 ? ~x >> 2 : x >> 2) + 33;
  if (magnitude > 0x1fff) magnitude = 0x1fff;
  let segment = 1;
  for (let i = magnitude >> 6; i !== 0; i >>= 1) segment++;
  const high = 0x08 - segment;
  const low = 0x0f - ((magnitude >> segment) & 0x0f);
  const code = (high << 4) | low;
  return x >= 0 ? code | 0x80 : code;
}

/** One µ-law byte to a 16-bit linear sample (G.191 ulaw_expand). */
export function ulawToLinear(code: number): number {
  return ULAW_TABLE[code & 0xff]!;
}

/** One 16-bit linear sample to an A-law byte (G.191 alaw_compress). */
export function linearToAlaw(sample: number): number {
  const x = clamp16(sample);
  let value = x < 0 ? ~x >> 4 : x >> 4;
  if (value > 15) {
    let exponent = 1;
    while (value > 16 + 15) {
      value >>= 1;
      exponent++;
    }
    value = value - 16 + (exponent << 4);
  }
  if (x >= 0) value |= 0x80;
  return value ^ 0x55;
}

/** One A-law byte to a 16-bit linear sample (G.191 alaw_expand). */
export function alawToLinear(code: number): number {
  return ALAW_TABLE[code & 0xff]!;
}

export function encodeUlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToUlaw(samples[i]!);
  return out;
}

export function decodeUlaw(codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = ULAW_TABLE[codes[i]!]!;
  return out;
}

export function encodeAlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}

export function decodeAlaw(codes: Uint8Array): Int16Array {
  const out = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = ALAW_TABLE[codes[i]!]!;
  return out;
}

/** The µ-law byte of silence (+0). */
export const ULAW_SILENCE = 0xff;
/** The A-law byte of silence (the smallest positive step, +8). */
export const ALAW_SILENCE = 0xd5;

function clamp16(sample: number): number {
  const whole = Math.trunc(sample);
  return whole > 32767 ? 32767 : whole < -32768 ? -32768 : whole;
}

function ulawExpand(code: number): number {
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const step = 4 << (exponent + 1);
  const magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * 33;
  return code < 0x80 ? -magnitude : magnitude;
}

function alawExpand(code: number): number {
  const value = (code ^ 0x55) & 0x7f;
  const exponent = value >> 4;
  let mantissa = value & 0x0f;
  if (exponent > 0) mantissa += 16;
  mantissa = (mantissa << 4) + 0x08;
  if (exponent > 1) mantissa <<= exponent - 1;
  return code > 127 ? mantissa : -mantissa;
}

const ULAW_TABLE = Int16Array.from({ length: 256 }, (_, code) => ulawExpand(code));
const ALAW_TABLE = Int16Array.from({ length: 256 }, (_, code) => alawExpand(code));
