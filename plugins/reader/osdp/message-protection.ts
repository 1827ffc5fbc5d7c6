/**
 * How a secure channel message is protected (SIA OSDP v2.2 Annex D.5).
 *
 * MAC: AES-CBC over the message from SOM through its (possibly encrypted)
 * data, with LEN already counting the MAC and check characters. The message
 * is padded with 0x80 00… only when it is not a whole number of blocks. All
 * blocks but the last use S-MAC1, the last uses S-MAC2. The starting value
 * (ICV) chains the two directions together: a command's C-MAC starts from the
 * last R-MAC (R-MAC-I for the first command), a reply's R-MAC starts from the
 * C-MAC of the command it answers. The full 16 bytes are kept for the chain;
 * the first 4 go on the wire.
 *
 * Data (SCS_17 / SCS_18): AES-CBC with S-ENC; the IV is the ones' complement
 * of the MAC the other side sent last (a command uses ~R-MAC, a reply ~C-MAC).
 * Data is always padded with 0x80 00…, even when already whole blocks.
 *
 * Both rules as libosdp (src/osdp_sc.c) and osdp-rs (src/secure/pad.rs,
 * src/secure/mac.rs) implement them.
 */
import { AES_BLOCK, aesCbcDecrypt, aesCbcEncrypt, aesEncryptBlock } from './aes.js';
import type { SessionKeys } from './session-keys.js';

const PAD_MARKER = 0x80;

function xorBlock(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Pads with 0x80 00… to a whole number of blocks; `always` adds a block even to whole blocks. */
export function padMessage(data: Uint8Array, always: boolean): Uint8Array {
  if (!always && data.length > 0 && data.length % AES_BLOCK === 0) return data;
  const padded = new Uint8Array((Math.floor(data.length / AES_BLOCK) + 1) * AES_BLOCK);
  padded.set(data, 0);
  padded[data.length] = PAD_MARKER;
  return padded;
}

/** Removes 0x80 00… padding; null if the padding is not there. */
export function unpadMessage(padded: Uint8Array): Uint8Array | null {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0x00) i--;
  if (i < 0 || padded[i] !== PAD_MARKER) return null;
  return padded.slice(0, i);
}

/** The full 16-byte MAC of `message`, chained from `icv`. */
export function computeMac(keys: SessionKeys, icv: Uint8Array, message: Uint8Array): Uint8Array {
  const padded = padMessage(message, false);
  let chain = icv;
  const last = padded.length - AES_BLOCK;
  if (last > 0) {
    const body = aesCbcEncrypt(keys.mac1, icv, padded.subarray(0, last));
    chain = body.subarray(last - AES_BLOCK, last);
  }
  return aesEncryptBlock(keys.mac2, xorBlock(chain, padded.subarray(last)));
}

function complement(mac: Uint8Array): Uint8Array {
  return Uint8Array.from(mac.subarray(0, AES_BLOCK), (byte) => ~byte & 0xff);
}

/** Encrypts data for SCS_17/SCS_18; `previousMac` is the other side's last full MAC. */
export function encryptData(keys: SessionKeys, previousMac: Uint8Array, data: Uint8Array): Uint8Array {
  return aesCbcEncrypt(keys.enc, complement(previousMac), padMessage(data, true));
}

/** Decrypts SCS_17/SCS_18 data; null when it is not whole blocks or its padding is wrong. */
export function decryptData(keys: SessionKeys, previousMac: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) return null;
  return unpadMessage(aesCbcDecrypt(keys.enc, complement(previousMac), ciphertext));
}
