import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel, KernelOptions } from '../../platform/kernel.js';
import { createSilentLogger } from '../../platform/logging/logger.js';
import type { PortierHttp, PortierHttpOptions } from '../../platform/http/portier-http.js';
import { PortierInstance } from '../../platform/site/portier-instance.js';
import { httpsClient } from './https-client.js';

export const ADMIN = { username: 'admin', password: 'correct horse battery' };

export interface TestPortier {
  /** The running kernel (a new one after a factory default). */
  readonly kernel: Kernel;
  /** The running HTTP side (a new one after a factory default). */
  readonly http: PortierHttp;
  baseUrl: string;
  dataDir: string;
  /** Trusts the current certificate (a factory default makes a new one). */
  request: ReturnType<typeof httpsClient>;
  /** Runs first-run setup with ADMIN. */
  setUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A whole Portier over real HTTPS on 127.0.0.1 (a free port), with a data
 * folder of its own that stop() removes. It can return to first run
 * (POST /api/v1/system/factory-default) like `portier start`.
 */
export async function startTestPortier(
  options: { plugins?: string[]; kernel?: Partial<KernelOptions>; dataDir?: string; http?: Pick<PortierHttpOptions, 'appLimits'> } = {},
): Promise<TestPortier> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portier-http-'));
  let client: ReturnType<typeof httpsClient> | undefined;
  let baseUrl = '';
  const instance = await PortierInstance.start({
    dataDir,
    kernel: { only: options.plugins ?? ['io'], timeZone: 'UTC', ...options.kernel },
    http: { host: '127.0.0.1', httpsPort: 0, httpPort: null, ...options.http },
    logger: options.kernel?.logger ?? createSilentLogger(),
    onBoot: (_instance, { http }) => {
      baseUrl = `https://127.0.0.1:${http.addresses.https.port}`;
      client = httpsClient(baseUrl, http.tls.cert);
    },
  });
  const request = ((method: string, path: string, requestOptions?: Parameters<ReturnType<typeof httpsClient>>[2]) =>
    client!(method, path, requestOptions)) as ReturnType<typeof httpsClient>;
  return {
    get kernel() {
      return instance.kernel;
    },
    get http() {
      return instance.http;
    },
    baseUrl,
    dataDir,
    request,
    async setUp() {
      const reply = await request('POST', '/api/v1/setup', { body: { ...ADMIN, confirmPassword: ADMIN.password } });
      if (reply.status !== 201) throw new Error(`setup failed: ${reply.status} ${reply.text}`);
    },
    async stop() {
      await instance.stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One set-up Portier per test, stopped after it: `const portier = portierPerTest();`
 * then `const p = await portier.start();` inside a test.
 */
export function portierPerTest(): { start(options?: Parameters<typeof startTestPortier>[0]): Promise<TestPortier> } {
  let current: TestPortier | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return {
    async start(options) {
      current = await startTestPortier(options);
      await current.setUp();
      return current;
    },
  };
}
