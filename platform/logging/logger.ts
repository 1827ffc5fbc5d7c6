import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../../sdk/logger.js';

export type { PinoLogger };

export function createRootLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): PinoLogger {
  const level = options.level ?? process.env.PORTIER_LOG_LEVEL ?? 'info';
  return options.destination === undefined ? pino({ level, base: { app: 'portier' } }) : pino({ level, base: { app: 'portier' } }, options.destination as never);
}

/** A silent logger for in-memory kernels (tests, benchmarks) unless asked otherwise. */
export function createSilentLogger(): PinoLogger {
  return pino({ level: 'silent' });
}

/** The SDK's logger (message first, fields second) on top of pino (fields first). */
export function sdkLogger(logger: PinoLogger): Logger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
