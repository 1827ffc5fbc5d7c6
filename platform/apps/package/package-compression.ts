/**
 * The gzip layer of a package file, with its size limits.
 *
 * Decompression is bounded: zlib stops as soon as the output would pass the
 * unpacked limit, so a small file that inflates to gigabytes (a decompression
 * bomb) costs at most that limit in memory, never more. Compression is
 * deterministic (zlib writes no file name and a zero time stamp), so the same
 * archive always gives the same package bytes.
 *
 *   gunzipPackage(bytes, limits) → tar   (PACKAGE_TOO_LARGE, PACKAGE_NOT_GZIP, PACKAGE_CORRUPT, PACKAGE_BOMB)
 *   gzipPackage(tar) → bytes
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { PackageLimits } from './package-limits.js';
import {
  PACKAGE_BOMB,
  PACKAGE_CORRUPT,
  PACKAGE_NOT_GZIP,
  PACKAGE_TOO_LARGE,
  REPACK_ADVICE,
  formatBytes,
  packageError,
} from './package-errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];

export function gunzipPackage(bytes: Uint8Array, limits: PackageLimits): Buffer {
  if (bytes.length > limits.maxPackageBytes) {
    throw packageError(
      PACKAGE_TOO_LARGE,
      `The app package is ${formatBytes(bytes.length)}, more than the ${formatBytes(limits.maxPackageBytes)} a package may be. ` +
        'Leave large media out of the app (or make them smaller) and pack it again.',
    );
  }
  if (bytes.length < 2 || bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) {
    throw packageError(
      PACKAGE_NOT_GZIP,
      'The file is not an app package: it is not gzip-compressed. Upload the <name>-<version>.tgz file that `portier pack` writes.',
    );
  }

  let tar: Buffer;
  try {
    // One byte more than allowed, so "exactly at the limit" and "over it" can be told apart.
    tar = gunzipSync(bytes, { maxOutputLength: limits.maxUnpackedBytes + 1 });
  } catch (error) {
    if (isBufferTooLarge(error)) throw bomb(`it unpacks to more than ${formatBytes(limits.maxUnpackedBytes)}`);
    const reason = error instanceof Error ? error.message : String(error);
    throw packageError(
      PACKAGE_CORRUPT,
      `The app package is damaged: its gzip data cannot be read (${reason}; often a download or upload that was cut short). ` +
        'Copy the file again; if that does not help, repack the app with `portier pack` (or ask its vendor for a fixed package).',
      { cause: error },
    );
  }
  if (tar.length > limits.maxUnpackedBytes) throw bomb(`it unpacks to more than ${formatBytes(limits.maxUnpackedBytes)}`);

  const ratio = tar.length / bytes.length;
  if (tar.length > limits.compressionRatioFromBytes && ratio > limits.maxCompressionRatio) {
    throw bomb(`it unpacks to ${Math.round(ratio)} times its size (${formatBytes(tar.length)}), more than the ${limits.maxCompressionRatio} times allowed`);
  }
  return tar;
}

export function gzipPackage(tar: Uint8Array): Buffer {
  return gzipSync(tar, { level: constants.Z_BEST_COMPRESSION });
}

function bomb(what: string): Error {
  return packageError(PACKAGE_BOMB, `The app package was refused as a decompression bomb: ${what}. ${REPACK_ADVICE}`);
}

function isBufferTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}
