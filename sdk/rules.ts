import type { ZodType } from 'zod';
import type { PortierEvent } from './events.js';

/**
 * A stateful condition a rule can require, contributed by a plugin. The rules
 * engine tests it again whenever one of the event types in `watches` fires.
 */
export interface ConditionDefinition<P> {
  params: ZodType<P>;
  /** Event types (`io/input`, or a name of this plugin's own) whose changes may change the result. */
  watches: string[];
  test(params: P): boolean;
}

export interface ActionContext {
  ruleId: string;
  ruleName: string;
  /** The event that triggered the rule, when it has a trigger. */
  trigger?: PortierEvent;
  /**
   * For an action that lasts while the rule is active: aborted when the
   * rule's conditions stop holding, the rule is disabled, or the plugin stops.
   * For a fixed-duration action: aborted only when the rule or plugin stops.
   */
  signal: AbortSignal;
}

export interface ActionDefinition<P> {
  params: ZodType<P>;
  run(params: P, context: ActionContext): void | Promise<void>;
}

export interface RulesApi {
  /** Defines a condition declared in this plugin's manifest. */
  condition<P>(name: string, definition: ConditionDefinition<P>): void;
  /** Defines an action declared in this plugin's manifest. */
  action<P>(name: string, definition: ActionDefinition<P>): void;
}
