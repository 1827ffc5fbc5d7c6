/**
 * The test controller's own framing, written again from the specification
 * (SIA OSDP v2.2 §5 packet format, Annex C CRC) rather than imported from the
 * PD, so a mistake in the PD's encoder is not mirrored by the controller that
 * judges it. The CRC here is the bitwise definition (poly 0x1021, init
 * 0x1D0F); the PD uses a table. Both are checked against the Annex E vectors.
 */

export function referenceCrc16(bytes: Uint8Array): number {
  let crc = 0x1d0f;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const feedback = ((crc >> 15) & 1) ^ ((byte >> bit) & 1);
      crc = (crc << 1) & 0xffff;
      if (feedback) crc ^= 0x1021;
    }
  }
  return crc;
}

export function referenceChecksum(bytes: Uint8Array): number {
  const sum = bytes.reduce((total, byte) => total + byte, 0);
  return (256 - (sum % 256)) % 256;
}

export interface AcuFrameFields {
  address: number;
  sequence: number;
  crc?: boolean;
  /** Whole security block: [length, type, …data] as it goes on the wire. */
  scb?: number[];
  code: number;
  data?: Uint8Array;
  /** Appends these 4 bytes after the data; called with the bytes they cover. */
  mac?: (covered: Uint8Array) => Uint8Array;
}

/** An ACU → PD frame. */
export function buildCommand(fields: AcuFrameFields): Uint8Array {
  const crc = fields.crc ?? true;
  const scb = fields.scb ?? [];
  const data = [...(fields.data ?? [])];
  const total = 5 + scb.length + 1 + data.length + (fields.mac ? 4 : 0) + (crc ? 2 : 1);
  const control = (fields.sequence & 3) | (crc ? 0x04 : 0) | (scb.length ? 0x08 : 0);
  const body = [0x53, fields.address & 0x7f, total & 0xff, (total >> 8) & 0xff, control, ...scb, fields.code, ...data];
  if (fields.mac) body.push(...fields.mac(Uint8Array.from(body)).slice(0, 4));
  if (crc) {
    const value = referenceCrc16(Uint8Array.from(body));
    body.push(value & 0xff, value >> 8);
  } else {
    body.push(referenceChecksum(Uint8Array.from(body)));
  }
  return Uint8Array.from(body);
}

export interface ParsedReply {
  address: number;
  sequence: number;
  crc: boolean;
  scbType: number | null;
  scbData: number[];
  code: number;
  /** As on the wire (still encrypted for SCS_18). */
  data: Uint8Array;
  mac: Uint8Array | null;
  /** The bytes the MAC covers. */
  covered: Uint8Array;
  raw: Uint8Array;
}

/**
 * Looks for one whole, valid PD → ACU frame at the start of `bytes` (after
 * skipping to SOM). Returns it and how many bytes it used, 'incomplete' when
 * more bytes are needed, or 'invalid' when the first SOM does not start a
 * valid reply (the caller drops a byte and tries again).
 */
export function parseReply(bytes: Uint8Array): { reply: ParsedReply; used: number } | 'incomplete' | 'invalid' {
  if (bytes.length < 5) return 'incomplete';
  if (bytes[0] !== 0x53) return 'invalid';
  const length = bytes[2]! + bytes[3]! * 256;
  const control = bytes[4]!;
  const crc = (control & 0x04) !== 0;
  if (length < 5 + 1 + (crc ? 2 : 1) || (bytes[1]! & 0x80) === 0) return 'invalid';
  if (bytes.length < length) return 'incomplete';
  const frame = bytes.slice(0, length);
  const end = length - (crc ? 2 : 1);
  const ok = crc
    ? referenceCrc16(frame.slice(0, end)) === frame[end]! + frame[end + 1]! * 256
    : referenceChecksum(frame.slice(0, end)) === frame[end];
  if (!ok) return 'invalid';
  let at = 5;
  let scbType: number | null = null;
  let scbData: number[] = [];
  if (control & 0x08) {
    const scbLength = frame[5]!;
    if (scbLength < 2 || 5 + scbLength >= end) return 'invalid';
    scbType = frame[6]!;
    scbData = [...frame.slice(7, 5 + scbLength)];
    at = 5 + scbLength;
  }
  const macLength = scbType !== null && scbType >= 0x15 && scbType <= 0x18 ? 4 : 0;
  const dataEnd = end - macLength;
  if (at >= dataEnd) return 'invalid';
  return {
    used: length,
    reply: {
      address: frame[1]! & 0x7f,
      sequence: control & 3,
      crc,
      scbType,
      scbData,
      code: frame[at]!,
      data: frame.slice(at + 1, dataEnd),
      mac: macLength ? frame.slice(dataEnd, end) : null,
      covered: frame.slice(0, dataEnd),
      raw: frame,
    },
  };
}
