/**
 * TURN ChannelData messages (RFC 5766 §11.4): a 4-byte header instead of a
 * 36-byte Send indication, which matters at 50 RTP packets a second.
 *
 *   channel number 0x4000–0x7FFF (16) | length (16) | application data
 *
 * Over UDP no padding is needed (RFC 8656 §12.5), so none is sent, but
 * padding from a server is accepted.
 */
export const MIN_CHANNEL = 0x4000;
export const MAX_CHANNEL = 0x7fff;

export interface ChannelData {
  channel: number;
  data: Uint8Array;
}

/** Whether a datagram starts like ChannelData (first two bits 01) rather than STUN (00). */
export function isChannelData(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && (bytes[0]! & 0xc0) === 0x40;
}

export function encodeChannelData(channel: number, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + data.length);
  bytes[0] = channel >> 8;
  bytes[1] = channel & 0xff;
  bytes[2] = data.length >> 8;
  bytes[3] = data.length & 0xff;
  bytes.set(data, 4);
  return bytes;
}

/** The message, or null when it is not well-formed ChannelData. */
export function decodeChannelData(bytes: Uint8Array): ChannelData | null {
  if (!isChannelData(bytes)) return null;
  const channel = (bytes[0]! << 8) | bytes[1]!;
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (channel > MAX_CHANNEL || 4 + length > bytes.length) return null;
  return { channel, data: bytes.slice(4, 4 + length) };
}
