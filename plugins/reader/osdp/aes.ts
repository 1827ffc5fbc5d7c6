/**
 * The AES-128 the secure channel is built from (SIA OSDP v2.2 Annex D), via
 * node:crypto so no cipher is written by hand. OSDP pads on its own terms
 * (0x80 00…, see message-protection.ts), so OpenSSL's PKCS#7 padding is off
 * and every input here is a whole number of 16-byte blocks.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const AES_BLOCK = 16;

function assertKey(key: Uint8Array): void {
  if (key.length !== 16) throw new RangeError('AES-128 needs a 16-byte key');
}

function assertBlocks(data: Uint8Array): void {
  if (data.length % AES_BLOCK !== 0) throw new RangeError('AES input must be a multiple of 16 bytes');
}

/** AES-128 of one 16-byte block (ECB, the primitive of key derivation and cryptograms). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  assertKey(key);
  if (block.length !== AES_BLOCK) throw new RangeError('AES block must be 16 bytes');
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** AES-128-CBC encryption of whole blocks. */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  assertKey(key);
  assertBlocks(data);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

/** AES-128-CBC decryption of whole blocks. */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  assertKey(key);
  assertBlocks(data);
  const decipher = createDecipheriv('aes-128-cbc', key, iv);
  decipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
}
