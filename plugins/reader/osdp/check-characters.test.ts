/**
 * CRC-16 and checksum against the SIA OSDP v2.2 Annex E examples (as quoted
 * by libosdp tests/unit-tests/test-sc-sia-vectors.c), for the PD's table CRC
 * and the test controller's bitwise one alike.
 */
import { describe, expect, it } from 'vitest';

import { checksum8 } from './checksum.js';
import { crc16 } from './crc16.js';
import { referenceChecksum, referenceCrc16 } from './test-support/acu-frames.js';
import { SeededRandom } from '../../../test/support/seeded-random.js';

const crcExample1 = Uint8Array.of(0x53, 0x7f, 0x0d, 0x00, 0x04, 0x6e, 0x00, 0x80, 0x25, 0x00, 0x00);
const crcExample2 = Uint8Array.of(0x53, 0x00, 0x09, 0x00, 0x04, 0x61, 0x00);
const checksumExample1 = Uint8Array.of(0x53, 0x7f, 0x0c, 0x00, 0x00, 0x6e, 0x00, 0x80, 0x25, 0x00, 0x00);
const checksumExample2 = Uint8Array.of(0x53, 0x00, 0x08, 0x00, 0x00, 0x61, 0x00);

describe('OSDP check characters (Annex C, Annex E vectors)', () => {
  it('CRC-16 of the Annex E examples is 0x386E (sent 6E 38) and 0x66C0 (sent C0 66)', () => {
    for (const crc of [crc16, referenceCrc16]) {
      expect(crc(crcExample1)).toBe(0x386e);
      expect(crc(crcExample2)).toBe(0x66c0);
    }
  });

  it('is CRC-16/AUG-CCITT: the catalogue check value of "123456789" is 0xE5CC', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc16(check)).toBe(0xe5cc);
    expect(referenceCrc16(check)).toBe(0xe5cc);
  });

  it('checksum of the Annex E examples is 0x0F and 0x44', () => {
    for (const sum of [checksum8, referenceChecksum]) {
      expect(sum(checksumExample1)).toBe(0x0f);
      expect(sum(checksumExample2)).toBe(0x44);
    }
  });

  it('a frame with its checksum appended sums to 0 modulo 256', () => {
    const frame = Uint8Array.from([...checksumExample1, 0x0f]);
    expect(frame.reduce((a, b) => a + b, 0) % 256).toBe(0);
  });

  it('the table CRC and the bitwise CRC agree on random data, and ranges work', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 200; i++) {
      const bytes = random.bytes(random.int(0, 300));
      expect(crc16(bytes)).toBe(referenceCrc16(bytes));
      expect(checksum8(bytes)).toBe(referenceChecksum(bytes));
      const start = random.int(0, bytes.length);
      expect(crc16(bytes, start)).toBe(referenceCrc16(bytes.slice(start)));
    }
  });
});
