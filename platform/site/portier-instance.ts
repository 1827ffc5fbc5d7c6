import type { AddressInfo } from 'node:net';
import { type PortierHttp, type PortierHttpOptions, startPortierHttp } from '../http/portier-http.js';
import { Kernel, type KernelOptions } from '../kernel.js';
import type { PinoLogger } from '../logging/logger.js';
import { eraseDataFolder } from './data-folder.js';

export interface PortierInstanceOptions {
  dataDir: string;
  kernel: Omit<KernelOptions, 'dataDir' | 'logger'>;
  http: Omit<PortierHttpOptions, 'factoryDefault' | 'tlsDir' | 'logger'>;
  logger: PinoLogger;
  /** After each boot, the first one and each after a factory default (logging, tests). */
  onBoot?(instance: PortierInstance, boot: { kernel: Kernel; http: PortierHttp; first: boolean }): void;
  /** A factory default failed half-way: Portier is not serving; the process should end and be started again. */
  onFatal?(error: unknown): void;
}

/**
 * The running intercom: a kernel and its HTTPS API on one data folder. It
 * can go back to first run (factory default): the API answers 202, then the
 * HTTP server and the kernel stop, Portier's entries in the data folder are
 * erased (database, apps, certificate), and a fresh kernel and API start on
 * the same ports — with a new certificate, and no administrator until
 * someone runs first-run setup again. The process stays up throughout.
 */
export class PortierInstance {
  private current!: { kernel: Kernel; http: PortierHttp };
  private resetting: Promise<void> | undefined;

  private constructor(private readonly options: PortierInstanceOptions) {}

  static async start(options: PortierInstanceOptions): Promise<PortierInstance> {
    const instance = new PortierInstance(options);
    await instance.boot(options.http.httpsPort, options.http.httpPort, true);
    return instance;
  }

  get kernel(): Kernel {
    return this.current.kernel;
  }

  get http(): PortierHttp {
    return this.current.http;
  }

  get addresses(): { https: AddressInfo; http?: AddressInfo } {
    return this.current.http.addresses;
  }

  /** Stops everything, erases the data folder and starts again at first run, on the same ports. */
  factoryDefault(): Promise<void> {
    this.resetting ??= this.reset().finally(() => {
      this.resetting = undefined;
    });
    return this.resetting;
  }

  async stop(): Promise<void> {
    await this.resetting?.catch(() => undefined);
    await this.current.http.close();
    await this.current.kernel.stop();
  }

  private async reset(): Promise<void> {
    const { logger } = this.options;
    const { addresses } = this.current.http;
    logger.warn({ dataDir: this.options.dataDir }, 'factory default: stopping, erasing the data folder and starting again');
    try {
      await this.current.http.close();
      await this.current.kernel.stop();
      const removed = eraseDataFolder(this.options.dataDir);
      logger.warn({ removed }, 'factory default: data folder erased');
      await this.boot(addresses.https.port, addresses.http?.port ?? null, false);
    } catch (error) {
      logger.fatal({ err: error }, 'factory default failed; Portier is not serving');
      this.options.onFatal?.(error);
      throw error;
    }
  }

  private async boot(httpsPort: number, httpPort: number | null, first: boolean): Promise<void> {
    const kernel = await Kernel.create({ ...this.options.kernel, dataDir: this.options.dataDir, logger: this.options.logger });
    // Plugins start while the HTTP server is built: a request that comes in between finds them starting, as after a restart.
    const started = kernel.start();
    let http: PortierHttp;
    try {
      http = await startPortierHttp(kernel, {
        ...this.options.http,
        httpsPort,
        httpPort,
        tlsDir: this.options.dataDir,
        logger: this.options.logger,
        factoryDefault: () => this.factoryDefault(),
      });
      await started;
    } catch (error) {
      await started.catch(() => undefined);
      await kernel.stop();
      throw error;
    }
    this.current = { kernel, http };
    this.options.onBoot?.(this, { kernel, http, first });
  }
}
