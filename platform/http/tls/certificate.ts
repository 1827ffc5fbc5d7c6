import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PortierError, describeError } from '../../../sdk/errors.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from, for the log. */
  source: 'generated' | 'data folder' | 'user supplied';
  fingerprint256: string;
}

/**
 * The HTTPS certificate: the one the user supplied, or the one generated on
 * first start and kept in the data folder (so browsers can pin it).
 */
export async function loadOrCreateCertificate(dataDir: string, supplied?: { certFile: string; keyFile: string }): Promise<TlsMaterial> {
  if (supplied !== undefined) {
    const cert = readPem(supplied.certFile, 'certificate');
    const key = readPem(supplied.keyFile, 'private key');
    return { cert, key, source: 'user supplied', fingerprint256: checkCertificate(cert, supplied.certFile) };
  }
  const folder = join(dataDir, 'tls');
  const certFile = join(folder, 'certificate.pem');
  const keyFile = join(folder, 'private-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, 'certificate');
    return { cert, key: readPem(keyFile, 'private key'), source: 'data folder', fingerprint256: checkCertificate(cert, certFile) };
  }
  const generated = await generateSelfSigned();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Written whole or not at all: a half-written key would stop the next start.
  for (const [file, content] of [[keyFile, generated.key], [certFile, generated.cert]] as const) {
    writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  return { ...generated, source: 'generated', fingerprint256: checkCertificate(generated.cert, certFile) };
}

/**
 * X.509 is encoded by a well-kept library, not by hand. It is imported only
 * here, on a first start, so restarts do not pay for loading it.
 */
async function generateSelfSigned(): Promise<{ cert: string; key: string }> {
  const { default: selfsigned } = await import('selfsigned');
  const name = hostname();
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: name }, { name: 'organizationName', value: 'Portier intercom' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    // 825 days: the longest validity browsers accept for a server certificate.
    notAfterDate: new Date(now + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: name },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PortierError('TLS_FILE_UNREADABLE', `The HTTPS ${what} ${file} cannot be read: ${describeError(error)}`);
  }
}

function checkCertificate(pem: string, file: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch (error) {
    throw new PortierError('TLS_CERTIFICATE_INVALID', `${file} is not a PEM certificate: ${describeError(error)}`);
  }
}
