import type { Logger } from '../../sdk/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  time: number;
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const DEFAULT_CAPACITY = 1000;

/**
 * The last lines each plugin logged, and what the platform said about it
 * (starts, stops, failures), kept in memory so an app's log can be read over
 * the API without access to the device's log files. Debug lines are kept only
 * when the process logs at debug; a bounded ring per plugin, so a chatty app
 * cannot grow memory.
 */
export class PluginLogBook {
  private readonly rings = new Map<string, { lines: LogLine[]; next: number }>();

  constructor(
    private readonly now: () => number,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** A plugin's logger that also writes into its ring. */
  recording(plugin: string, logger: Logger, keepDebug: boolean): Logger {
    const book = this;
    const wrap = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
      logger[level](message, fields);
      if (level !== 'debug' || keepDebug) book.add(plugin, level, message, fields);
    };
    return Object.fromEntries(LEVELS.map((level) => [level, wrap(level)])) as unknown as Logger;
  }

  add(plugin: string, level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    let ring = this.rings.get(plugin);
    if (ring === undefined) {
      ring = { lines: [], next: 0 };
      this.rings.set(plugin, ring);
    }
    const line: LogLine = { time: this.now(), level, message };
    if (fields !== undefined && Object.keys(fields).length > 0) line.fields = safeFields(fields);
    if (ring.lines.length < this.capacity) ring.lines.push(line);
    else {
      ring.lines[ring.next] = line;
      ring.next = (ring.next + 1) % this.capacity;
    }
  }

  /** Oldest first; at most `limit` of the newest lines. */
  read(plugin: string, limit = this.capacity): LogLine[] {
    const ring = this.rings.get(plugin);
    if (ring === undefined) return [];
    const ordered = [...ring.lines.slice(ring.next), ...ring.lines.slice(0, ring.next)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  forget(plugin: string): void {
    this.rings.delete(plugin);
  }
}

/** Errors become their message and code; anything that does not survive JSON is dropped rather than kept alive. */
function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = { message: value.message, ...('code' in value ? { code: (value as { code: unknown }).code } : {}) };
    else {
      try {
        out[key] = JSON.parse(JSON.stringify(value)) as unknown;
      } catch {
        out[key] = String(value);
      }
    }
  }
  return out;
}
