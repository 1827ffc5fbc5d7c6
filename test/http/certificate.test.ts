import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateCertificate } from '../../platform/http/tls/certificate.js';

describe('the HTTPS certificate', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
  });

  it('is generated on first start for this host and loopback, kept in the data folder, and reused after', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-tls-'));
    folders.push(dataDir);
    const first = await loadOrCreateCertificate(dataDir);
    expect(first.source).toBe('generated');
    const cert = new X509Certificate(first.cert);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(825);
    expect(readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8')).toBe(first.cert);

    const again = await loadOrCreateCertificate(dataDir);
    expect(again).toMatchObject({ source: 'data folder', fingerprint256: first.fingerprint256 });
  });

  it('refuses a user-supplied file that is not a certificate, saying which file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-tls-'));
    folders.push(dataDir);
    const generated = await loadOrCreateCertificate(dataDir);
    const keyFile = join(dataDir, 'tls', 'private-key.pem');
    await expect(loadOrCreateCertificate(dataDir, { certFile: keyFile, keyFile })).rejects.toMatchObject({ code: 'TLS_CERTIFICATE_INVALID' });
    const user = await loadOrCreateCertificate(dataDir, { certFile: join(dataDir, 'tls', 'certificate.pem'), keyFile });
    expect(user).toMatchObject({ source: 'user supplied', fingerprint256: generated.fingerprint256 });
  });
});
