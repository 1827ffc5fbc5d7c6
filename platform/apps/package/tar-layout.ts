/**
 * Where each entry of an uncompressed tar archive sits, byte by byte.
 *
 * tar-stream parses an archive for its content but does not say where its
 * entries start. The package signature covers an exact byte range (everything
 * before the signature entry's header), so this walker lists every header:
 * its offset, type flag, name and where its data ends. It reads only what the
 * layout needs (POSIX ustar, as in the pax specification): 512-byte blocks, a
 * header checksum, a size in octal or GNU base-256, and data padded to whole
 * blocks. Extension headers — pax `x`/`g` and GNU `L`/`K`/`N` long names — are
 * listed as entries of their own (see isExtensionHeader); the walker does not
 * apply them. It stops at the first all-zero block (end of archive).
 *
 *   walkTar(tar) → { entries: TarLayoutEntry[], end }
 *   isExtensionHeader(typeflag)
 *
 * A malformed archive throws PACKAGE_CORRUPT.
 */
import { PACKAGE_CORRUPT, REPACK_ADVICE, packageError } from './package-errors.js';

export const TAR_BLOCK_SIZE = 512;

export interface TarLayoutEntry {
  /** Offset of the entry's 512-byte header. */
  headerOffset: number;
  /** The type flag as a character: '0' file (also for a NUL flag), '5' directory, 'x' pax header, 'L' GNU long name, … */
  typeflag: string;
  /** The header's own name (ustar prefix + '/' + name); an extension header's name is not applied. */
  name: string;
  /** Data size from the header. */
  size: number;
  /** Offset just after the entry's data (before the padding to the next block). */
  dataEnd: number;
}

export interface TarLayout {
  entries: TarLayoutEntry[];
  /** Offset of the end-of-archive zero block, or the archive's length when it has none. */
  end: number;
}

/** pax extended (`x`), pax global (`g`), GNU long link name (`K`), GNU long name (`L`, old `N`). */
const EXTENSION_TYPEFLAGS = new Set(['x', 'g', 'K', 'L', 'N']);

/** An extension header describes the entry after it (or all of them, `g`); it is no file of its own. */
export function isExtensionHeader(typeflag: string): boolean {
  return EXTENSION_TYPEFLAGS.has(typeflag);
}

const NAME = { offset: 0, length: 100 };
const SIZE = { offset: 124, length: 12 };
const CHECKSUM = { offset: 148, length: 8 };
const TYPEFLAG_OFFSET = 156;
const MAGIC = { offset: 257, length: 6 };
const PREFIX = { offset: 345, length: 155 };
const USTAR_MAGIC = 'ustar\0';

export function walkTar(tar: Uint8Array): TarLayout {
  const entries: TarLayoutEntry[] = [];
  let offset = 0;
  while (offset < tar.length) {
    if (offset + TAR_BLOCK_SIZE > tar.length) throw corrupt(offset, 'the archive ends inside a header (truncated)');
    const header = tar.subarray(offset, offset + TAR_BLOCK_SIZE);
    if (header.every((byte) => byte === 0)) return { entries, end: offset };

    if (checksumOf(header) !== readNumber(header, CHECKSUM, offset)) {
      throw corrupt(offset, 'a header checksum does not match (damaged or not a tar archive)');
    }
    const name = readName(header);
    const size = readNumber(header, SIZE, offset);
    const typeflag = header[TYPEFLAG_OFFSET] === 0 ? '0' : String.fromCharCode(header[TYPEFLAG_OFFSET]!);
    const dataEnd = offset + TAR_BLOCK_SIZE + size;
    const next = offset + TAR_BLOCK_SIZE + Math.ceil(size / TAR_BLOCK_SIZE) * TAR_BLOCK_SIZE;
    if (next > tar.length) throw corrupt(offset, `the data of ${JSON.stringify(name)} runs past the end of the archive (truncated)`);

    entries.push({ headerOffset: offset, typeflag, name, size, dataEnd });
    offset = next;
  }
  return { entries, end: offset };
}

/** Header bytes summed as unsigned, with the checksum field counted as eight spaces. */
function checksumOf(header: Uint8Array): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < TAR_BLOCK_SIZE; i++) {
    if (i < CHECKSUM.offset || i >= CHECKSUM.offset + CHECKSUM.length) sum += header[i]!;
  }
  return sum;
}

function readName(header: Uint8Array): string {
  const name = readString(header, NAME);
  const isUstar = Buffer.from(header.subarray(MAGIC.offset, MAGIC.offset + MAGIC.length)).toString('latin1') === USTAR_MAGIC;
  // Only POSIX ustar has a prefix field; old GNU headers keep other data there.
  if (!isUstar || header[PREFIX.offset] === 0) return name;
  return `${readString(header, PREFIX)}/${name}`;
}

function readString(header: Uint8Array, field: { offset: number; length: number }): string {
  const bytes = header.subarray(field.offset, field.offset + field.length);
  const nul = bytes.indexOf(0);
  return Buffer.from(nul === -1 ? bytes : bytes.subarray(0, nul)).toString('utf8');
}

/**
 * A numeric field: octal digits (optionally led by spaces or zero bytes and
 * ended by a space or zero byte), or GNU base-256 when the first byte has its
 * high bit set (big-endian, for values that do not fit in octal digits).
 */
function readNumber(header: Uint8Array, field: { offset: number; length: number }, at: number): number {
  const bytes = header.subarray(field.offset, field.offset + field.length);
  const first = bytes[0]!;
  if (first & 0x80) {
    if (first === 0xff) throw corrupt(at, 'a header holds a negative number');
    let value = first & 0x7f;
    for (const byte of bytes.subarray(1)) {
      value = value * 256 + byte;
      if (value > Number.MAX_SAFE_INTEGER) throw corrupt(at, 'a header holds a number too large to be real');
    }
    return value;
  }
  const text = Buffer.from(bytes).toString('latin1');
  const match = /^[ \0]*([0-7]*)[ \0]*$/.exec(text);
  if (!match) throw corrupt(at, `a header holds ${JSON.stringify(text)} where an octal number belongs`);
  return match[1] === '' ? 0 : parseInt(match[1]!, 8);
}

function corrupt(offset: number, problem: string): Error {
  return packageError(PACKAGE_CORRUPT, `The app package is not a valid tar archive at byte ${offset}: ${problem}. ${REPACK_ADVICE}`);
}
