/**
 * The 8-bit OSDP checksum (SIA OSDP v2.2 §5, "check character"): the two's
 * complement of the sum of all preceding bytes, so that the sum of the whole
 * frame is 0 modulo 256. Every PD must accept it; the PD answers in the mode
 * the command used. Vectors: Annex E checksum examples (checksum.test.ts).
 */
export function checksum8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + bytes[i]!) & 0xff;
  return (0x100 - sum) & 0xff;
}
