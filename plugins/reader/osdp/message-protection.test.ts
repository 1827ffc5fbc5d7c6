/**
 * MAC chaining and data encryption (Annex D.5) against the test controller's
 * hand-chained implementation, and the two padding rules (MAC: only when
 * needed; data: always).
 */
import { describe, expect, it } from 'vitest';

import { computeMac, decryptData, encryptData, padMessage, unpadMessage } from './message-protection.js';
import { deriveSessionKeys, SCBK_D } from './session-keys.js';
import { acuDecrypt, acuEncrypt, acuMac, acuSessionKeys, DEFAULT_KEY } from './test-support/acu-crypto.js';
import { SeededRandom } from '../../../test/support/seeded-random.js';

const rndA = Uint8Array.of(0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7);
const keys = deriveSessionKeys(SCBK_D, rndA);
const acuKeys = acuSessionKeys(DEFAULT_KEY, rndA);
const asHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('secure channel message protection (Annex D.5)', () => {
  it('pads MAC input only when it is not whole blocks, data always', () => {
    expect(padMessage(new Uint8Array(16), false)).toHaveLength(16);
    expect([...padMessage(Uint8Array.of(1, 2), false)]).toEqual([1, 2, 0x80, ...new Array<number>(13).fill(0)]);
    expect(padMessage(new Uint8Array(16), true)).toHaveLength(32);
    expect(padMessage(new Uint8Array(16), true)[16]).toBe(0x80);
    expect(padMessage(new Uint8Array(15), true)).toHaveLength(16);
  });

  it('unpads 0x80 00… and refuses anything else', () => {
    expect([...unpadMessage(Uint8Array.of(5, 0x80, 0, 0))!]).toEqual([5]);
    expect(unpadMessage(Uint8Array.of(5, 0x81, 0, 0))).toBeNull();
    expect(unpadMessage(new Uint8Array(16))).toBeNull();
  });

  it('computes the same MAC as the independent implementation, one block or many', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 100; i++) {
      const icv = random.bytes(16);
      const message = random.bytes(random.int(1, 90));
      expect(asHex(computeMac(keys, icv, message))).toBe(asHex(acuMac(acuKeys, icv, message)));
    }
  });

  it('chains: the same message under another starting value has another MAC', () => {
    const message = Uint8Array.of(0x53, 0x01, 0x0e, 0x00, 0x0d, 0x02, 0x15, 0x60);
    expect(asHex(computeMac(keys, new Uint8Array(16), message))).not.toBe(asHex(computeMac(keys, new Uint8Array(16).fill(1), message)));
  });

  it('encrypts with the complemented MAC as IV, readable by the other side and back', () => {
    const random = new SeededRandom(4);
    for (let i = 0; i < 50; i++) {
      const mac = random.bytes(16);
      const data = random.bytes(random.int(1, 70));
      const sealed = encryptData(keys, mac, data);
      expect(asHex(sealed)).toBe(asHex(acuEncrypt(acuKeys, mac, data)));
      expect(asHex(acuDecrypt(acuKeys, mac, sealed))).toBe(asHex(data));
      expect(asHex(decryptData(keys, mac, acuEncrypt(acuKeys, mac, data))!)).toBe(asHex(data));
    }
  });

  it('refuses ciphertext that is not whole blocks or decrypts to bad padding', () => {
    const mac = new Uint8Array(16);
    expect(decryptData(keys, mac, new Uint8Array(15))).toBeNull();
    const sealed = encryptData(keys, mac, Uint8Array.of(1, 2, 3));
    expect(decryptData(keys, new Uint8Array(16).fill(9), sealed)).toBeNull();
  });
});
