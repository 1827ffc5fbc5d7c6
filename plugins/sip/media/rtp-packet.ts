/**
 * One RTP packet, as bytes and as fields (RFC 3550 §5.1):
 *
 *   V=2 | P | X | CC(4) | M | PT(7) | sequence(16) | timestamp(32) | SSRC(32) | CSRC×CC | [ext] | payload | [padding]
 *
 * - P: the last byte counts the padding bytes, itself included, so it is never 0.
 * - X: a header extension follows the CSRCs: profile(16), length in 32-bit words(16), data.
 *
 * Encoding throws on a programming error (a field out of range); decoding never
 * throws — a packet off the network is answered with a reason, because a
 * receiver counts and drops bad packets rather than failing the call.
 */
import { PortierError } from 'portier/sdk';

export const RTP_VERSION = 2;
export const RTP_HEADER_LENGTH = 12;

export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  /** A multiple of 4 bytes. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  /** 0–127. */
  payloadType: number;
  /** 0–65535. */
  sequenceNumber: number;
  /** 0–2³²−1, in the payload's clock rate. */
  timestamp: number;
  /** 0–2³²−1. */
  ssrc: number;
  /** At most 15 contributing sources. */
  csrc: readonly number[];
  extension: RtpHeaderExtension | null;
  payload: Uint8Array;
  /** Padding bytes after the payload, the count byte included (0 = no padding). */
  padding: number;
}

export type RtpMalformedReason =
  /** Fewer than the 12 fixed header bytes. */
  | 'too-short'
  /** The version field is not 2. */
  | 'bad-version'
  /** The CSRC list or the header extension runs past the end of the packet. */
  | 'truncated-header'
  /** The padding count is 0 or more than the bytes after the header. */
  | 'bad-padding';

export type RtpDecodeResult = { ok: true; packet: RtpPacket } | { ok: false; reason: RtpMalformedReason };

export function decodeRtpPacket(bytes: Uint8Array): RtpDecodeResult {
  if (bytes.length < RTP_HEADER_LENGTH) return { ok: false, reason: 'too-short' };
  const first = bytes[0]!;
  if (first >> 6 !== RTP_VERSION) return { ok: false, reason: 'bad-version' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csrcCount = first & 0x0f;
  let offset = RTP_HEADER_LENGTH + 4 * csrcCount;
  if (offset > bytes.length) return { ok: false, reason: 'truncated-header' };
  const csrc: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrc.push(view.getUint32(RTP_HEADER_LENGTH + 4 * i));

  let extension: RtpHeaderExtension | null = null;
  if (first & 0x10) {
    if (offset + 4 > bytes.length) return { ok: false, reason: 'truncated-header' };
    const profile = view.getUint16(offset);
    const length = view.getUint16(offset + 2) * 4;
    if (offset + 4 + length > bytes.length) return { ok: false, reason: 'truncated-header' };
    extension = { profile, data: bytes.slice(offset + 4, offset + 4 + length) };
    offset += 4 + length;
  }

  let end = bytes.length;
  let padding = 0;
  if (first & 0x20) {
    padding = bytes[bytes.length - 1]!;
    if (padding === 0 || padding > bytes.length - offset) return { ok: false, reason: 'bad-padding' };
    end -= padding;
  }

  const second = bytes[1]!;
  return {
    ok: true,
    packet: {
      marker: (second & 0x80) !== 0,
      payloadType: second & 0x7f,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrc,
      extension,
      payload: bytes.slice(offset, end),
      padding,
    },
  };
}

export type RtpPacketSpec = Omit<RtpPacket, 'csrc' | 'extension' | 'padding' | 'marker'> & Partial<Pick<RtpPacket, 'csrc' | 'extension' | 'padding' | 'marker'>>;

export function encodeRtpPacket(spec: RtpPacketSpec): Uint8Array {
  const csrc = spec.csrc ?? [];
  const extension = spec.extension ?? null;
  const padding = spec.padding ?? 0;
  checkField('payload type', spec.payloadType, 0x7f);
  checkField('sequence number', spec.sequenceNumber, 0xffff);
  checkField('timestamp', spec.timestamp, 0xffffffff);
  checkField('SSRC', spec.ssrc, 0xffffffff);
  checkField('padding', padding, 0xff);
  if (csrc.length > 15) throw invalid(`an RTP packet carries at most 15 CSRCs, not ${csrc.length}`);
  for (const source of csrc) checkField('CSRC', source, 0xffffffff);
  if (extension) {
    checkField('extension profile', extension.profile, 0xffff);
    if (extension.data.length % 4 !== 0 || extension.data.length > 0xffff * 4) {
      throw invalid(`an RTP header extension is a whole number of 32-bit words, not ${extension.data.length} bytes`);
    }
  }

  const extensionLength = extension ? 4 + extension.data.length : 0;
  const headerLength = RTP_HEADER_LENGTH + 4 * csrc.length + extensionLength;
  const bytes = new Uint8Array(headerLength + spec.payload.length + padding);
  const view = new DataView(bytes.buffer);
  bytes[0] = (RTP_VERSION << 6) | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrc.length;
  bytes[1] = (spec.marker ? 0x80 : 0) | spec.payloadType;
  view.setUint16(2, spec.sequenceNumber);
  view.setUint32(4, spec.timestamp);
  view.setUint32(8, spec.ssrc);
  csrc.forEach((source, i) => view.setUint32(RTP_HEADER_LENGTH + 4 * i, source));
  let offset = RTP_HEADER_LENGTH + 4 * csrc.length;
  if (extension) {
    view.setUint16(offset, extension.profile);
    view.setUint16(offset + 2, extension.data.length / 4);
    bytes.set(extension.data, offset + 4);
    offset += extensionLength;
  }
  bytes.set(spec.payload, offset);
  if (padding) bytes[bytes.length - 1] = padding;
  return bytes;
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw invalid(`RTP ${name} ${value} is outside 0–${max}`);
}

function invalid(message: string): PortierError {
  return new PortierError('RTP_FIELD_INVALID', `Cannot build the RTP packet: ${message}.`);
}
