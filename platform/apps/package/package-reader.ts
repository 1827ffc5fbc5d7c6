/**
 * Reads an app package (`<name>-<version>.tgz`) into memory and checks all of
 * it before anything is written: sizes, structure, every path and entry type,
 * the signature entry's place and form, and that there is a readable
 * manifest.json. A package comes from outside (an upload, a USB stick), so
 * every check assumes a hostile archive; extracting is then only writing
 * already-checked entries (package-extract.ts).
 *
 *   readPackage(bytes, limits?) → { entries, manifest, signature, unpackedBytes }
 *
 * The archive is parsed with tar-stream and its byte layout walked with
 * tar-layout.ts; the two must agree entry by entry (same header offsets,
 * sizes and data),
 * or the package is refused as corrupt. The signature covers bytes of the
 * layout, the entries come from tar-stream: agreement means the files
 * returned are exactly the bytes the signature covers, whatever tricks an
 * archive plays on one tar reader or the other.
 *
 * Refusal codes (package-errors.ts): PACKAGE_TOO_LARGE, PACKAGE_NOT_GZIP,
 * PACKAGE_CORRUPT, PACKAGE_BOMB, PACKAGE_TOO_MANY_FILES, PACKAGE_PATH_ABSOLUTE,
 * PACKAGE_PATH_TRAVERSAL, PACKAGE_PATH_INVALID, PACKAGE_LINK,
 * PACKAGE_SPECIAL_FILE, PACKAGE_MANIFEST_MISSING, PACKAGE_MANIFEST_UNREADABLE,
 * SIGNATURE_MALFORMED. The signature is read, not judged: whether it must be
 * there and which keys to trust is the installer's decision.
 */
import { extract, type Header } from 'tar-stream';
import { isPortierError } from '../../../sdk/errors.js';
import { gunzipPackage } from './package-compression.js';
import { resolveLimits, type PackageLimits } from './package-limits.js';
import { checkEntryPath, PathSet } from './package-paths.js';
import { readSignature, SIGNATURE_ENTRY_NAME, type PackageSignature } from './package-signature.js';
import { isExtensionHeader, walkTar, type TarLayoutEntry } from './tar-layout.js';
import { normalisedMode } from './tar-writer.js';
import {
  PACKAGE_CORRUPT,
  PACKAGE_LINK,
  PACKAGE_MANIFEST_MISSING,
  PACKAGE_MANIFEST_UNREADABLE,
  PACKAGE_PATH_INVALID,
  PACKAGE_SPECIAL_FILE,
  PACKAGE_TOO_LARGE,
  PACKAGE_TOO_MANY_FILES,
  REPACK_ADVICE,
  SIGNATURE_MALFORMED,
  entryError,
  formatBytes,
  packageError,
  quotePath,
} from './package-errors.js';

export const MANIFEST_ENTRY = 'manifest.json';

/** One file of the package. Folders are not listed: they are the folders of the files' paths. */
export interface PackageEntry {
  /** Relative path, `/`-separated, checked (see package-paths.ts). */
  path: string;
  /** 0o755 if the package marks the file executable, else 0o644. */
  mode: number;
  data: Buffer;
}

export interface ReadPackageResult {
  /** The app's files in package order, without the signature entry. */
  entries: PackageEntry[];
  /** manifest.json parsed as JSON; not yet validated against the manifest schema. */
  manifest: unknown;
  signature: PackageSignature;
  /** Size of the decompressed archive (the files plus their tar headers). */
  unpackedBytes: number;
}

export async function readPackage(bytes: Uint8Array, limits?: Partial<PackageLimits>): Promise<ReadPackageResult> {
  const resolved = resolveLimits(limits);
  const tar = gunzipPackage(bytes, resolved);
  const layout = walkTar(tar);
  const entries = await readEntries(tar, layout.entries.filter((entry) => !isExtensionHeader(entry.typeflag)), resolved);

  const signature = readSignature(tar, layout);
  if (signature.signed !== entries.sawSignature) {
    throw packageError(
      SIGNATURE_MALFORMED,
      `app package entry ${quotePath(SIGNATURE_ENTRY_NAME)}: tar readers disagree on whether the package has one (an extension header renames an entry). ${REPACK_ADVICE}`,
    );
  }
  return { entries: entries.files, manifest: parseManifest(entries.files), signature, unpackedBytes: tar.length };
}

interface ReadEntries {
  files: PackageEntry[];
  sawSignature: boolean;
}

