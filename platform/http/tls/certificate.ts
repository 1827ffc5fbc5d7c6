import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortierError, describeError } from '../../../sdk/errors.js';
import { type GeneratedCertificate, generateSelfSigned } from './self-signed.js';

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
  const { folder, certFile, keyFile } = filesOf(dataDir);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, 'certificate');
    return { cert, key: readPem(keyFile, 'private key'), source: 'data folder', fingerprint256: checkCertificate(cert, certFile) };
  }
  let generated: GeneratedCertificate;
  try {
    generated = generateSelfSigned();
  } catch (error) {
    throw new PortierError('TLS_CERTIFICATE_NOT_GENERATED', `The HTTPS certificate for ${folder} could not be generated: ${describeError(error)}. Supply one with --cert and --key.`);
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Written whole or not at all: a half-written key would stop the next start.
  for (const [file, content] of [[keyFile, generated.key], [certFile, generated.cert]] as const) {
    writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  return { ...generated, source: 'generated', fingerprint256: checkCertificate(generated.cert, certFile) };
}

function filesOf(dataDir: string): { folder: string; certFile: string; keyFile: string } {
  const folder = join(dataDir, 'tls');
  return { folder, certFile: join(folder, 'certificate.pem'), keyFile: join(folder, 'private-key.pem') };
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
