/** Opaque handle of a timer started through a {@link Clock}. */
export interface TimerHandle {
  readonly __timer: unique symbol;
}

/**
 * All timing goes through the injected clock, so a plugin's durations can be
 * tested with fake time (see `portier/sdk/testing`).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