async function readEntries(tar: Buffer, layout: readonly TarLayoutEntry[], limits: PackageLimits): Promise<ReadEntries> {
  const files: PackageEntry[] = [];
  const paths = new PathSet();
  let sawSignature = false;
  let index = 0;

  const parser = extract();
  // Listening starts before the archive goes in, so no entry or error is emitted unheard.
  const iterator = parser[Symbol.asyncIterator]();
  parser.end(tar);
  try {
    for await (const entry of { [Symbol.asyncIterator]: () => iterator }) {
      const header = entry.header;
      const at = layout[index];
      if (at === undefined || at.headerOffset !== entry.offset || at.size !== header.size) throw ambiguous(header.name);
      // tar-stream reads a folder's data as the next header, and its stream for the folder would never end.
      if (header.type === 'directory' && at.size !== 0) throw ambiguous(header.name);
      index++;

      if (sawSignature) {
        throw entryError(SIGNATURE_MALFORMED, SIGNATURE_ENTRY_NAME, `it must be the last entry of the package, but ${quotePath(header.name)} follows it`);
      }
      if (stripDotSlash(header.name) === SIGNATURE_ENTRY_NAME) {
        // Checked in full by readSignature; here only its place and its bytes.
        sawSignature = true;
        await expectLayoutData(entry, tar, at);
        continue;
      }
      if (index > limits.maxEntries) {
        throw entryError(PACKAGE_TOO_MANY_FILES, header.name, `the package has more than ${limits.maxEntries} files and folders`, 'Leave out what the app does not need at run time and pack it again.');
      }

      checkType(header, at);
      // `tar -C dir -czf app.tgz .` starts with an entry for the folder itself.
      if (header.type === 'directory' && header.name !== '' && ['', '.'].includes(stripDotSlash(header.name))) {
        await expectLayoutData(entry, tar, at);
        continue;
      }
      const check = checkEntryPath(header.name, limits);
      if (!check.ok) throw entryError(check.code, header.name, check.problem);
      const path = check.path;
      if (header.type === 'file' && at.size > limits.maxFileBytes) {
        throw entryError(PACKAGE_TOO_LARGE, path, `the file is ${formatBytes(at.size)}, more than the ${formatBytes(limits.maxFileBytes)} one file may be`, 'Leave large media out of the app (or make them smaller) and pack it again.');
      }
      const clash = paths.add(path, header.type === 'directory' ? 'directory' : 'file');
      if (clash !== undefined) throw entryError(PACKAGE_PATH_INVALID, path, clash);

      const data = await expectLayoutData(entry, tar, at);
      if (header.type === 'file') files.push({ path, mode: normalisedMode(header.mode ?? 0), data });
    }
  } catch (error) {
    if (isPortierError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw packageError(PACKAGE_CORRUPT, `The app package is not a valid tar archive (${reason}). ${REPACK_ADVICE}`, { cause: error });
  }
  if (index !== layout.length) throw ambiguous(layout[index]?.name ?? '');
  return { files, sawSignature };
}

/** tar-stream's entry stream (its chunks are Buffers). */
type TarStreamEntry = AsyncIterable<unknown> & { header: Header };

const TYPE_NAMES: Partial<Record<string, string>> = {
  'character-device': 'a character device',
  'block-device': 'a block device',
  fifo: 'a FIFO (named pipe)',
  'contiguous-file': 'a contiguous file (type 7)',
};

/** Only plain files and folders: a link could point anywhere once written, a device is never app content. */
function checkType(header: Header, at: TarLayoutEntry): void {
  // tar-stream gives null for a type flag it does not know.
  const type = header.type as Header['type'] | null;
  switch (type) {
    case 'file':
    case 'directory':
      return;
    case 'symlink':
      throw entryError(PACKAGE_LINK, header.name, `it is a symbolic link (to ${quotePath(header.linkname ?? '')}); packages hold only plain files and folders`);
    case 'link':
      throw entryError(PACKAGE_LINK, header.name, `it is a hard link (to ${quotePath(header.linkname ?? '')}); packages hold only plain files and folders`);
    default: {
      const what = TYPE_NAMES[type ?? ''] ?? `an entry of tar type ${quotePath(at.typeflag)}`;
      throw entryError(PACKAGE_SPECIAL_FILE, header.name, `it is ${what}; packages hold only plain files and folders`);
    }
  }
}

/**
 * Reads an entry's data from tar-stream and checks it is byte for byte the
 * data where the layout puts it; returns the layout's bytes (no copy).
 */
async function expectLayoutData(entry: TarStreamEntry, tar: Buffer, at: TarLayoutEntry): Promise<Buffer> {
  const start = at.dataEnd - at.size;
  let position = start;
  for await (const data of entry) {
    const chunk = data as Buffer;
    const end = position + chunk.length;
    if (end > at.dataEnd || !chunk.equals(tar.subarray(position, end))) throw ambiguous(entry.header.name);
    position = end;
  }
  if (position !== at.dataEnd) throw ambiguous(entry.header.name);
  return tar.subarray(start, at.dataEnd);
}

function ambiguous(name: string): Error {
  return packageError(
    PACKAGE_CORRUPT,
    `The app package is not a valid tar archive: at entry ${quotePath(name)} tar readers disagree on where entries start and end. ${REPACK_ADVICE}`,
  );
}

function parseManifest(files: readonly PackageEntry[]): unknown {
  const manifest = files.find((file) => file.path === MANIFEST_ENTRY);
  if (manifest === undefined) {
    const nested = files.find((file) => file.path.endsWith(`/${MANIFEST_ENTRY}`));
    const hint = nested
      ? ` It has ${quotePath(nested.path)}: pack the plugin folder itself, not the folder around it.`
      : ' Pack the plugin folder (the one with manifest.json) with `portier pack`.';
    throw packageError(PACKAGE_MANIFEST_MISSING, `The app package has no ${quotePath(MANIFEST_ENTRY)} at its top level.${hint}`);
  }
  const text = manifest.data.toString('utf8');
  try {
    // Some Windows editors save UTF-8 with a byte order mark, which JSON.parse rejects.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw entryError(PACKAGE_MANIFEST_UNREADABLE, MANIFEST_ENTRY, `it is not valid JSON (${reason})`, 'Fix manifest.json (`portier validate` shows where) and pack the app again.');
  }
}

function stripDotSlash(name: string): string {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}
