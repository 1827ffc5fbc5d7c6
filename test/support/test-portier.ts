import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kernel, type KernelOptions } from '../../platform/kernel.js';
import { createSilentLogger } from '../../platform/logging/logger.js';
import { type PortierHttp, startPortierHttp } from '../../platform/http/portier-http.js';
import { httpsClient } from './https-client.js';

export const ADMIN = { username: 'admin', password: 'correct horse battery' };

export interface TestPortier {
  kernel: Kernel;
  http: PortierHttp;
  baseUrl: string;
  dataDir: string;
  request: ReturnType<typeof httpsClient>;
  /** Runs first-run setup with ADMIN. */
  setUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A whole Portier over real HTTPS on 127.0.0.1 (a free port), with a data
 * folder of its own that stop() removes.
 */
export async function startTestPortier(options: { plugins?: string[]; kernel?: Partial<KernelOptions>; dataDir?: string } = {}): Promise<TestPortier> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portier-http-'));
  const kernel = await Kernel.create({ dataDir, only: options.plugins ?? ['io'], timeZone: 'UTC', ...options.kernel });
  await kernel.start();
  const http = await startPortierHttp(kernel, { host: '127.0.0.1', httpsPort: 0, httpPort: null, tlsDir: dataDir, logger: createSilentLogger() });
  const baseUrl = `https://127.0.0.1:${http.addresses.https.port}`;
  const request = httpsClient(baseUrl, http.tls.cert);
  return {
    kernel,
    http,
    baseUrl,
    dataDir,
    request,
    async setUp() {
      const reply = await request('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
      if (reply.status !== 201) throw new Error(`setup failed: ${reply.status} ${reply.text}`);
    },
    async stop() {
      await http.close();
      await kernel.stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
