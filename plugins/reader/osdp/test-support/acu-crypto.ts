/**
 * The test controller's own secure channel arithmetic, written from SIA OSDP
 * v2.2 Annex D without the PD's modules: only AES-128 on single blocks comes
 * from node:crypto; CBC chaining, MAC and padding are done by hand here, so
 * they cannot share a mistake with the PD's aes.ts / message-protection.ts.
 * Key derivation and cryptograms are pinned to the Annex E vectors in the tests.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const DEFAULT_KEY = Uint8Array.from([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f]);

export function ecbEncrypt(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

function ecbDecrypt(key: Uint8Array, block: Uint8Array): Uint8Array {
  const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(block), decipher.final()]));
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((byte, i) => byte ^ b[i]!);
}

function blocks(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += 16) out.push(data.slice(i, i + 16));
  return out;
}

export interface AcuKeys {
  sEnc: Uint8Array;
  sMac1: Uint8Array;
  sMac2: Uint8Array;
}

export function acuSessionKeys(scbk: Uint8Array, rndA: Uint8Array): AcuKeys {
  const input = (b1: number): Uint8Array => Uint8Array.from([0x01, b1, ...rndA.slice(0, 6), 0, 0, 0, 0, 0, 0, 0, 0]);
  return { sEnc: ecbEncrypt(scbk, input(0x82)), sMac1: ecbEncrypt(scbk, input(0x01)), sMac2: ecbEncrypt(scbk, input(0x02)) };
}

export function acuClientCryptogram(keys: AcuKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  return ecbEncrypt(keys.sEnc, Uint8Array.from([...rndA, ...rndB]));
}

export function acuServerCryptogram(keys: AcuKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  return ecbEncrypt(keys.sEnc, Uint8Array.from([...rndB, ...rndA]));
}

export function acuInitialRmac(keys: AcuKeys, serverCryptogram: Uint8Array): Uint8Array {
  return ecbEncrypt(keys.sMac2, ecbEncrypt(keys.sMac1, serverCryptogram));
}

/** MAC over `message`: pad 0x80 00… only if not whole blocks, S-MAC1 CBC then S-MAC2 on the last block. */
export function acuMac(keys: AcuKeys, icv: Uint8Array, message: Uint8Array): Uint8Array {
  const bytes = [...message];
  if (bytes.length % 16 !== 0) {
    bytes.push(0x80);
    while (bytes.length % 16 !== 0) bytes.push(0);
  }
  const parts = blocks(Uint8Array.from(bytes));
  let chain = icv;
  parts.forEach((block, i) => {
    chain = ecbEncrypt(i === parts.length - 1 ? keys.sMac2 : keys.sMac1, xor(chain, block));
  });
  return chain;
}

function ones(mac: Uint8Array): Uint8Array {
  return mac.map((byte) => ~byte & 0xff);
}

/** SCS_17/18 data: always padded, CBC under S-ENC from the complement of the other side's last MAC. */
export function acuEncrypt(keys: AcuKeys, otherSideMac: Uint8Array, data: Uint8Array): Uint8Array {
  const bytes = [...data, 0x80];
  while (bytes.length % 16 !== 0) bytes.push(0);
  let chain = ones(otherSideMac);
  const out: number[] = [];
  for (const block of blocks(Uint8Array.from(bytes))) {
    chain = ecbEncrypt(keys.sEnc, xor(chain, block));
    out.push(...chain);
  }
  return Uint8Array.from(out);
}

export function acuDecrypt(keys: AcuKeys, otherSideMac: Uint8Array, data: Uint8Array): Uint8Array {
  let chain = ones(otherSideMac);
  const out: number[] = [];
  for (const block of blocks(data)) {
    out.push(...xor(ecbDecrypt(keys.sEnc, block), chain));
    chain = block;
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  if (end === 0 || out[end - 1] !== 0x80) throw new Error('bad padding in encrypted reply');
  return Uint8Array.from(out.slice(0, end - 1));
}
