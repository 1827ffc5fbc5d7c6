/**
 * One OSDP frame, as bytes and as fields (SIA OSDP v2.2 §5, packet format;
 * libosdp doc/osdp-packet-structure.md has the same tables):
 *
 *   SOM 0x53 | ADDR | LEN_LSB | LEN_MSB | CTRL | [SCB: len, type, data…] | CODE | DATA… | [MAC ×4] | CKSUM or CRC_LSB CRC_MSB
 *
 * - ADDR: PD address 0x00–0x7E, 0x7F broadcast; bit 7 set on replies.
 * - LEN: the whole frame, SOM through the check characters, little-endian.
 * - CTRL: bits 0–1 sequence number, bit 2 set = CRC-16 (else 8-bit checksum),
 *   bit 3 set = a security control block follows; bits 4–7 are not used by
 *   v2.2 and must be zero, which also helps reject noise that looks like SOM.
 * - The MAC is present exactly when the SCB type is SCS_15…SCS_18 (Annex D).
 *
 * Encoding may throw on a programming error (an address out of range, a
 * frame over 65535 bytes); decoding never throws — it answers with a reason.
 */
import { checksum8 } from './checksum.js';
import { REPLY_FLAG, SOM, hasMac } from './codes.js';
import { crc16 } from './crc16.js';

export const HEADER_LENGTH = 5;
export const MAC_LENGTH = 4;

const CTRL_SEQUENCE = 0x03;
const CTRL_CRC = 0x04;
const CTRL_SCB = 0x08;
const CTRL_RESERVED = 0xf0;

export interface SecurityControlBlock {
  /** SCS_11 … SCS_18. */
  type: number;
  /** The block's data bytes (after its length and type bytes); e.g. the key indicator of SCS_11. */
  data: Uint8Array;
}

export interface OsdpFrame {
  /** The 7-bit address (0x7F = broadcast). */
  address: number;
  /** Bit 7 of the address byte: set by a PD on its replies. */
  reply: boolean;
  /** 0–3. */
  sequence: number;
  /** CRC-16 (true) or 8-bit checksum (false). */
  crc: boolean;
  securityBlock: SecurityControlBlock | null;
  /** Command or reply code. */
  code: number;
  /** Data after the code (still encrypted for SCS_17/SCS_18). */
  data: Uint8Array;
  /** The 4 MAC bytes on the wire, for SCS_15 … SCS_18. */
  mac: Uint8Array | null;
  /** The frame exactly as received. */
  bytes: Uint8Array;
  /** Number of leading bytes the MAC covers (SOM up to, not including, the MAC). */
  authenticatedLength: number;
}

export type MalformedReason =
  /** LEN is shorter than the smallest possible frame. */
  | 'bad-length'
  /** LEN is longer than this receiver's buffer. */
  | 'too-long'
  /** Reserved CTRL bits are set. */
  | 'bad-control'
  /** Checksum or CRC does not match. */
  | 'bad-check'
  /** Check characters match, but the security block, code or MAC do not fit inside LEN. */
  | 'bad-structure'
  /** Input stopped before LEN was reached and a complete frame followed inside it (see FrameReader). */
  | 'truncated';

/** What a header says before the rest of the frame has arrived. */
export interface FrameHeader {
  address: number;
  reply: boolean;
  sequence: number;
  crc: boolean;
  hasSecurityBlock: boolean;
  /** The LEN field. */
  length: number;
}

export type HeaderResult = { ok: true; header: FrameHeader } | { ok: false; reason: MalformedReason; header: FrameHeader };

export type DecodeResult = { ok: true; frame: OsdpFrame } | { ok: false; reason: MalformedReason; header: FrameHeader | null };

/** Smallest frame: header, code and the check characters. */
export function minimumLength(crc: boolean): number {
  return HEADER_LENGTH + 1 + (crc ? 2 : 1);
}

/**
 * Reads the 5 header bytes at `bytes[0…4]` (bytes[0] must be SOM) and checks
 * what can be checked before the body arrives: reserved bits and LEN bounds.
 */
export function parseHeader(bytes: Uint8Array, maxLength: number): HeaderResult {
  const addressByte = bytes[1]!;
  const control = bytes[4]!;
  const header: FrameHeader = {
    address: addressByte & 0x7f,
    reply: (addressByte & REPLY_FLAG) !== 0,
    sequence: control & CTRL_SEQUENCE,
    crc: (control & CTRL_CRC) !== 0,
    hasSecurityBlock: (control & CTRL_SCB) !== 0,
    length: bytes[2]! | (bytes[3]! << 8),
  };
  if ((control & CTRL_RESERVED) !== 0) return { ok: false, reason: 'bad-control', header };
  if (header.length < minimumLength(header.crc)) return { ok: false, reason: 'bad-length', header };
  if (header.length > maxLength) return { ok: false, reason: 'too-long', header };
  return { ok: true, header };
}

