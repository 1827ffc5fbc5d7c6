/**
 * The data blocks of the PD's replies, from fields to bytes (SIA OSDP v2.2 §7;
 * layouts cross-checked with libosdp src/osdp_pd.c pd_build_reply):
 *
 *   osdp_PDID    vendor code (3, LSB first) | model | version | serial (4, LSB first) | firmware major, minor, build
 *   osdp_PDCAP   (function code, compliance, number of items) × n   — codes: Annex B
 *   osdp_LSTATR  tamper | power                                     (0 normal, 1 tamper / power failure)
 *   osdp_ISTATR  one byte per input; osdp_OSTATR one byte per output (0 inactive, 1 active)
 *   osdp_RAW     reader | format | bit count (2, LSB first) | bits, first bit in the MSB of the first byte
 *   osdp_KEYPAD  reader | digit count | digits ('0'–'9' as ASCII, '*' 0x7F, '#' 0x0D)
 *   osdp_COM     address | baud rate (4, LSB first)
 *   osdp_NAK     reason
 *   osdp_CCRYPT  cUID (8) | RND.B (8) | client cryptogram (16)
 *   osdp_RMAC_I  initial R-MAC (16)
 */

export interface PdIdentity {
  /** The vendor's IEEE OUI, a 24-bit number. */
  vendorCode: number;
  model: number;
  version: number;
  /** 32-bit serial number. */
  serialNumber: number;
  firmware: { major: number; minor: number; build: number };
}

export interface Capability {
  /** Annex B function code: 1 inputs, 2 outputs, 3 card data format, 4 LEDs, 5 buzzer, 6 text, 8 CRC, 9 security, 10 receive buffer… */
  functionCode: number;
  compliance: number;
  count: number;
}

/** osdp_RAW format byte: 0 = raw bits, format not specified; 1 = Wiegand P/data/P. */
export type CardFormat = 'raw' | 'wiegand';

export interface CardRead {
  /** The bits as read, first bit first: a string of '0'/'1', or bytes with the bit count. */
  bits: string | { data: Uint8Array; bitCount: number };
  format?: CardFormat;
  reader?: number;
}

/** Longest card data osdp_PDCAP card format level 1 promises: 1024 bits (Annex B, function 3). */
export const MAX_CARD_BITS = 1024;

function u8(value: number): number {
  return value & 0xff;
}

export function encodePdid(identity: PdIdentity): Uint8Array {
  const v = identity.vendorCode;
  const s = identity.serialNumber;
  const f = identity.firmware;
  return Uint8Array.of(u8(v), u8(v >> 8), u8(v >> 16), u8(identity.model), u8(identity.version),
    u8(s), u8(s >> 8), u8(s >> 16), u8(s >>> 24), u8(f.major), u8(f.minor), u8(f.build));
}

export function encodePdcap(capabilities: readonly Capability[]): Uint8Array {
  const out = new Uint8Array(capabilities.length * 3);
  capabilities.forEach((cap, i) => out.set([u8(cap.functionCode), u8(cap.compliance), u8(cap.count)], i * 3));
  return out;
}

export function encodeStates(states: readonly boolean[]): Uint8Array {
  return Uint8Array.from(states, (on) => (on ? 1 : 0));
}

/** Validates a card read and returns the osdp_RAW data block. Throws RangeError on an unusable card (a caller error, not input from the bus). */
export function encodeRawCard(card: CardRead): Uint8Array {
  let bitCount: number;
  let bytes: Uint8Array;
  if (typeof card.bits === 'string') {
    if (!/^[01]+$/.test(card.bits)) throw new RangeError("card bits must be a non-empty string of '0' and '1'");
    bitCount = card.bits.length;
    bytes = new Uint8Array(Math.ceil(bitCount / 8));
    for (let i = 0; i < bitCount; i++) if (card.bits[i] === '1') bytes[i >> 3]! |= 0x80 >> (i & 7);
  } else {
    bitCount = card.bits.bitCount;
    if (!Number.isInteger(bitCount) || bitCount < 1 || card.bits.data.length !== Math.ceil(bitCount / 8)) {
      throw new RangeError('card data must hold exactly ceil(bitCount / 8) bytes');
    }
    bytes = card.bits.data.slice();
    const spare = bytes.length * 8 - bitCount;
    if (spare > 0) bytes[bytes.length - 1]! &= (0xff << spare) & 0xff;
  }
  if (bitCount > MAX_CARD_BITS) throw new RangeError(`card data longer than ${MAX_CARD_BITS} bits`);
  const reader = card.reader ?? 0;
  const out = new Uint8Array(4 + bytes.length);
  out.set([u8(reader), card.format === 'wiegand' ? 1 : 0, u8(bitCount), u8(bitCount >> 8)], 0);
  out.set(bytes, 4);
  return out;
}

const KEY_CODES: Record<string, number> = { '*': 0x7f, '#': 0x0d };

/** Validates typed keys and returns the osdp_KEYPAD data block. Throws RangeError on keys a keypad cannot send. */
export function encodeKeypad(digits: string, reader = 0): Uint8Array {
  if (!/^[0-9*#]{1,255}$/.test(digits)) throw new RangeError("keypad input must be 1–255 of '0'–'9', '*', '#'");
  const out = new Uint8Array(2 + digits.length);
  out[0] = u8(reader);
  out[1] = digits.length;
  for (let i = 0; i < digits.length; i++) out[2 + i] = KEY_CODES[digits[i]!] ?? digits.charCodeAt(i);
  return out;
}

export function encodeCom(address: number, baudRate: number): Uint8Array {
  return Uint8Array.of(u8(address), u8(baudRate), u8(baudRate >> 8), u8(baudRate >> 16), u8(baudRate >>> 24));
}

export function encodeCcrypt(clientUid: Uint8Array, rndB: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(clientUid.subarray(0, 8), 0);
  out.set(rndB, 8);
  out.set(cryptogram, 16);
  return out;
}
