import { EventEmitter } from 'eventemitter3';
import type { ZodType } from 'zod';
import { PortierError } from '../../sdk/errors.js';
import type { PortierEvent } from '../../sdk/events.js';
import type { Clock } from '../../sdk/clock.js';
import type { Unsubscribe } from '../../sdk/ports.js';
import { formatZodIssues } from '../validation/zod-issues.js';

export interface EventTypeDefinition {
  type: string;
  source: string;
  stateful: boolean;
  key: readonly string[];
  payload: ZodType<Record<string, unknown>>;
}

type Listener = (event: PortierEvent) => void;

/**
 * The one event bus. Event types are defined by their plugin (declared in its
 * manifest, payload schema from its code); stateful events keep their current
 * states here so conditions and the API can read them.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly definitions = new Map<string, EventTypeDefinition>();
  private readonly states = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly firstListeners: Listener[] = [];
  /** Events waiting for the listeners, in seq order (see publish). */
  private readonly outbox: PortierEvent[] = [];
  private delivering = false;
  /** How deep we are in first listeners (rules fire rules). */
  private handling = 0;

  /** `seq` hands out sequence numbers (see SeqReservation: they keep increasing across restarts). */
  constructor(
    private readonly clock: Clock,
    private readonly seq: { next(): number } = counter(),
    private readonly onListenerError: (error: unknown, event: PortierEvent) => void = () => undefined,
  ) {}

  define(definition: EventTypeDefinition): void {
    this.definitions.set(definition.type, definition);
    if (definition.stateful && !this.states.has(definition.type)) this.states.set(definition.type, new Map());
  }

  /** Removes a stopped plugin's event types; their states are no longer known. */
  undefineSource(source: string): void {
    for (const [type, definition] of this.definitions) {
      if (definition.source !== source) continue;
      this.definitions.delete(type);
      this.states.delete(type);
    }
  }

  definition(type: string): EventTypeDefinition | undefined {
    return this.definitions.get(type);
  }

  /** Kernel subscribers that must see every event before plugins do (rules engine, event log). */
  addFirstListener(listener: Listener): void {
    this.firstListeners.push(listener);
  }

  /**
   * `type` is an event type (`io/input`), a plugin's events (`io/*`) or `*`.
   */
  on(type: string, listener: Listener): Unsubscribe {
    this.emitter.on(type, listener);
    return () => {
      this.emitter.off(type, listener);
    };
  }

  emit(type: string, payload: Record<string, unknown>): PortierEvent | undefined {
    const definition = this.need(type);
    const value = this.validate(definition, payload);
    if (definition.stateful) {
      const instances = this.states.get(type)!;
      const key = instanceKey(definition, value);
      const previous = instances.get(key);
      if (previous !== undefined && shallowEqual(previous, value)) return undefined;
      instances.set(key, value);
    }
    return this.publish(definition, value);
  }

  getState(type: string, key: Record<string, unknown>): Record<string, unknown> | undefined {
    const definition = this.definitions.get(type);
    if (!definition?.stateful) return undefined;
    return this.states.get(type)?.get(instanceKey(definition, key));
  }

  statesOf(type: string): Record<string, unknown>[] {
    return [...(this.states.get(type)?.values() ?? [])];
  }

  clearState(type: string, key: Record<string, unknown>): void {
    const definition = this.definitions.get(type);
    if (!definition?.stateful) return;
    this.states.get(type)?.delete(instanceKey(definition, key));
  }

  private publish(definition: EventTypeDefinition, payload: Record<string, unknown>): PortierEvent {
    const event: PortierEvent = {
      seq: this.seq.next(),
      type: definition.type,
      source: definition.source,
      time: this.clock.now(),
      stateful: definition.stateful,
      payload,
    };
    // Listeners get events in seq order. An event emitted while another is
    // being handled (a rule's action, a listener's reaction) waits until
    // listeners have seen the one before it: otherwise they would see effects
    // before causes, and a state flipped back at once would end on the wrong value.
    this.outbox.push(event);
    this.handling++;
    try {
      for (const listener of this.firstListeners) listener(event);
    } finally {
      this.handling--;
    }
    if (this.handling === 0 && !this.delivering) this.deliver();
    return event;
  }

  private deliver(): void {
    this.delivering = true;
    try {
      for (let event = this.outbox.shift(); event !== undefined; event = this.outbox.shift()) {
        try {
          this.emitter.emit(event.type, event);
          this.emitter.emit(`${event.source}/*`, event);
          this.emitter.emit('*', event);
        } catch (error) {
          // Plugin listeners run in their error boundary; a kernel listener that
          // throws (the event stream) must neither keep the events behind it
          // from the others nor fail the plugin that happened to emit.
          this.onListenerError(error, event);
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private need(type: string): EventTypeDefinition {
    const definition = this.definitions.get(type);
    if (definition === undefined) {
      throw new PortierError('EVENT_UNKNOWN', `Event type "${type}" is not defined; define it with events.stateless() or events.stateful() in start().`);
    }
    return definition;
  }

  private validate(definition: EventTypeDefinition, payload: Record<string, unknown>): Record<string, unknown> {
    const result = definition.payload.safeParse(payload);
    if (!result.success) {
      throw new PortierError(
        'EVENT_PAYLOAD_INVALID',
        `Event ${definition.type} was emitted with a payload that does not match its schema: ${formatZodIssues(result.error.issues)}`,
        result.error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message })),
      );
    }
    for (const field of definition.key) {
      if (result.data[field] === undefined) {
        throw new PortierError('EVENT_KEY_MISSING', `Stateful event ${definition.type} needs its key field "${field}" in every payload.`);
      }
    }
    return result.data;
  }
}

function instanceKey(definition: EventTypeDefinition, payload: Record<string, unknown>): string {
  if (definition.key.length === 0) return '';
  if (definition.key.length === 1) return String(payload[definition.key[0]!]);
  return definition.key.map((k) => String(payload[k])).join('\u0000');
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

function counter(): { next(): number } {
  let n = 0;
  return { next: () => ++n };
}