/**
 * Decodes one complete frame: `bytes` must hold exactly the LEN bytes that
 * start with SOM. Checks the check characters first — nothing in a frame is
 * trusted before them — then that the security block, code and MAC fit.
 */
export function decodeFrame(bytes: Uint8Array, maxLength = 0xffff): DecodeResult {
  if (bytes.length < HEADER_LENGTH || bytes[0] !== SOM) return { ok: false, reason: 'bad-length', header: null };
  const parsed = parseHeader(bytes, maxLength);
  if (!parsed.ok) return parsed;
  const { header } = parsed;
  if (header.length !== bytes.length) return { ok: false, reason: 'bad-length', header };

  const checkLength = header.crc ? 2 : 1;
  const checkedEnd = bytes.length - checkLength;
  const checkOk = header.crc
    ? crc16(bytes, 0, checkedEnd) === (bytes[checkedEnd]! | (bytes[checkedEnd + 1]! << 8))
    : checksum8(bytes, 0, checkedEnd) === bytes[checkedEnd];
  if (!checkOk) return { ok: false, reason: 'bad-check', header };

  let codeOffset = HEADER_LENGTH;
  let securityBlock: SecurityControlBlock | null = null;
  if (header.hasSecurityBlock) {
    const blockLength = bytes[HEADER_LENGTH]!;
    // The block counts its own length and type bytes, so 2 is the least it can be.
    if (blockLength < 2 || HEADER_LENGTH + blockLength >= checkedEnd) return { ok: false, reason: 'bad-structure', header };
    securityBlock = {
      type: bytes[HEADER_LENGTH + 1]!,
      data: bytes.slice(HEADER_LENGTH + 2, HEADER_LENGTH + blockLength),
    };
    codeOffset = HEADER_LENGTH + blockLength;
  }
  const macLength = securityBlock && hasMac(securityBlock.type) ? MAC_LENGTH : 0;
  const dataEnd = checkedEnd - macLength;
  if (codeOffset + 1 > dataEnd) return { ok: false, reason: 'bad-structure', header };

  return {
    ok: true,
    frame: {
      address: header.address,
      reply: header.reply,
      sequence: header.sequence,
      crc: header.crc,
      securityBlock,
      code: bytes[codeOffset]!,
      data: bytes.slice(codeOffset + 1, dataEnd),
      mac: macLength ? bytes.slice(dataEnd, dataEnd + MAC_LENGTH) : null,
      bytes,
      authenticatedLength: dataEnd,
    },
  };
}

export interface FrameSpec {
  address: number;
  reply?: boolean;
  sequence: number;
  /** CRC-16 (default) or the 8-bit checksum. */
  crc?: boolean;
  securityBlock?: SecurityControlBlock | null;
  code: number;
  data?: Uint8Array;
  /**
   * For SCS_15 … SCS_18: given the bytes the MAC covers (SOM through the
   * data, with LEN already final), returns the MAC; its first 4 bytes are sent.
   */
  mac?: (authenticated: Uint8Array) => Uint8Array;
}

/** Builds the bytes of one frame. */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const { address, sequence, code } = spec;
  if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError(`OSDP address ${address} is outside 0–127`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 3) throw new RangeError(`OSDP sequence number ${sequence} is outside 0–3`);
  const crc = spec.crc ?? true;
  const data = spec.data ?? new Uint8Array(0);
  const block = spec.securityBlock ?? null;
  const blockLength = block ? 2 + block.data.length : 0;
  if (blockLength > 0xff) throw new RangeError('OSDP security block longer than 255 bytes');
  const macLength = spec.mac ? MAC_LENGTH : 0;
  const length = HEADER_LENGTH + blockLength + 1 + data.length + macLength + (crc ? 2 : 1);
  if (length > 0xffff) throw new RangeError(`OSDP frame of ${length} bytes exceeds the 16-bit length field`);

  const bytes = new Uint8Array(length);
  bytes[0] = SOM;
  bytes[1] = address | (spec.reply ? REPLY_FLAG : 0);
  bytes[2] = length & 0xff;
  bytes[3] = length >> 8;
  bytes[4] = sequence | (crc ? CTRL_CRC : 0) | (block ? CTRL_SCB : 0);
  let offset = HEADER_LENGTH;
  if (block) {
    bytes[offset++] = blockLength;
    bytes[offset++] = block.type;
    bytes.set(block.data, offset);
    offset += block.data.length;
  }
  bytes[offset++] = code;
  bytes.set(data, offset);
  offset += data.length;
  if (spec.mac) {
    const mac = spec.mac(bytes.subarray(0, offset));
    if (mac.length < MAC_LENGTH) throw new RangeError('OSDP MAC shorter than 4 bytes');
    bytes.set(mac.subarray(0, MAC_LENGTH), offset);
    offset += MAC_LENGTH;
  }
  if (crc) {
    const value = crc16(bytes, 0, offset);
    bytes[offset] = value & 0xff;
    bytes[offset + 1] = value >> 8;
  } else {
    bytes[offset] = checksum8(bytes, 0, offset);
  }
  return bytes;
}
