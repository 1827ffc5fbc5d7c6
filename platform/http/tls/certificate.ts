import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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
  const prepared = preparing.get(folder);
  preparing.delete(folder);
  let generated: GeneratedCertificate;
  try {
    generated = await (prepared ?? generateOffThread());
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

/** Certificates being generated ahead of loadOrCreateCertificate, by tls folder. */
const preparing = new Map<string, Promise<GeneratedCertificate>>();

/**
 * Starts generating the first-start certificate of `dataDir` on another
 * thread, when there is none yet, so that it is ready by the time the HTTPS
 * server wants it: `portier start` calls this before it loads the platform,
 * and the two take turns on neither thread.
 */
export function prepareCertificate(dataDir: string): void {
  const { folder, certFile, keyFile } = filesOf(dataDir);
  if (preparing.has(folder) || (existsSync(certFile) && existsSync(keyFile))) return;
  const generation = generateOffThread();
  // Handled where it is awaited; if start-up fails before that, nobody needs the certificate.
  generation.catch(() => undefined);
  preparing.set(folder, generation);
}

function filesOf(dataDir: string): { folder: string; certFile: string; keyFile: string } {
  const folder = join(dataDir, 'tls');
  return { folder, certFile: join(folder, 'certificate.pem'), keyFile: join(folder, 'private-key.pem') };
}

/** In a worker thread (certificate-worker.js) when built; in this thread when running from the TypeScript sources, as tests do. */
function generateOffThread(): Promise<GeneratedCertificate> {
  const workerFile = new URL('./certificate-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(workerFile))) return generateSelfSigned();
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    worker.once('message', (message: GeneratedCertificate) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the certificate worker exited with code ${code} before answering`)));
  });
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
