import { X509Certificate, createPrivateKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSelfSigned } from '../../platform/http/tls/self-signed.js';

describe('the first-start certificate', () => {
  it('is a P-256 server certificate for this host, localhost and the loopback addresses, signed by its own key', () => {
    const { cert, key } = generateSelfSigned();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe(`CN=${hostname()}\nO=Portier intercom`);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkHost(hostname())).toBe(hostname());
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(824);
    expect(days).toBeLessThan(826);
    expect(Date.parse(x509.validFrom)).toBeLessThanOrEqual(Date.now());
  });

  it('passes OpenSSL\'s own checks as a TLS server certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portier-cert-'));
    try {
      const file = join(dir, 'cert.pem');
      writeFileSync(file, generateSelfSigned().cert);
      const out = execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', file, file], { encoding: 'utf8' });
      expect(out.trim()).toBe(`${file}: OK`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a new key and serial number every time', () => {
    const a = new X509Certificate(generateSelfSigned().cert);
    const b = new X509Certificate(generateSelfSigned().cert);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
  });
});
