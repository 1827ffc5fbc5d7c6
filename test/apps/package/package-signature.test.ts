import { generateKeyPairSync, sign } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { readPackage } from '../../../platform/apps/package/package-reader.js';
import {
  SIGNATURE_ENTRY_NAME,
  generateSigningKey,
  keyIdOf,
  readSignature,
  signPackage,
} from '../../../platform/apps/package/package-signature.js';
import { walkTar } from '../../../platform/apps/package/tar-layout.js';

interface File {
  name: string;
  data: string | Buffer;
}

async function tarOf(files: readonly File[]): Promise<Buffer> {
  const archive = pack();
  for (const file of files) archive.entry({ name: file.name, mtime: new Date(0) }, file.data);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function filesOf(tar: Buffer): Promise<File[]> {
  const parser = extract();
  parser.end(tar);
  const files: File[] = [];
  for await (const entry of parser) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    files.push({ name: entry.header.name, data: Buffer.concat(chunks) });
  }
  return files;
}

const manifest = { schemaVersion: 1, name: 'door-bell', version: '1.0.0', main: './index.js' };
const appFiles: File[] = [
  { name: 'manifest.json', data: JSON.stringify(manifest) },
  { name: 'index.js', data: 'export default class DoorBell {}\n' },
];

async function unsignedPackage(): Promise<Buffer> {
  return gzipSync(await tarOf(appFiles));
}

const alice = generateSigningKey();
const bob = generateSigningKey();

