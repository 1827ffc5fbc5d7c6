import { PortierError } from '../../../sdk/errors.js';
import type { Manifest } from '../../../manifest-schema/schema.js';

/**
 * One run of one plugin: what it holds, and the boundary around its code.
 * When the run ends the scope closes: cleanups run, and any later call from
 * the plugin's leftovers (a timer, a late promise) is refused or ignored.
 */
export class PluginScope {
  private closedFlag = false;
  /** The run has failed: its first fault is the one reported, and its listeners are not called again. */
  private faultedFlag = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly manifest: Manifest,
    /** Marks the plugin failed; called for errors thrown by its code. */
    private readonly onFault: (error: unknown, where: string) => void,
  ) {}

  get name(): string {
    return this.manifest.name;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  assertOpen(what: string): void {
    if (this.closedFlag) {
      throw new PortierError('PLUGIN_STOPPED', `Plugin "${this.name}" is not running; it cannot ${what}.`);
    }
  }

  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /**
   * Wraps plugin code called by the platform (listeners, timers): a throw or
   * a rejection marks the plugin failed instead of reaching the kernel.
   */
  wrap<A extends unknown[]>(where: string, work: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
      if (this.closedFlag || this.faultedFlag) return;
      this.run(where, () => work(...args), undefined);
    };
  }

  run<T>(where: string, work: () => T, fallback: T): T {
    try {
      const result = work();
      if (result instanceof Promise) {
        result.then(undefined, (error: unknown) => this.fault(error, where));
      }
      return result;
    } catch (error) {
      this.fault(error, where);
      return fallback;
    }
  }

  fault(error: unknown, where: string): void {
    // Stopping a failed plugin takes a while (dependents, stop()); events during it must not fail it again.
    if (this.closedFlag || this.faultedFlag) return;
    this.faultedFlag = true;
    this.onFault(error, where);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch {
        // Cleanup is best effort; one failure must not keep the others from running.
      }
    }
  }
}
