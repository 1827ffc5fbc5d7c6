/**
 * The codes an app package can be refused with. Each refusal is a
 * PortierError whose code is stable (the installer, the API and the docs key
 * on it) and whose message names what is wrong (the entry's path, quoted as
 * JSON so a hostile name cannot hide control characters) and what to do.
 */
import { PortierError } from '../../../sdk/errors.js';

export const PACKAGE_TOO_LARGE = 'PACKAGE_TOO_LARGE';
export const PACKAGE_NOT_GZIP = 'PACKAGE_NOT_GZIP';
export const PACKAGE_CORRUPT = 'PACKAGE_CORRUPT';
export const PACKAGE_BOMB = 'PACKAGE_BOMB';
export const PACKAGE_TOO_MANY_FILES = 'PACKAGE_TOO_MANY_FILES';
export const PACKAGE_PATH_ABSOLUTE = 'PACKAGE_PATH_ABSOLUTE';
export const PACKAGE_PATH_TRAVERSAL = 'PACKAGE_PATH_TRAVERSAL';
export const PACKAGE_PATH_INVALID = 'PACKAGE_PATH_INVALID';
export const PACKAGE_LINK = 'PACKAGE_LINK';
export const PACKAGE_SPECIAL_FILE = 'PACKAGE_SPECIAL_FILE';
export const PACKAGE_MANIFEST_MISSING = 'PACKAGE_MANIFEST_MISSING';
export const PACKAGE_MANIFEST_UNREADABLE = 'PACKAGE_MANIFEST_UNREADABLE';
/** Packing: the manifest's `main` file is not in the folder. */
export const PACKAGE_ENTRY_MISSING = 'PACKAGE_ENTRY_MISSING';
/** Packing: a private key sits in the plugin folder and would ship with the app. */
export const PACKAGE_SECRET = 'PACKAGE_SECRET';
/** Extracting: the target folder already exists. */
export const PACKAGE_TARGET_EXISTS = 'PACKAGE_TARGET_EXISTS';
/** Extracting: the file system refused a write (disk full, permissions). */
export const PACKAGE_WRITE_FAILED = 'PACKAGE_WRITE_FAILED';
export const SIGNATURE_MALFORMED = 'SIGNATURE_MALFORMED';
/** A PEM that is not an Ed25519 key of the expected kind (private to sign, public to verify). */
export const SIGNATURE_KEY_INVALID = 'SIGNATURE_KEY_INVALID';
/** The signer name given to signPackage is empty, too long or has control characters. */
export const SIGNATURE_SIGNER_INVALID = 'SIGNATURE_SIGNER_INVALID';

export type PackageErrorCode =
  | typeof PACKAGE_TOO_LARGE
  | typeof PACKAGE_NOT_GZIP
  | typeof PACKAGE_CORRUPT
  | typeof PACKAGE_BOMB
  | typeof PACKAGE_TOO_MANY_FILES
  | typeof PACKAGE_PATH_ABSOLUTE
  | typeof PACKAGE_PATH_TRAVERSAL
  | typeof PACKAGE_PATH_INVALID
  | typeof PACKAGE_LINK
  | typeof PACKAGE_SPECIAL_FILE
  | typeof PACKAGE_MANIFEST_MISSING
  | typeof PACKAGE_MANIFEST_UNREADABLE
  | typeof PACKAGE_ENTRY_MISSING
  | typeof PACKAGE_SECRET
  | typeof PACKAGE_TARGET_EXISTS
  | typeof PACKAGE_WRITE_FAILED
  | typeof SIGNATURE_MALFORMED
  | typeof SIGNATURE_KEY_INVALID
  | typeof SIGNATURE_SIGNER_INVALID;

/** What someone installing a refused package can do about it. */
export const REPACK_ADVICE = 'The package cannot be installed safely; repack the app with `portier pack` (or ask its vendor for a fixed package).';

export function packageError(code: PackageErrorCode, message: string, options?: { cause?: unknown }): PortierError {
  return new PortierError(code, message, [], options);
}

/** `app package entry "a/b.js": <problem>. <advice>` */
export function entryError(code: PackageErrorCode, path: string, problem: string, advice = REPACK_ADVICE): PortierError {
  return packageError(code, `app package entry ${quotePath(path)}: ${problem}. ${advice}`);
}

/** A path as JSON text: quotes it and shows control characters as escapes. */
export function quotePath(path: string): string {
  return JSON.stringify(path);
}

/** 67108864 → "64 MiB", 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${text} ${units[unit]}`;
}
