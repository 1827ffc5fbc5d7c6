/**
 * Secure channel keys and the handshake's cryptograms (SIA OSDP v2.2 Annex D,
 * D.4 handshake). In the specification's words the ACU is the "server" and
 * the PD the "client".
 *
 *   S-ENC  = AES(SCBK, 01 82 RND.A[0..5] 00…00)
 *   S-MAC1 = AES(SCBK, 01 01 RND.A[0..5] 00…00)
 *   S-MAC2 = AES(SCBK, 01 02 RND.A[0..5] 00…00)
 *   client cryptogram = AES(S-ENC, RND.A ‖ RND.B)   PD → ACU in osdp_CCRYPT
 *   server cryptogram = AES(S-ENC, RND.B ‖ RND.A)   ACU → PD in osdp_SCRYPT
 *   initial R-MAC     = AES(S-MAC2, AES(S-MAC1, server cryptogram))
 *
 * Same derivation in libosdp src/osdp_sc.c and docs/osdp-secure-channel.md;
 * the Annex E vectors (SCBK-D, RND.A = B0…B7, RND.B = A0…A7) are checked in
 * session-keys.test.ts.
 */
import { aesEncryptBlock } from './aes.js';

/** SCBK-D, the install-mode key every PD knows (Annex D): 0x30, 0x31 … 0x3F. */
export const SCBK_D: Uint8Array = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);

export interface SessionKeys {
  /** S-ENC: encrypts data blocks and the cryptograms. */
  enc: Uint8Array;
  /** S-MAC1: MAC over all blocks but the last. */
  mac1: Uint8Array;
  /** S-MAC2: MAC over the last block. */
  mac2: Uint8Array;
}

function derive(scbk: Uint8Array, rndA: Uint8Array, second: number): Uint8Array {
  const block = new Uint8Array(16);
  block[0] = 0x01;
  block[1] = second;
  block.set(rndA.subarray(0, 6), 2);
  return aesEncryptBlock(scbk, block);
}

function assertRandom(name: string, value: Uint8Array): void {
  if (value.length !== 8) throw new RangeError(`${name} must be 8 bytes`);
}

/** Session keys for one session, from the base key and the ACU's random number. */
export function deriveSessionKeys(scbk: Uint8Array, rndA: Uint8Array): SessionKeys {
  assertRandom('RND.A', rndA);
  return { enc: derive(scbk, rndA, 0x82), mac1: derive(scbk, rndA, 0x01), mac2: derive(scbk, rndA, 0x02) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The PD's proof that it holds the SCBK (sent in osdp_CCRYPT). */
export function clientCryptogram(keys: SessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  assertRandom('RND.A', rndA);
  assertRandom('RND.B', rndB);
  return aesEncryptBlock(keys.enc, concat(rndA, rndB));
}

/** The ACU's proof that it holds the SCBK (sent in osdp_SCRYPT). */
export function serverCryptogram(keys: SessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  assertRandom('RND.A', rndA);
  assertRandom('RND.B', rndB);
  return aesEncryptBlock(keys.enc, concat(rndB, rndA));
}

/** The R-MAC the PD returns in osdp_RMAC_I: the first link of the MAC chain. */
export function initialRmac(keys: SessionKeys, serverCryptogramValue: Uint8Array): Uint8Array {
  return aesEncryptBlock(keys.mac2, aesEncryptBlock(keys.mac1, serverCryptogramValue));
}
