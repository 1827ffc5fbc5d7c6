import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { readPackage } from '../../../platform/apps/package/package-reader.js';
import { walkTar } from '../../../platform/apps/package/tar-layout.js';

type HostileEntry = Partial<Header> & { name: string; data?: string | Buffer; pax?: Record<string, string> };

const MANIFEST: HostileEntry = { name: 'manifest.json', data: JSON.stringify({ name: 'door-bell', version: '1.0.0' }) };
const INDEX: HostileEntry = { name: 'index.js', data: 'export default class DoorBell {}\n' };

/** An uncompressed tar written by tar-stream, which writes whatever header it is given. */
async function tarOf(entries: readonly HostileEntry[]): Promise<Buffer> {
  const archive = pack();
  for (const { data, ...header } of entries) {
    if (data === undefined) archive.entry({ mtime: new Date(0), ...header });
    else archive.entry({ mtime: new Date(0), ...header }, data);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function packageOf(entries: readonly HostileEntry[]): Promise<Buffer> {
  return gzipSync(await tarOf(entries));
}

/** Reading `entries` (after a manifest and index.js) is refused with `code`, and the message names `named`. */
async function expectRefused(entries: readonly HostileEntry[], code: string, named: string, limits = {}): Promise<void> {
  await expect(readPackage(await packageOf([MANIFEST, INDEX, ...entries]), limits)).rejects.toMatchObject({
    code,
    message: expect.stringContaining(JSON.stringify(named)),
  });
}

describe('readPackage', () => {
  it('reads files, modes and the manifest of a good package, dropping "./" and folder entries', async () => {
    const bytes = await packageOf([
      { ...MANIFEST, name: './manifest.json' },
      { name: './lib/', type: 'directory' },
      { name: './lib/ring.js', data: 'ring()', mode: 0o775 },
      INDEX,
    ]);
    const read = await readPackage(bytes);
    expect(read.entries.map(({ path, mode, data }) => [path, mode, data.toString()])).toEqual([
      ['manifest.json', 0o644, MANIFEST.data],
      ['lib/ring.js', 0o755, 'ring()'],
      ['index.js', 0o644, INDEX.data],
    ]);
    expect(read.manifest).toEqual({ name: 'door-bell', version: '1.0.0' });
    expect(read.signature).toEqual({ signed: false });
    expect(read.unpackedBytes).toBe(gunzipSync(bytes).length);
  });

  describe('sizes', () => {
    it('PACKAGE_TOO_LARGE: a package file over the limit', async () => {
      const bytes = await packageOf([MANIFEST, INDEX]);
      await expect(readPackage(bytes, { maxPackageBytes: 100 })).rejects.toMatchObject({ code: 'PACKAGE_TOO_LARGE', message: expect.stringContaining('100 bytes') });
    });

    it('PACKAGE_TOO_LARGE: one file over the limit', async () => {
      await expectRefused([{ name: 'assets/film.mp4', data: Buffer.alloc(5000) }], 'PACKAGE_TOO_LARGE', 'assets/film.mp4', { maxFileBytes: 4096 });
    });

    it('PACKAGE_BOMB: 50 MiB of zeros stops decompressing at the unpacked limit', async () => {
      const bytes = await packageOf([MANIFEST, { name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) }]);
      expect(bytes.length).toBeLessThan(100 * 1024);
      await expect(readPackage(bytes, { maxUnpackedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'PACKAGE_BOMB', message: expect.stringContaining('more than 1 MiB') });
    });

    it('PACKAGE_BOMB: a compression ratio over the limit', async () => {
      const bytes = await packageOf([MANIFEST, { name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) }]);
      await expect(readPackage(bytes)).rejects.toMatchObject({ code: 'PACKAGE_BOMB', message: expect.stringContaining('times') });
    });

    it('lets a small package compress as well as it likes', async () => {
      const read = await readPackage(await packageOf([MANIFEST, { name: 'blank.txt', data: Buffer.alloc(512 * 1024, 0x20) }]));
      expect(read.entries).toHaveLength(2);
    });

    it('PACKAGE_TOO_MANY_FILES: more entries than the limit', async () => {
      const many = Array.from({ length: 5 }, (_, i) => ({ name: `file-${i}.js`, data: '' }));
      await expectRefused(many, 'PACKAGE_TOO_MANY_FILES', 'file-1.js', { maxEntries: 3 });
    });
  });

  describe('format', () => {
    it('PACKAGE_NOT_GZIP: a plain tar, or text', async () => {
      for (const bytes of [await tarOf([MANIFEST]), Buffer.from('hello')]) {
        await expect(readPackage(bytes)).rejects.toMatchObject({ code: 'PACKAGE_NOT_GZIP', message: expect.stringContaining('portier pack') });
      }
    });

    it('PACKAGE_CORRUPT: a truncated gzip', async () => {
      const bytes = await packageOf([MANIFEST, INDEX]);
      await expect(readPackage(bytes.subarray(0, bytes.length - 20))).rejects.toMatchObject({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('cut short') });
    });

    it('PACKAGE_CORRUPT: a bad tar header checksum', async () => {
      const tar = await tarOf([MANIFEST, INDEX]);
      const index = walkTar(tar).entries[1]!;
      tar[index.headerOffset] = 'X'.charCodeAt(0);
      await expect(readPackage(gzipSync(tar))).rejects.toMatchObject({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('checksum') });
    });

    it('PACKAGE_CORRUPT: a tar that tar readers take apart differently', async () => {
      // A folder entry claiming 512 bytes of data: the layout skips them, tar-stream reads them as the next header,
      // so tar-stream would see an "evil.js" that the byte layout (and so a signature) does not.
      const folder = await tarOf([MANIFEST, { name: 'lib/', type: 'directory', size: 512 }, { name: 'evil.js', data: '' }, INDEX]);
      // A pax size record: tar-stream takes it over the header's size.
      const paxSize = await tarOf([MANIFEST, { name: 'a.js', pax: { size: '0' }, data: 'x'.repeat(600) }, INDEX]);
      for (const tar of [folder, paxSize]) {
        await expect(readPackage(gzipSync(tar))).rejects.toMatchObject({ code: 'PACKAGE_CORRUPT', message: expect.stringContaining('disagree') });
      }
    });

    it('reads a package made by GNU tar, long names included', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'portier-gnu-tar-'));
      try {
        const long = `assets/${'l'.repeat(120)}.txt`;
        mkdirSync(join(dir, 'app/assets'), { recursive: true });
        writeFileSync(join(dir, 'app/manifest.json'), MANIFEST.data!);
        writeFileSync(join(dir, 'app', long), 'long');
        for (const format of ['gnu', 'posix']) {
          const file = join(dir, `app-${format}.tgz`);
          execFileSync('tar', [`--format=${format}`, '-C', join(dir, 'app'), '-czf', file, '.']);
          const read = await readPackage(readFileSync(file));
          expect(read.entries.map((e) => e.path).sort()).toEqual([long, 'manifest.json']);
          expect(read.entries.find((e) => e.path === long)?.data.toString()).toBe('long');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('paths', () => {
    it.each(['/etc/passwd', 'C:/Windows/evil.dll', 'c:evil.js', '\\\\server\\share\\evil.js', '\\evil.js'])('PACKAGE_PATH_ABSOLUTE: %s', async (name) => {
      await expectRefused([{ name, data: 'x' }], 'PACKAGE_PATH_ABSOLUTE', name);
    });

    it.each(['../x', 'a/../../x', 'a/..', '..\\x', 'lib\\..\\..\\x', './../x'])('PACKAGE_PATH_TRAVERSAL: %s', async (name) => {
      await expectRefused([{ name, data: 'x' }], 'PACKAGE_PATH_TRAVERSAL', name);
    });

    it('PACKAGE_PATH_ABSOLUTE: a folder entry for the root of the file system', async () => {
      await expectRefused([{ name: '/', type: 'directory' }], 'PACKAGE_PATH_ABSOLUTE', '/');
    });

    it('PACKAGE_PATH_TRAVERSAL: a folder entry', async () => {
      await expectRefused([{ name: '../evil/', type: 'directory' }], 'PACKAGE_PATH_TRAVERSAL', '../evil/');
    });

    it('PACKAGE_PATH_INVALID: the same path twice', async () => {
      await expectRefused([{ name: 'index.js', data: 'again' }], 'PACKAGE_PATH_INVALID', 'index.js');
      await expectRefused([{ name: './index.js', data: 'again' }], 'PACKAGE_PATH_INVALID', 'index.js');
    });

    it('PACKAGE_PATH_INVALID: paths that differ only in letter case', async () => {
      await expectRefused([{ name: 'Index.js', data: 'x' }], 'PACKAGE_PATH_INVALID', 'Index.js');
      await expectRefused([{ name: 'lib/a.js', data: '' }, { name: 'LIB/b.js', data: '' }], 'PACKAGE_PATH_INVALID', 'LIB/b.js');
    });

    it('PACKAGE_PATH_INVALID: a name that is both a file and a folder', async () => {
      await expectRefused([{ name: 'lib', data: '' }, { name: 'lib/a.js', data: '' }], 'PACKAGE_PATH_INVALID', 'lib/a.js');
    });

    it('PACKAGE_PATH_INVALID: an empty, too long, too deep or NUL path', async () => {
      await expectRefused([{ name: '.', data: 'x' }], 'PACKAGE_PATH_INVALID', '.');
      const long = 'a'.repeat(300) + '.js';
      await expectRefused([{ name: long, data: '' }], 'PACKAGE_PATH_INVALID', long);
      const deep = Array.from({ length: 17 }, () => 'd').join('/') + '/x.js';
      await expectRefused([{ name: deep, data: '' }], 'PACKAGE_PATH_INVALID', deep);
      await expectRefused([{ name: 'x.js', pax: { path: 'evil\0.js' }, data: '' }], 'PACKAGE_PATH_INVALID', 'evil\0.js');
      await expectRefused([{ name: 'a//b.js', data: '' }], 'PACKAGE_PATH_INVALID', 'a//b.js');
      await expectRefused([{ name: 'a\\b.js', data: '' }], 'PACKAGE_PATH_INVALID', 'a\\b.js');
    });
  });

  describe('entry types', () => {
    it('PACKAGE_LINK: a symbolic link', async () => {
      await expectRefused([{ name: 'passwd', type: 'symlink', linkname: '/etc/passwd' }], 'PACKAGE_LINK', 'passwd');
    });

    it('PACKAGE_LINK: a hard link', async () => {
      await expectRefused([{ name: 'again.js', type: 'link', linkname: 'index.js' }], 'PACKAGE_LINK', 'again.js');
    });

    it.each([
      ['character-device', 'a character device'],
      ['block-device', 'a block device'],
      ['fifo', 'a FIFO'],
      ['contiguous-file', 'a contiguous file'],
    ] as const)('PACKAGE_SPECIAL_FILE: %s', async (type, what) => {
      // A contiguous file (type 7) has data like a file; the others have none.
      const entry: HostileEntry = type === 'contiguous-file' ? { name: 'dev/thing', type, data: 'x' } : { name: 'dev/thing', type };
      await expect(readPackage(await packageOf([MANIFEST, entry]))).rejects.toMatchObject({
        code: 'PACKAGE_SPECIAL_FILE',
        message: expect.stringMatching(new RegExp(`"dev/thing": it is ${what}`)),
      });
    });
  });

  describe('manifest', () => {
    it('PACKAGE_MANIFEST_MISSING: no manifest.json at the top', async () => {
      await expect(readPackage(await packageOf([INDEX]))).rejects.toMatchObject({ code: 'PACKAGE_MANIFEST_MISSING', message: expect.stringContaining('"manifest.json"') });
    });

    it('PACKAGE_MANIFEST_MISSING: packed with the folder around the plugin', async () => {
      await expect(readPackage(await packageOf([{ ...MANIFEST, name: 'door-bell/manifest.json' }]))).rejects.toMatchObject({
        code: 'PACKAGE_MANIFEST_MISSING',
        message: expect.stringContaining('"door-bell/manifest.json": pack the plugin folder itself'),
      });
    });

    it('PACKAGE_MANIFEST_UNREADABLE: manifest.json is not JSON', async () => {
      await expect(readPackage(await packageOf([{ name: 'manifest.json', data: '{ "name": ' }]))).rejects.toMatchObject({
        code: 'PACKAGE_MANIFEST_UNREADABLE',
        message: expect.stringContaining('"manifest.json"'),
      });
    });

    it('reads a manifest saved with a byte order mark', async () => {
      const read = await readPackage(await packageOf([{ name: 'manifest.json', data: '\uFEFF{"name":"x"}' }]));
      expect(read.manifest).toEqual({ name: 'x' });
    });
  });

  describe('signature entry', () => {
    it('SIGNATURE_MALFORMED: an entry after the signature', async () => {
      await expectRefused(
        [{ name: '.portier-signature.json', data: '{}' }, { name: 'late.js', data: '' }],
        'SIGNATURE_MALFORMED',
        '.portier-signature.json',
      );
    });

    it('SIGNATURE_MALFORMED: an entry renamed to the signature by a pax header', async () => {
      await expectRefused(
        [{ name: 'x.json', pax: { path: '.portier-signature.json' }, data: '{}' }, { name: 'late.js', data: '' }],
        'SIGNATURE_MALFORMED',
        '.portier-signature.json',
      );
      await expectRefused([{ name: 'x.json', pax: { path: '.portier-signature.json' }, data: '{}' }], 'SIGNATURE_MALFORMED', '.portier-signature.json');
    });
  });
});
