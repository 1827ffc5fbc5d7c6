import type { Clock, TimerHandle } from '../../sdk/clock.js';
import { sleepOn } from '../../sdk/clock-sleep.js';

/** Wall-clock time and Node timers; what `portier start` uses. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return setTimeout(callback, Math.max(0, ms)) as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}
