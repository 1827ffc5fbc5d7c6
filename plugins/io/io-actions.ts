import type { ActionContext, Clock } from '../../sdk/index.js';
import { z } from '../../sdk/index.js';
import { durationSchema } from './duration.js';
import type { IoPortSet } from './io-ports.js';

/**
 * Toggling a port for a time, and holding it while a rule is active. The
 * latest command on a port wins: a second "toggle once" while the first is
 * running restarts the time (a second card swipe keeps the door open 7 s from
 * the second swipe), and only the latest command puts the port back.
 */
export class IoActions {
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly ports: IoPortSet,
    private readonly clock: Clock,
  ) {}

  readonly portParam = z
    .string()
    .min(1)
    .refine((p) => this.ports.find(p)?.direction === 'output', { message: 'expected the id or name of a relay or output port in use' })
    .describe('Relay or output port: its id (relay-1) or name (Door)');

  readonly toggleOnceParams = z
    .object({
      port: this.portParam,
      state: z.enum(['active', 'inactive']).default('active'),
      duration: durationSchema.describe('How long: seconds, or HH:MM:SS'),
    })
    .strict();

  readonly toggleWhileParams = z
    .object({
      port: this.portParam,
      state: z.enum(['active', 'inactive']).default('active'),
    })
    .strict();

  async toggleOnce(params: z.output<IoActions['toggleOnceParams']>, context: ActionContext): Promise<void> {
    const active = params.state === 'active';
    const mine = this.drive(params.port, active);
    try {
      await this.clock.sleep(params.duration, context.signal);
    } catch {
      // The rule ended early: put the port back now rather than later.
    }
    this.putBack(params.port, active, mine);
  }

  toggleWhileActive(params: z.output<IoActions['toggleWhileParams']>, context: ActionContext): void {
    const active = params.state === 'active';
    const mine = this.drive(params.port, active);
    const restore = (): void => this.putBack(params.port, active, mine);
    if (context.signal.aborted) restore();
    else context.signal.addEventListener('abort', restore, { once: true });
  }

  private drive(port: string, active: boolean): number {
    const id = this.ports.find(port)?.id ?? port;
    const next = (this.generation.get(id) ?? 0) + 1;
    this.generation.set(id, next);
    this.ports.set(port, active);
    return next;
  }

  private putBack(port: string, active: boolean, generation: number): void {
    const id = this.ports.find(port)?.id;
    if (id === undefined || this.generation.get(id) !== generation) return;
    this.ports.set(port, !active);
  }
}
