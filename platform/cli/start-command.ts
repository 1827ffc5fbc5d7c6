import { resolve } from 'node:path';
import { createRootLogger } from '../logging/logger.js';
import { PortierInstance, type PortierInstanceOptions } from '../site/portier-instance.js';

export interface StartOptions {
  dataDir: string;
  logLevel?: string;
  host: string;
  httpsPort: number;
  /** Plain-HTTP port that redirects to HTTPS; null for none. */
  httpPort: number | null;
  tlsFiles?: { certFile: string; keyFile: string };
}

/**
 * `portier start`: the kernel on the simulated intercom and the embedded
 * store, and the HTTPS API, until SIGINT or SIGTERM; then the API closes,
 * plugins stop in reverse dependency order and the store closes. A factory
 * default restarts both in this process, at first run.
 */
export async function startCommand(options: StartOptions): Promise<void> {
  const logger = createRootLogger(options.logLevel === undefined ? {} : { level: options.logLevel });
  const dataDir = resolve(options.dataDir);
  let fail: ((error: unknown) => void) | undefined;
  // Node ends the process on a promise rejection nobody handled. Plugin code
  // runs in error boundaries, but one stray rejection in an app must not take
  // the door station down with it: log it and keep running.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'a promise was rejected and nothing handled it; Portier keeps running');
  });

  const httpOptions: PortierInstanceOptions['http'] = {
    host: options.host,
    httpsPort: options.httpsPort,
    httpPort: options.httpPort,
    // Replies are checked against their schemas in tests; on a device that costs a third of the request rate (bench http.requests_per_s).
    checkResponses: process.env.PORTIER_CHECK_RESPONSES === '1',
  };
  if (options.tlsFiles !== undefined) httpOptions.tlsFiles = options.tlsFiles;
  // A factory default (POST /api/v1/system/factory-default) boots a fresh kernel and API in this process, on the same ports.
  const instance = await PortierInstance.start({
    dataDir,
    kernel: {},
    http: httpOptions,
    logger,
    onBoot: (_instance, { kernel, http }) => {
      for (const plugin of kernel.host.list()) {
        const fields = { plugin: plugin.name, version: plugin.version, state: plugin.state };
        if (plugin.failure !== undefined) logger.error({ ...fields, code: plugin.failure.code }, plugin.failure.message);
        else logger.info(fields, `plugin ${plugin.name} ${plugin.state}`);
      }
      const httpsPort = http.addresses.https.port;
      logger.info(
        {
          https: `https://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${httpsPort}`,
          httpRedirect: http.addresses.http?.port,
          certificate: http.tls.source,
          fingerprint256: http.tls.fingerprint256,
          setUp: http.users.count() > 0,
        },
        http.users.count() > 0 ? 'HTTPS API listening' : 'HTTPS API listening; not set up yet: create the administrator with POST /api/v1/setup',
      );
      logger.info({ dataDir, driver: kernel.driver.name, board: kernel.board.model }, 'Portier is running; press Ctrl+C to stop');
    },
    onFatal: (error) => fail?.(error),
  });

  await new Promise<void>((done) => {
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      instance.stop().then(
        () => {
          logger.info('stopped cleanly');
          done();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stopped with an error');
          process.exitCode = 1;
          done();
        },
      );
    };
    // A factory default that could not start Portier again: end, so a supervisor starts it afresh.
    fail = () => {
      stopping = true;
      process.exitCode = 1;
      done();
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
