/**
 * The OSDP CRC (SIA OSDP v2.2 Annex C): CRC-16 with polynomial 0x1021, initial
 * value 0x1D0F, no reflection, no final XOR — the catalogue's CRC-16/AUG-CCITT.
 * It covers every byte from SOM through the MAC (or the data when there is no
 * MAC) and travels little-endian after them.
 *
 * Verified against the Annex E examples as libosdp quotes them
 * (goToMain/libosdp tests/unit-tests/test-sc-sia-vectors.c): see crc16.test.ts.
 * A 256-entry table keeps it cheap on the hot path (every byte of every frame).
 */

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
}

/** CRC of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0x1d0f;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!) & 0xffff;
  }
  return crc;
}
