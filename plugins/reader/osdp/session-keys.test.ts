/**
 * Session keys, cryptograms and R-MAC-I against the SIA OSDP v2.2 Annex E
 * example (SCBK-D, RND.A = B0…B7, RND.B = A0…A7), as libosdp quotes it in
 * tests/unit-tests/test-sc-sia-vectors.c; the test controller's independent
 * derivation must land on the same literals.
 */
import { describe, expect, it } from 'vitest';

import { clientCryptogram, deriveSessionKeys, initialRmac, SCBK_D, serverCryptogram } from './session-keys.js';
import { acuClientCryptogram, acuInitialRmac, acuServerCryptogram, acuSessionKeys, DEFAULT_KEY } from './test-support/acu-crypto.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const asHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const rndA = hex('B0B1B2B3B4B5B6B7');
const rndB = hex('A0A1A2A3A4A5A6A7');
const expected = {
  sEnc: 'bf8dc2a8329acb8c67c6d0cd9a451682',
  sMac1: '5e86c676603bdee2d8beafe178637332',
  sMac2: '6fda86e857777e81132035758239172e',
  clientCryptogram: 'fde5d2f428ec16312471ea3c02bd7796',
  serverCryptogram: '26d3356e07762d262801fc8e6665a891',
  rmacI: 'b2a30057eb98ba2229ec1f875662b524',
};

describe('secure channel key derivation (Annex D.4, Annex E vectors)', () => {
  it('SCBK-D is 0x30…0x3F', () => {
    expect(asHex(SCBK_D)).toBe('303132333435363738393a3b3c3d3e3f');
    expect(asHex(DEFAULT_KEY)).toBe(asHex(SCBK_D));
  });

  it('derives S-ENC, S-MAC1, S-MAC2 from SCBK-D and RND.A', () => {
    const keys = deriveSessionKeys(SCBK_D, rndA);
    expect(asHex(keys.enc)).toBe(expected.sEnc);
    expect(asHex(keys.mac1)).toBe(expected.sMac1);
    expect(asHex(keys.mac2)).toBe(expected.sMac2);
    const acu = acuSessionKeys(DEFAULT_KEY, rndA);
    expect([asHex(acu.sEnc), asHex(acu.sMac1), asHex(acu.sMac2)]).toEqual([expected.sEnc, expected.sMac1, expected.sMac2]);
  });

  it('computes the client and server cryptograms and R-MAC-I', () => {
    const keys = deriveSessionKeys(SCBK_D, rndA);
    expect(asHex(clientCryptogram(keys, rndA, rndB))).toBe(expected.clientCryptogram);
    expect(asHex(serverCryptogram(keys, rndA, rndB))).toBe(expected.serverCryptogram);
    expect(asHex(initialRmac(keys, hex(expected.serverCryptogram)))).toBe(expected.rmacI);

    const acu = acuSessionKeys(DEFAULT_KEY, rndA);
    expect(asHex(acuClientCryptogram(acu, rndA, rndB))).toBe(expected.clientCryptogram);
    expect(asHex(acuServerCryptogram(acu, rndA, rndB))).toBe(expected.serverCryptogram);
    expect(asHex(acuInitialRmac(acu, hex(expected.serverCryptogram)))).toBe(expected.rmacI);
  });

  it('uses only the first 6 bytes of RND.A for the keys, all 8 for the cryptograms', () => {
    const other = rndA.slice();
    other[7] = 0x00;
    expect(asHex(deriveSessionKeys(SCBK_D, other).enc)).toBe(expected.sEnc);
    expect(asHex(clientCryptogram(deriveSessionKeys(SCBK_D, other), other, rndB))).not.toBe(expected.clientCryptogram);
  });

  it('refuses random numbers that are not 8 bytes', () => {
    expect(() => deriveSessionKeys(SCBK_D, rndA.slice(0, 7))).toThrow(RangeError);
  });
});
