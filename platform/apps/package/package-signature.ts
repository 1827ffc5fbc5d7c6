/**
 * Ed25519 signatures of app packages.
 *
 * The signature travels inside the package, as its last tar entry
 * `.portier-signature.json`:
 *
 *   { "format": 1, "algorithm": "ed25519", "keyId": "…", "signer": "…", "signature": "<base64>" }
 *
 * It covers every byte of the uncompressed tar before that entry's header —
 * all headers and data of all the app's entries — so no file, name, mode or
 * entry can be changed, added or removed without breaking it, and the package
 * stays one file that any tar tool can list. The signed message is
 *
 *   "portier-app-signature-v1\0" + signer (UTF-8, empty when none) + "\0" + the covered bytes
 *
 * The prefix separates domains: a signature this key makes over anything else
 * is never a valid package signature. The signer name is signed as well, so
 * it cannot be relabelled (though it is only a label: trust comes from the
 * key).
 *
 * A key id is the first 16 bytes of SHA-256 over the public key (SPKI DER),
 * in hex, in eight dash-separated groups of four (`3f2a-9c41-…`): short
 * enough to read out and compare by eye, long enough that nobody can make a
 * second key with the same id.
 *
 *   generateSigningKey() → { privateKeyPem, publicKeyPem, keyId }
 *   keyIdOf(publicKeyPem) → keyId
 *   signPackage(tgz, privateKeyPem, signer?) → signed tgz (replaces an existing signature)
 *   readSignature(tar) → { signed: false } | { signed: true, keyId, signer, contentEnd, verify(publicKeyPem) }
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { gunzipPackage, gzipPackage } from './package-compression.js';
import { resolveLimits, type PackageLimits } from './package-limits.js';
import {
  REPACK_ADVICE,
  SIGNATURE_KEY_INVALID,
  SIGNATURE_MALFORMED,
  SIGNATURE_SIGNER_INVALID,
  packageError,
  quotePath,
} from './package-errors.js';
import { isExtensionHeader, walkTar, type TarLayout } from './tar-layout.js';
import { writeTar } from './tar-writer.js';

export const SIGNATURE_ENTRY_NAME = '.portier-signature.json';
export const SIGNATURE_FORMAT = 1;
const SIGNATURE_DOMAIN = Buffer.from('portier-app-signature-v1\0', 'latin1');
/** A signature entry is a few hundred bytes; a larger one is not ours. */
const MAX_SIGNATURE_ENTRY_BYTES = 4096;
const MAX_SIGNER_LENGTH = 200;
const KEY_ID_PATTERN = /^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/;
const ED25519_SIGNATURE_BYTES = 64;

export interface SigningKey {
  /** PKCS#8 PEM. Keep it secret: whoever has it can sign apps as you. */
  privateKeyPem: string;
  /** SPKI PEM, for intercoms to trust. */
  publicKeyPem: string;
  keyId: string;
}

export type PackageSignature = { signed: false } | SignedPackage;

export interface SignedPackage {
  signed: true;
  keyId: string;
  /** The signer's name as the package states it (signed, but only a label). */
  signer: string | undefined;
  /** The signature covers tar bytes [0, contentEnd): the offset of the signature entry's header. */
  contentEnd: number;
  /**
   * Whether `publicKeyPem`'s key made this signature over this content.
   * False for another key or changed content; SIGNATURE_KEY_INVALID if the
   * PEM is not an Ed25519 key.
   */
  verify(publicKeyPem: string): boolean;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOfKey(publicKey),
  };
}

/** The key id of an Ed25519 public key (a private key's PEM gives the id of its public half). */
export function keyIdOf(publicKeyPem: string): string {
  return keyIdOfKey(publicKeyFrom(publicKeyPem));
}

/**
 * Signs a package (the bytes `portier pack` wrote) and returns the signed
 * package. A signature already there is replaced, so re-signing with another
 * key (or signer name) leaves exactly one.
 */
export async function signPackage(
  packageBytes: Uint8Array,
  privateKeyPem: string,
  signer?: string,
  limits?: Partial<PackageLimits>,
): Promise<Buffer> {
  if (signer !== undefined) checkSigner(signer);
  const privateKey = privateKeyFrom(privateKeyPem);

  const tar = gunzipPackage(packageBytes, resolveLimits(limits));
  const layout = walkTar(tar);
  const existing = readSignature(tar, layout);
  const content = tar.subarray(0, existing.signed ? existing.contentEnd : layout.end);

  const signature = sign(null, signedMessage(signer, content), privateKey);
  const body = {
    format: SIGNATURE_FORMAT,
    algorithm: 'ed25519',
    keyId: keyIdOfKey(createPublicKey(privateKey)),
    ...(signer === undefined ? {} : { signer }),
    signature: signature.toString('base64'),
  };
  const entry = await writeTar([{ path: SIGNATURE_ENTRY_NAME, mode: 0o644, data: Buffer.from(JSON.stringify(body, null, 2) + '\n') }]);
  return gzipPackage(Buffer.concat([content, entry]));
}

