import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { walkTar, isExtensionHeader } from '../../../platform/apps/package/tar-layout.js';

/** One POSIX ustar header block, written field by field (offsets from the pax specification). */
function ustarHeader(fields: { name: string; size: number | Buffer; typeflag?: string; prefix?: string }): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1'); // mode
  block.write('0000000\0', 108, 'latin1'); // uid
  block.write('0000000\0', 116, 'latin1'); // gid
  if (typeof fields.size === 'number') block.write(fields.size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  else fields.size.copy(block, 124);
  block.write('00000000000\0', 136, 'latin1'); // mtime
  block.write(fields.typeflag ?? '0', 156, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  if (fields.prefix) block.write(fields.prefix, 345, 155, 'utf8');
  block.write('        ', 148, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return block;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

const END = Buffer.alloc(1024);

describe('walkTar', () => {
  it('lists header offsets, type flags, names and data ends in 512-byte blocks, stopping at the zero blocks', () => {
    const a = Buffer.from('hello');
    const b = Buffer.alloc(600, 1);
    const tar = Buffer.concat([
      ustarHeader({ name: 'a.txt', size: a.length }),
      padded(a),
      ustarHeader({ name: 'dir/', size: 0, typeflag: '5' }),
      ustarHeader({ name: 'b.bin', size: b.length, prefix: 'dir' }),
      padded(b),
      END,
      Buffer.from('anything after the end of the archive is not read'),
    ]);
    const layout = walkTar(tar);
    expect(layout.entries).toEqual([
      { headerOffset: 0, typeflag: '0', name: 'a.txt', size: 5, dataEnd: 512 + 5 },
      { headerOffset: 1024, typeflag: '5', name: 'dir/', size: 0, dataEnd: 1536 },
      { headerOffset: 1536, typeflag: '0', name: 'dir/b.bin', size: 600, dataEnd: 2048 + 600 },
    ]);
    expect(layout.end).toBe(2048 + 1024);
  });

  it('lists pax and GNU long-name headers as entries of their own', () => {
    const pax = Buffer.from('30 path=a-very-long-name.json\n');
    const longName = Buffer.from('another-long-name.js\0');
    const tar = Buffer.concat([
      ustarHeader({ name: 'PaxHeader', size: pax.length, typeflag: 'x' }),
      padded(pax),
      ustarHeader({ name: 'a-very-long-n', size: 0 }),
      ustarHeader({ name: '././@LongLink', size: longName.length, typeflag: 'L' }),
      padded(longName),
      ustarHeader({ name: 'another-long', size: 0 }),
      END,
    ]);
    const { entries } = walkTar(tar);
    expect(entries.map((e) => [e.headerOffset, e.typeflag])).toEqual([
      [0, 'x'],
      [1024, '0'],
      [1536, 'L'],
      [2560, '0'],
    ]);
    expect(entries.map((e) => isExtensionHeader(e.typeflag))).toEqual([true, false, true, false]);
  });

  it('reads a size in base-256 (a high bit set in the first byte)', () => {
    const size = Buffer.alloc(12);
    size[0] = 0x80;
    size.writeUInt16BE(700, 10);
    const tar = Buffer.concat([ustarHeader({ name: 'big', size }), padded(Buffer.alloc(700)), END]);
    expect(walkTar(tar).entries[0]).toMatchObject({ size: 700, dataEnd: 512 + 700 });
  });

  it('agrees with what tar-stream writes', async () => {
    const archive = pack();
    archive.entry({ name: 'x.js', mtime: new Date(0) }, 'export {};\n');
    archive.entry({ name: 'ünïcode-name.txt', mtime: new Date(0) }, 'pax header first');
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const tar = Buffer.concat(chunks);
    const { entries, end } = walkTar(tar);
    expect(entries.map((e) => e.typeflag)).toEqual(['0', 'x', '0']);
    expect(end).toBe(tar.length - 1024);
  });

  it('refuses a header whose checksum does not match', () => {
    const header = ustarHeader({ name: 'a.txt', size: 0 });
    header[0] = 'b'.charCodeAt(0);
    expect(() => walkTar(Buffer.concat([header, END]))).toThrow(expect.objectContaining({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('checksum') }));
  });

  it('refuses an archive cut off inside a header or inside data', () => {
    const data = Buffer.alloc(1000, 7);
    const whole = Buffer.concat([ustarHeader({ name: 'a.bin', size: data.length }), padded(data), END]);
    expect(() => walkTar(whole.subarray(0, 700))).toThrow(expect.objectContaining({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('"a.bin"') }));
    expect(() => walkTar(whole.subarray(0, 300))).toThrow(expect.objectContaining({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('truncated') }));
  });

  it('refuses a size that is not an octal number', () => {
    const size = Buffer.from('00000009999\0', 'latin1');
    expect(() => walkTar(Buffer.concat([ustarHeader({ name: 'a', size }), END]))).toThrow(expect.objectContaining({ code: 'PACKAGE_CORRUPT' }));
  });

  it('takes an archive without end blocks to end where its last entry does', () => {
    const tar = Buffer.concat([ustarHeader({ name: 'a', size: 3 }), padded(Buffer.from('abc'))]);
    expect(walkTar(tar).end).toBe(1024);
  });
});
