import { resolve } from 'node:path';
import { Kernel } from '../kernel.js';
import { createRootLogger } from '../logging/logger.js';

export interface StartOptions {
  dataDir: string;
  logLevel?: string;
}

/**
 * `portier start`: the kernel on the simulated intercom and the embedded
 * store, until SIGINT or SIGTERM; then plugins stop in reverse dependency
 * order and the store closes.
 */
export async function startCommand(options: StartOptions): Promise<void> {
  const logger = createRootLogger(options.logLevel === undefined ? {} : { level: options.logLevel });
  const dataDir = resolve(options.dataDir);
  const kernel = await Kernel.create({ dataDir, logger });
  await kernel.start();

  for (const plugin of kernel.host.list()) {
    const fields = { plugin: plugin.name, version: plugin.version, state: plugin.state };
    if (plugin.failure !== undefined) logger.error({ ...fields, code: plugin.failure.code }, plugin.failure.message);
    else logger.info(fields, `plugin ${plugin.name} ${plugin.state}`);
  }
  logger.info({ dataDir, driver: kernel.driver.name, board: kernel.board.model }, 'Portier is running; press Ctrl+C to stop');

  await new Promise<void>((done) => {
    // Signal handlers do not keep Node's event loop alive; until the HTTP
    // server does, this timer keeps Portier running until it is told to stop.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(keepAlive);
      logger.info({ signal }, 'stopping');
      kernel.stop().then(
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
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
