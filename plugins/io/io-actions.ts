import type { ActionContext, Clock } from 'portier/sdk';
import { z } from 'portier/sdk';
import { durationSchema } from './duration.js';
import type { IoPortSet } from './io-ports.js';

/** One rule action driving a port: toggle-once until its time is up, toggle-while-active while its rule holds. */
interface Command {
  active: boolean;
}

/** The commands on one port, oldest first, and the state it had before the first of them. */
interface PortCommands {
  before: boolean;
  commands: Command[];
}

/**
 * Toggling a port for a time, and holding it while a rule is active. A port
 * is in the state of the latest command still running, and goes back to the
 * state it had before the first one when the last one ends. So a second card
 * swipe keeps the door open 7 s from the second swipe, and a 7 s "toggle
 * once" during office hours does not lock a door a schedule rule holds open.
 */
export class IoActions {
  private readonly running = new Map<string, PortCommands>();

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
    const [port, command] = this.drive(params.port, params.state === 'active');
    try {
      await this.clock.sleep(params.duration, context.signal);
    } catch {
      // The rule ended early: put the port back now rather than later.
    }
    this.end(port, command);
  }

  toggleWhileActive(params: z.output<IoActions['toggleWhileParams']>, context: ActionContext): void {
    const [port, command] = this.drive(params.port, params.state === 'active');
    const restore = (): void => this.end(port, command);
    if (context.signal.aborted) restore();
    else context.signal.addEventListener('abort', restore, { once: true });
  }

  /** Starts a command on a port (by id or name); returns the port id, which survives a rename. */
  private drive(idOrName: string, active: boolean): [string, Command] {
    const id = this.ports.find(idOrName)?.id ?? idOrName;
    let port = this.running.get(id);
    if (port === undefined) {
      port = { before: this.ports.isActive(id), commands: [] };
      this.running.set(id, port);
    }
    const command: Command = { active };
    port.commands.push(command);
    this.ports.set(id, active);
    return [id, command];
  }

  private end(id: string, command: Command): void {
    const port = this.running.get(id);
    const index = port?.commands.indexOf(command) ?? -1;
    if (port === undefined || index < 0) return;
    const latest = index === port.commands.length - 1;
    port.commands.splice(index, 1);
    if (!latest) return;
    const next = port.commands[port.commands.length - 1];
    if (next === undefined) this.running.delete(id);
    // The port may have been released or reconfigured meanwhile; then there is nothing to put back.
    if (this.ports.find(id)?.direction !== 'output') return;
    this.ports.set(id, next?.active ?? port.before);
  }
}
