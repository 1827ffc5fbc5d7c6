/**
 * The named timers of one transaction, all through the injected Clock, so
 * terminating a transaction can stop every one of them at once.
 */
import type { Clock, TimerHandle } from 'portier/sdk';

export class TimerSet<Name extends string> {
  private readonly handles = new Map<Name, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly report: (where: string, error: unknown) => void,
  ) {}

  /**
   * (Re)starts `name`. RFC 3261 sets Timers D, I, J and K "to zero" on
   * reliable transports: the state ends now, so a zero timer fires
   * synchronously rather than on a later tick.
   */
  start(name: Name, ms: number, fire: () => void): void {
    this.stop(name);
    if (ms <= 0) {
      this.run(name, fire);
      return;
    }
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(name);
      this.run(name, fire);
    }, ms);
    this.handles.set(name, handle);
  }

  stop(name: Name): void {
    const handle = this.handles.get(name);
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.handles.delete(name);
  }

  stopAll(): void {
    for (const handle of this.handles.values()) this.clock.clearTimeout(handle);
    this.handles.clear();
  }

  isRunning(name: Name): boolean {
    return this.handles.has(name);
  }

  private run(name: Name, fire: () => void): void {
    try {
      fire();
    } catch (error) {
      this.report(`timer ${name}`, error);
    }
  }
}
