import type { Unsubscribe } from '../../sdk/ports.js';

/** A set of listeners that is safe to change while it is being called. */
export class ListenerSet<A extends unknown[]> {
  private listeners: ((...args: A) => void)[] = [];

  add(listener: (...args: A) => void): Unsubscribe {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(...args: A): void {
    for (const listener of this.listeners) listener(...args);
  }

  clear(): void {
    this.listeners = [];
  }

  get size(): number {
    return this.listeners.length;
  }
}
