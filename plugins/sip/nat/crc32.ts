/**
 * CRC-32 as ISO/IEC 13239 / ITU-T V.42 define it (reflected polynomial
 * 0xEDB88320, initial and final xor 0xFFFFFFFF) — the one STUN's FINGERPRINT
 * uses (RFC 5389 §15.5). node:zlib has crc32 only from Node 20.15/22.2.
 */
const TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  return crc >>> 0;
});

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}
