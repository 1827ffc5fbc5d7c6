import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../support/test-portier.js';
import { packApp, signingKey, writeApp } from './support/app-fixtures.js';

function form(parts: { name: string; filename?: string; data: Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = '----portier-form-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? '' : `; filename="${part.filename}"\r\nContent-Type: application/gzip`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n`), part.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('installing from a multipart form', () => {
  const started: TestPortier[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
  });

  it('takes the one file after other fields, and refuses a form with two files or too many fields, installing nothing', async () => {
    const p = await startTestPortier({ plugins: ['io', 'greeter'] });
    started.push(p);
    await p.setUp();
    const key = signingKey();
    expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'Acme Door Systems', publicKey: key.publicKeyPem }, user: ADMIN })).status).toBe(201);
    const v1 = await packApp(writeApp({ name: 'greeter', version: '1.0.0' }), key);
    const v2 = await packApp(writeApp({ name: 'greeter', version: '2.0.0' }), key);
    const post = (f: { body: Buffer; contentType: string }) => p.request('POST', '/api/v1/apps', { raw: f.body, headers: { 'content-type': f.contentType }, user: ADMIN });

    // Which of two files would be installed is anyone's guess: neither is.
    const two = await post(form([{ name: 'package', filename: v1.fileName, data: v1.bytes }, { name: 'other', filename: v2.fileName, data: v2.bytes }]));
    expect(two.status, two.text).toBe(400);
    expect(two.body).toMatchObject({ code: 'PACKAGE_FORM_INVALID', message: expect.stringContaining('more than one file') });
    const fields = await post(form([...Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })), { name: 'package', filename: v1.fileName, data: v1.bytes }]));
    expect(fields.status, fields.text).toBe(400);
    expect(fields.body).toMatchObject({ code: 'PACKAGE_FORM_INVALID' });
    expect((await p.request('GET', '/api/v1/apps', { user: ADMIN })).body).toEqual([]);

    const fieldFirst = await post(form([{ name: 'note', data: Buffer.from('from the shop') }, { name: 'package', filename: v1.fileName, data: v1.bytes }]));
    expect(fieldFirst.status, fieldFirst.text).toBe(201);
    expect(fieldFirst.body).toMatchObject({ outcome: 'installed', app: { name: 'greeter', version: '1.0.0', state: 'running' } });
  });

  it('refuses a file over the package limit in a form, and a form that is not one', async () => {
    const p = await startTestPortier({ plugins: ['io'], http: { appLimits: { maxPackageBytes: 1000 } } });
    started.push(p);
    await p.setUp();
    const post = (f: { body: Buffer; contentType: string }) => p.request('POST', '/api/v1/apps', { raw: f.body, headers: { 'content-type': f.contentType }, user: ADMIN });
    const big = await post(form([{ name: 'package', filename: 'big.tgz', data: Buffer.alloc(5000, 1) }]));
    expect(big.status, big.text).toBe(413);
    expect(big.body).toMatchObject({ code: 'PACKAGE_TOO_LARGE' });
    const broken = await post({ body: Buffer.from('this is not a form'), contentType: 'multipart/form-data; boundary=xyz' });
    expect(broken.status, broken.text).toBe(400);
    expect(broken.body).toMatchObject({ code: expect.stringMatching(/^PACKAGE_(FORM_INVALID|MISSING)$/) });
  });
});
