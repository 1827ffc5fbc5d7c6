import type { Clock, TimerHandle } from '../clock.js';
import { sleepOn } from '../clock-sleep.js';

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * Time that moves only when a test says so. Timers fire in time order, and
 * after each one the promise jobs it queued run before the next fires, so an
 * async action that sleeps 7 s finishes exactly when `advance` passes 7 s.
 */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(start: number = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    // Kept sorted by time, then by creation, so equal deadlines fire in order.
    let index = this.timers.length;
    while (index > 0 && this.timers[index - 1]!.at > timer.at) index--;
    this.timers.splice(index, 0, timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const id = handle as unknown as number;
    const index = this.timers.findIndex((t) => t.id === id);
    if (index >= 0) this.timers.splice(index, 1);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.current = next.at;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Moves to an absolute time (must not be in the past). */
  async advanceTo(time: number): Promise<void> {
    if (time < this.current) throw new Error(`FakeClock cannot go back in time (now ${this.current}, asked ${time})`);
    await this.advance(time - this.current);
  }
}

/** Lets queued promise jobs, and the jobs they queue, run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
