/**
 * apps.install_ms: from the first byte of the upload of a 1 MB signed package
 * to the reply that the app is installed and running, on `portier start`
 * over HTTPS; median of 10 installs (each app uninstalled before the next).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPlugin } from '../platform/apps/package/package-pack.js';
import { generateSigningKey, signPackage } from '../platform/apps/package/package-signature.js';
import { type Reply, basic, httpsCall, spawnPortier } from './http-processes.js';
import type { BenchResult } from './result.js';
import { median, round } from './stats.js';

const RUNS = 10;
const ADMIN = { username: 'bench', password: 'bench password 1' };

/** A plugin folder as a vendor ships it, with 1 MB of media that does not compress (a sound clip, say). */
function writeBenchApp(parent: string): string {
  const dir = join(parent, 'bench-chime');
  mkdirSync(join(dir, 'media'), { recursive: true });
  const manifest = {
    schemaVersion: 1,
    name: 'bench-chime',
    displayName: 'Bench chime',
    version: '1.0.0',
    vendor: 'Portier benchmarks',
    description: 'An app of about 1 MB for apps.install_ms.',
    main: './index.js',
    platform: '^1.0.0',
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(dir, 'index.js'),
    `import { TOKENS, inject, injectable } from 'portier/sdk';
class BenchChime {
  constructor(logger) { this.logger = logger; }
  start() { this.logger.info('bench chime ready'); }
}
inject(TOKENS.logger)(BenchChime, undefined, 0);
injectable()(BenchChime);
export default BenchChime;
`,
  );
  writeFileSync(join(dir, 'media', 'chime.raw'), randomBytes(1024 * 1024 - 4096));
  return dir;
}

function upload(port: number, ca: string, authorization: string, bytes: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/apps', ca, servername: 'localhost', agent: false, headers: { authorization, 'content-type': 'application/gzip', 'content-length': String(bytes.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

export async function benchAppsInstall(): Promise<BenchResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'portier-bench-apps-'));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const portier = await spawnPortier(dataDir);
  try {
    const ca = readFileSync(join(dataDir, 'tls', 'certificate.pem'), 'utf8');
    const setup = await httpsCall(portier.port, ca, 'POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.body}`);
    const authorization = basic(ADMIN.username, ADMIN.password);
    const key = generateSigningKey();
    const trusted = await httpsCall(portier.port, ca, 'POST', '/api/v1/apps/trusted-keys', { authorization, body: { name: 'Portier benchmarks', publicKey: key.publicKeyPem } });
    if (trusted.status !== 201) throw new Error(`trusting the key failed: ${trusted.status} ${trusted.body}`);
    const packed = await packPlugin(writeBenchApp(work));
    const bytes = await signPackage(packed.bytes, key.privateKeyPem, 'Portier benchmarks');

    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const reply = await upload(portier.port, ca, authorization, bytes);
      const took = performance.now() - started;
      const body = JSON.parse(reply.body) as { app?: { state?: string } };
      if (reply.status !== 201 || body.app?.state !== 'running') throw new Error(`install ${i + 1}: ${reply.status} ${reply.body}`);
      times.push(took);
      const removed = await httpsCall(portier.port, ca, 'DELETE', '/api/v1/apps/bench-chime', { authorization });
      if (removed.status !== 204) throw new Error(`uninstall ${i + 1}: ${removed.status} ${removed.body}`);
    }
    const value = round(median(times), 1);
    return [
      {
        metric: 'apps.install_ms',
        value,
        unit: 'ms',
        budget: '<= 500',
        note:
          `median of ${RUNS}: POST /api/v1/apps with a signed package of ${(bytes.length / 1024 / 1024).toFixed(2)} MiB (${packed.files.length} files, 1 MB of incompressible media) on \`portier start\` over HTTPS, ` +
          `from the first byte of the upload to the reply that the app is running (size, signature, safe-extraction, manifest, name, platform, requires and hardware checks; staged, fsynced, swapped in, started); ` +
          `runs ${times.map((t) => round(t, 0)).join(', ')} ms; the app is uninstalled between runs`,
      },
    ];
  } finally {
    await portier.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
