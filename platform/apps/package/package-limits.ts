/**
 * How big an app package may be. A package comes from outside (an upload or a
 * file on a USB stick), so every size is bounded before anything is kept in
 * memory or written to the intercom's small flash. The defaults are generous
 * for a plugin (JavaScript, a few images and sound clips); callers and tests
 * pass smaller limits.
 *
 *   DEFAULT_PACKAGE_LIMITS, type PackageLimits, resolveLimits(partial?)
 */

const MiB = 1024 * 1024;

export interface PackageLimits {
  /** The package file as uploaded (gzip-compressed). */
  readonly maxPackageBytes: number;
  /**
   * The decompressed archive (every file plus its 512-byte tar headers).
   * Decompression stops here, so this also bounds the memory a package takes.
   */
  readonly maxUnpackedBytes: number;
  /** One file inside the package. */
  readonly maxFileBytes: number;
  /** Files and folders inside the package. */
  readonly maxEntries: number;
  /** Decompressed size / compressed size; above it the package is treated as a decompression bomb. */
  readonly maxCompressionRatio: number;
  /**
   * The ratio is only checked once the decompressed archive is larger than
   * this: small packages of text (JavaScript, JSON) compress very well and are
   * harmless at that size.
   */
  readonly compressionRatioFromBytes: number;
  /** Length of a path inside the package, in UTF-8 bytes (file systems allow 255 per name). */
  readonly maxPathLength: number;
  /** Folders + file name in a path; deep nesting has no use in an app and trips up tools. */
  readonly maxPathDepth: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = Object.freeze({
  maxPackageBytes: 64 * MiB,
  maxUnpackedBytes: 256 * MiB,
  maxFileBytes: 64 * MiB,
  maxEntries: 2000,
  maxCompressionRatio: 100,
  compressionRatioFromBytes: 1 * MiB,
  maxPathLength: 255,
  maxPathDepth: 16,
});

/** The defaults with the given limits replacing theirs. */
export function resolveLimits(limits: Partial<PackageLimits> = {}): PackageLimits {
  return { ...DEFAULT_PACKAGE_LIMITS, ...limits };
}
