import type { Clock, TimerHandle } from '../../../sdk/clock.js';
import { sleepOn } from '../../../sdk/clock-sleep.js';
import type { PluginScope } from './plugin-scope.js';

/** The kernel's clock, with the plugin's timers cancelled when it stops. */
export class PluginClock implements Clock {
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => {
      for (const handle of this.timers) clock.clearTimeout(handle);
      this.timers.clear();
    });
  }

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    this.scope.assertOpen('start a timer');
    const guarded = this.scope.wrap('timer', callback);
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      guarded();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle);
    this.clock.clearTimeout(handle);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}