describe('signing keys', () => {
  it('makes Ed25519 keys in PEM with a key id of eight groups of four hex digits', () => {
    expect(alice.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(alice.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(alice.keyId).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
    expect(keyIdOf(alice.publicKeyPem)).toBe(alice.keyId);
    expect(keyIdOf(alice.privateKeyPem)).toBe(alice.keyId);
    expect(bob.keyId).not.toBe(alice.keyId);
  });

  it('refuses a key that is not Ed25519', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecPrivate = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ecPublic = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(signPackage(await unsignedPackage(), ecPrivate)).rejects.toMatchObject({ code: 'SIGNATURE_KEY_INVALID' });
    expect(() => keyIdOf(ecPublic)).toThrow(expect.objectContaining({ code: 'SIGNATURE_KEY_INVALID' }));
    expect(() => keyIdOf('not a key')).toThrow(expect.objectContaining({ code: 'SIGNATURE_KEY_INVALID' }));
  });
});

describe('signPackage and readSignature', () => {
  it('signs a package that then verifies with the signer\'s public key', async () => {
    const signed = await signPackage(await unsignedPackage(), alice.privateKeyPem, 'Example AB');
    const read = await readPackage(signed);
    expect(read.entries.map((e) => e.path)).toEqual(['manifest.json', 'index.js']);
    expect(read.signature).toMatchObject({ signed: true, keyId: alice.keyId, signer: 'Example AB' });
    if (!read.signature.signed) throw new Error('unsigned');
    expect(read.signature.verify(alice.publicKeyPem)).toBe(true);

    // The signature is the archive's last entry and covers everything before its header.
    const tar = gunzipSync(signed);
    const { entries } = walkTar(tar);
    expect(entries.at(-1)).toMatchObject({ name: SIGNATURE_ENTRY_NAME, headerOffset: read.signature.contentEnd });
    expect(tar.subarray(0, read.signature.contentEnd).equals(await tarOf(appFiles).then((t) => t.subarray(0, walkTar(t).end)))).toBe(true);
  });

  it('reads an unsigned package as unsigned', async () => {
    expect(readSignature(gunzipSync(await unsignedPackage()))).toEqual({ signed: false });
  });

  it('does not verify with another key', async () => {
    const signature = readSignature(gunzipSync(await signPackage(await unsignedPackage(), alice.privateKeyPem)));
    if (!signature.signed) throw new Error('unsigned');
    expect(signature.signer).toBeUndefined();
    expect(signature.verify(bob.publicKeyPem)).toBe(false);
  });

  it('does not verify once one byte of one file is changed after signing', async () => {
    const tar = gunzipSync(await signPackage(await unsignedPackage(), alice.privateKeyPem));
    const index = walkTar(tar).entries.find((e) => e.name === 'index.js')!;
    const changed = Buffer.from(tar);
    const at = index.dataEnd - index.size;
    changed[at] = changed[at]! ^ 0x01; // "export" → "dxport"; the header checksum does not cover data

    const read = await readPackage(gzipSync(changed));
    expect(read.entries.find((e) => e.path === 'index.js')?.data.toString()).toMatch(/^dxport/);
    if (!read.signature.signed) throw new Error('unsigned');
    expect(read.signature.verify(alice.publicKeyPem)).toBe(false);
  });

  it('does not verify once the archive is rebuilt with a changed file and the old signature entry', async () => {
    const signed = gunzipSync(await signPackage(await unsignedPackage(), alice.privateKeyPem));
    const files = await filesOf(signed);
    expect(files.map((f) => f.name)).toEqual(['manifest.json', 'index.js', SIGNATURE_ENTRY_NAME]);
    const tampered = files.map((f) => (f.name === 'index.js' ? { ...f, data: 'export default class Evil {}\n' } : f));
    const added = [...files.slice(0, -1), { name: 'extra.js', data: 'evil()' }, files.at(-1)!];

    for (const rebuilt of [tampered, added]) {
      const read = await readPackage(gzipSync(await tarOf(rebuilt)));
      if (!read.signature.signed) throw new Error('unsigned');
      expect(read.signature.keyId).toBe(alice.keyId);
      expect(read.signature.verify(alice.publicKeyPem)).toBe(false);
    }
  });

  it('does not take a signature made over the content without the domain prefix, or a relabelled signer', async () => {
    const signed = gunzipSync(await signPackage(await unsignedPackage(), alice.privateKeyPem, 'Example AB'));
    const files = await filesOf(signed);
    const body = JSON.parse(files.at(-1)!.data.toString()) as Record<string, unknown>;
    const contentEnd = walkTar(signed).entries.at(-1)!.headerOffset;

    const bare = sign(null, signed.subarray(0, contentEnd), alice.privateKeyPem).toString('base64');
    const variants = [{ ...body, signature: bare }, { ...body, signer: 'Someone Else' }];
    for (const variant of variants) {
      const rebuilt = [...files.slice(0, -1), { name: SIGNATURE_ENTRY_NAME, data: JSON.stringify(variant) }];
      const signature = readSignature(await tarOf(rebuilt));
      if (!signature.signed) throw new Error('unsigned');
      expect(signature.verify(alice.publicKeyPem)).toBe(false);
    }
  });

  it('replaces an existing signature when signing again', async () => {
    const byAlice = await signPackage(await unsignedPackage(), alice.privateKeyPem, 'Alice');
    const byBob = await signPackage(byAlice, bob.privateKeyPem, 'Bob');
    const tar = gunzipSync(byBob);
    expect(walkTar(tar).entries.filter((e) => e.name === SIGNATURE_ENTRY_NAME)).toHaveLength(1);
    const read = await readPackage(byBob);
    expect(read.entries.map((e) => e.path)).toEqual(['manifest.json', 'index.js']);
    expect(read.signature).toMatchObject({ signed: true, keyId: bob.keyId, signer: 'Bob' });
    if (!read.signature.signed) throw new Error('unsigned');
    expect(read.signature.verify(bob.publicKeyPem)).toBe(true);
    expect(read.signature.verify(alice.publicKeyPem)).toBe(false);

    // Signing is deterministic: the same key over the same content gives the same package.
    expect((await signPackage(byBob, alice.privateKeyPem, 'Alice')).equals(byAlice)).toBe(true);
  });

  it('refuses a signature entry that is not the last entry', async () => {
    const signed = gunzipSync(await signPackage(await unsignedPackage(), alice.privateKeyPem));
    const files = await filesOf(signed);
    const moved = [files.at(-1)!, ...files.slice(0, -1)];
    const tar = await tarOf(moved);
    expect(() => readSignature(tar)).toThrow(expect.objectContaining({ code: 'SIGNATURE_MALFORMED', message: expect.stringContaining('last entry') }));
    await expect(readPackage(gzipSync(tar))).rejects.toMatchObject({ code: 'SIGNATURE_MALFORMED', message: expect.stringContaining(SIGNATURE_ENTRY_NAME) });
  });

  it('refuses a signature entry that does not hold a signature', async () => {
    const bodies = ['not json', '{"format":2,"algorithm":"ed25519"}', JSON.stringify({ format: 1, algorithm: 'ed25519', keyId: alice.keyId, signature: 'AAAA' })];
    for (const body of bodies) {
      const tar = await tarOf([...appFiles, { name: SIGNATURE_ENTRY_NAME, data: body }]);
      expect(() => readSignature(tar)).toThrow(expect.objectContaining({ code: 'SIGNATURE_MALFORMED' }));
    }
  });

  it('refuses a signer name with control characters', async () => {
    await expect(signPackage(await unsignedPackage(), alice.privateKeyPem, 'Evil\u001b[2J')).rejects.toMatchObject({ code: 'SIGNATURE_SIGNER_INVALID' });
  });
});
