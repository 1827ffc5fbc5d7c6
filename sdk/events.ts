import type { ZodType } from 'zod';
import type { Unsubscribe } from './ports.js';

/**
 * One event as listeners, rules and the event log see it. `type` is namespaced
 * by the plugin that declared it: `io/input`, `entry-list/access-granted`.
 */
export interface PortierEvent<P = Record<string, unknown>> {
  /** Increasing sequence number within one run of the kernel. */
  seq: number;
  type: string;
  source: string;
  time: number;
  stateful: boolean;
  payload: P;
}

/**
 * A stateless event: a pulse (card presented, DTMF sequence received).
 */
export interface StatelessEvent<P> {
  readonly type: string;
  emit(payload: P): void;
}

/**
 * A stateful event: a property with a state (input active, call ringing).
 * The manifest's `key` names the payload fields that identify one instance
 * (`port` for `io/input`); `set` records the new state and emits the event
 * only when the state changed.
 */
export interface StatefulEvent<P> {
  readonly type: string;
  set(payload: P): void;
  get(key: Partial<P>): P | undefined;
  all(): P[];
  /** Forgets an instance (its port was released, its call ended). */
  clear(key: Partial<P>): void;
}

export type EventListener = (event: PortierEvent) => void;

export interface EventsApi {
  /** Defines a stateless event declared in this plugin's manifest, with its payload schema. */
  stateless<P extends Record<string, unknown>>(name: string, payload: ZodType<P>): StatelessEvent<P>;
  /** Defines a stateful event declared in this plugin's manifest, with its payload schema. */
  stateful<P extends Record<string, unknown>>(name: string, payload: ZodType<P>): StatefulEvent<P>;
  /**
   * Listens to events of one type (`io/input`), or every event of a plugin
   * (`io/*`), or every event (`*`). Listeners run inside the plugin's error
   * boundary and are removed when the plugin stops.
   */
  on(type: string, listener: EventListener): Unsubscribe;
  /** The current states of a stateful event of any plugin. */
  states(type: string): Record<string, unknown>[];
}