/**
 * The signature of an uncompressed package archive, found with the byte
 * layout (`layout` when the caller has walked it already). Throws
 * SIGNATURE_MALFORMED when a signature entry is there but is not the last
 * entry, is not a plain file, or does not hold a signature this Portier
 * understands.
 */
export function readSignature(tar: Uint8Array, layout: TarLayout = walkTar(tar)): PackageSignature {
  const { entries } = layout;
  const last = entries.length - 1;
  entries.forEach((entry, index) => {
    if (index !== last && stripDotSlash(entry.name) === SIGNATURE_ENTRY_NAME && !isExtensionHeader(entry.typeflag)) {
      const next = entries[index + 1]!;
      throw malformed(`it must be the last entry of the package, but ${quotePath(next.name)} follows it`);
    }
  });
  const entry = entries[last];
  if (entry === undefined || stripDotSlash(entry.name) !== SIGNATURE_ENTRY_NAME) return { signed: false };

  if (entry.name !== SIGNATURE_ENTRY_NAME) throw malformed(`it must be named exactly ${quotePath(SIGNATURE_ENTRY_NAME)}`);
  if (entry.typeflag !== '0') throw malformed('it is not a plain file');
  // An extension header right before it could rename or resize it for one tar reader and not another.
  const before = entries[last - 1];
  if (before !== undefined && isExtensionHeader(before.typeflag)) throw malformed('an extension header comes right before it');
  if (entry.size > MAX_SIGNATURE_ENTRY_BYTES) throw malformed(`it is ${entry.size} bytes, more than a signature takes`);

  const dataStart = entry.dataEnd - entry.size;
  const body = parseBody(tar.subarray(dataStart, entry.dataEnd));
  const content = tar.subarray(0, entry.headerOffset);
  return {
    signed: true,
    keyId: body.keyId,
    signer: body.signer,
    contentEnd: entry.headerOffset,
    verify(publicKeyPem: string): boolean {
      const publicKey = publicKeyFrom(publicKeyPem);
      if (keyIdOfKey(publicKey) !== body.keyId) return false;
      return verify(null, signedMessage(body.signer, content), publicKey, body.signature);
    },
  };
}

interface SignatureBody {
  keyId: string;
  signer: string | undefined;
  signature: Buffer;
}

function parseBody(data: Uint8Array): SignatureBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    throw malformed('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('it is not a JSON object');
  const { format, algorithm, keyId, signer, signature } = parsed as Record<string, unknown>;
  if (format !== SIGNATURE_FORMAT) {
    throw malformed(`it has format ${JSON.stringify(format)}, and this Portier reads format ${SIGNATURE_FORMAT} (a newer Portier may read it)`);
  }
  if (algorithm !== 'ed25519') throw malformed(`its algorithm is ${JSON.stringify(algorithm)}, expected "ed25519"`);
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) throw malformed('its keyId is not a key id such as 3f2a-9c41-…');
  if (signer !== undefined && (typeof signer !== 'string' || signerProblem(signer) !== undefined)) {
    throw malformed('its signer is not a short line of text');
  }
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) throw malformed('its signature is not base64');
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== ED25519_SIGNATURE_BYTES) throw malformed(`its signature is ${bytes.length} bytes, an Ed25519 signature is 64`);
  return { keyId, signer, signature: bytes };
}

function signedMessage(signer: string | undefined, content: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_DOMAIN, Buffer.from(signer ?? '', 'utf8'), Buffer.from([0]), content]);
}

function keyIdOfKey(publicKey: KeyObject): string {
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  return digest.slice(0, 32).match(/.{4}/g)!.join('-');
}

function publicKeyFrom(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw keyInvalid('The public key cannot be read as a PEM key', error);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyInvalid(`The public key is a ${key.asymmetricKeyType ?? 'unknown'} key`);
  return key;
}

function privateKeyFrom(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw keyInvalid('The signing key cannot be read as a PEM private key', error);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyInvalid(`The signing key is a ${key.asymmetricKeyType ?? 'unknown'} key`);
  return key;
}

function keyInvalid(what: string, cause?: unknown): Error {
  return packageError(
    SIGNATURE_KEY_INVALID,
    `${what}; app packages are signed with Ed25519 keys. Use an Ed25519 key in PEM form, such as one Portier generated.`,
    { cause },
  );
}

function checkSigner(signer: string): void {
  const problem = signerProblem(signer);
  if (problem !== undefined) {
    throw packageError(SIGNATURE_SIGNER_INVALID, `The signer name ${quotePath(signer)} ${problem}; give a name such as "Example AB".`);
  }
}

function signerProblem(signer: string): string | undefined {
  if (signer.trim() === '') return 'is empty';
  if (signer.length > MAX_SIGNER_LENGTH) return `is longer than ${MAX_SIGNER_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(signer)) return 'contains control characters';
  return undefined;
}

function stripDotSlash(name: string): string {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}

function malformed(problem: string): Error {
  return packageError(SIGNATURE_MALFORMED, `app package entry ${quotePath(SIGNATURE_ENTRY_NAME)}: ${problem}. ${REPACK_ADVICE} Then sign it again.`);
}
