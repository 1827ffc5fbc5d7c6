/**
 * The plugin's own durable key-value namespace. Values are JSON. Every write
 * that returns is durable: it survives a crash or a power cut.
 */
export interface PluginStore {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): boolean;
  /** Keys and values whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix?: string): { key: string; value: T }[];
  /** Runs `work` atomically: every write inside lands, or none does. */
  transaction<R>(work: () => R): R;
}
