import { randomUUID } from 'node:crypto';
import { PortierError, describeError, type ErrorDetail } from '../../sdk/errors.js';
import type { PortierEvent } from '../../sdk/events.js';
import type { ActionContext, ActionDefinition, ConditionDefinition } from '../../sdk/rules.js';
import type { Logger } from '../../sdk/logger.js';
import type { Clock } from '../../sdk/clock.js';
import type { core } from 'zod';
import { issuePointer, zodDetails } from '../validation/zod-issues.js';
import type { ContributionCatalog, ContributionKind } from './contribution-catalog.js';
import type { RuleRepository } from './rule-repository.js';
import { type Rule, type RuleDefinition, type RuleStatus, ruleDefinitionSchema } from './rule-schema.js';
import { TriggerIndex } from './trigger-index.js';

/** Runs plugin code inside the plugin's error boundary. */
export interface PluginGuard {
  /** A throw marks the plugin failed and yields `fallback`. */
  run<T>(plugin: string, where: string, work: () => T, fallback: T): T;
  /** Why a plugin is not running (`is stopped`, `failed: …`), or undefined while it runs. */
  whyNotRunning(plugin: string): string | undefined;
}

export interface RuleEngineDeps {
  catalog: ContributionCatalog;
  repository: RuleRepository;
  guard: PluginGuard;
  clock: Clock;
  logger: Logger;
  /** Reports an action that threw or rejected (the kernel emits `core/action-failed`). */
  onActionFailed(failure: { ruleId: string; ruleName: string; action: string; error: string }): void;
  /** Whether an event type is defined by a running plugin right now. */
  eventAvailable(type: string): boolean;
}

interface BoundCondition {
  plugin: string;
  type: string;
  definition: ConditionDefinition<unknown>;
  params: unknown;
  invert: boolean;
}

interface BoundAction {
  plugin: string;
  type: string;
  definition: ActionDefinition<unknown>;
  params: unknown;
  lasts: 'fixed' | 'while-active';
}

export interface RuleRuntime {
  id: string;
  definition: RuleDefinition;
  bound: boolean;
  reason?: string;
  conditions: BoundCondition[];
  actions: BoundAction[];
  conditionsHold: boolean;
  /** Aborted when the rule is unbound: ends every action the rule started. */
  lifetime: AbortController;
  /** Set when a stored definition no longer passes the rule schema: why, for the status. */
  invalid?: string;
  /** Aborted when the conditions stop holding: ends while-active actions. */
  activation?: AbortController;
}

/** Rule actions that fire rules that fire rules… stop here and are reported. */
const MAX_CASCADE_DEPTH = 16;

/**
 * Rules: a trigger event and/or stateful conditions, and actions. Rules are
 * indexed by trigger, so an event costs a map lookup plus the rules it matches,
 * not a scan of every rule. A rule whose plugin is stopped stays, unbound, and
 * binds again when the plugin is back.
 */
export class RuleEngine {
  private readonly rules = new Map<string, RuleRuntime>();
  private readonly triggers = new TriggerIndex<RuleRuntime>();
  private readonly watchers = new Map<string, Set<RuleRuntime>>();
  private depth = 0;

  constructor(private readonly deps: RuleEngineDeps) {}

  /** Loads stored rules and binds what can be bound. */
  load(): void {
    for (const stored of this.deps.repository.all()) {
      const parsed = ruleDefinitionSchema.safeParse(stored.definition);
      if (!parsed.success) {
        this.deps.logger.error('stored rule is not valid any more; kept unbound', { rule: stored.id });
        const runtime = this.runtime(stored.id, stored.definition);
        const problems = zodDetails(parsed.error.issues).map((d) => `${d.path}: ${d.message}`);
        runtime.invalid = `the stored rule is not valid: ${problems.join('; ')}; change or delete it`;
        this.rules.set(stored.id, runtime);
        continue;
      }
      this.rules.set(stored.id, this.runtime(stored.id, parsed.data));
    }
    this.rebindAll();
  }

  /** Drops every rule and loads the stored ones again, after something replaced them in the store (site import). */
  reload(): void {
    for (const runtime of this.rules.values()) this.unbind(runtime, 'the rules were replaced');
    this.rules.clear();
    this.load();
  }

  list(): Rule[] {
    return [...this.rules.values()].map((r) => this.view(r));
  }

  get(id: string): Rule {
    return this.view(this.need(id));
  }

  /** Validates, stores durably, then binds. Throws RULE_INVALID with field paths. */
  create(input: unknown, id: string = randomUUID()): Rule {
    if (this.rules.has(id)) throw new PortierError('RULE_EXISTS', `A rule with id "${id}" already exists.`);
    const definition = this.validate(input);
    this.deps.repository.save(id, definition, this.deps.clock.now());
    const runtime = this.runtime(id, definition);
    this.rules.set(id, runtime);
    this.bind(runtime);
    return this.view(runtime);
  }

  update(id: string, input: unknown): Rule {
    return this.replace(this.need(id), this.validate(input));
  }

  /**
   * Only flips `enabled`: the rest was validated when it was saved, and a rule
   * whose plugin is gone (so it would not validate now) can still be switched off.
   */
  setEnabled(id: string, enabled: boolean): Rule {
    const existing = this.need(id);
    if (existing.invalid !== undefined) throw new PortierError('RULE_INVALID', `Rule "${id}": ${existing.invalid}.`);
    return this.replace(existing, { ...existing.definition, enabled });
  }

  private replace(existing: RuleRuntime, definition: RuleDefinition): Rule {
    const { id } = existing;
    this.deps.repository.save(id, definition, this.deps.clock.now());
    this.unbind(existing, 'the rule was changed');
    const runtime = this.runtime(id, definition);
    this.rules.set(id, runtime);
    this.bind(runtime);
    return this.view(runtime);
  }

  remove(id: string): void {
    const existing = this.need(id);
    this.deps.repository.delete(id);
    this.unbind(existing, 'the rule was deleted');
    this.rules.delete(id);
  }

  /** Called after a plugin started or stopped: binds what can be, unbinds what cannot. */
  rebindAll(): void {
    for (const runtime of this.rules.values()) {
      const problem = this.bindingProblem(runtime);
      if (runtime.bound && problem !== undefined) this.unbind(runtime, problem);
      else if (!runtime.bound) this.bind(runtime);
    }
  }

  /** Ends everything a plugin's actions are doing, before its ports are released. */
  unbindPlugin(plugin: string, why: string): void {
    for (const runtime of this.rules.values()) {
      if (!runtime.bound) continue;
      const uses =
        runtime.conditions.some((c) => c.plugin === plugin) ||
        runtime.actions.some((a) => a.plugin === plugin) ||
        runtime.definition.trigger?.event.startsWith(`${plugin}/`);
      if (uses) this.unbind(runtime, why);
    }
  }

  /** Every event passes here first (see EventBus.addFirstListener). */
  onEvent(event: PortierEvent): void {
    if (this.depth >= MAX_CASCADE_DEPTH) {
      this.deps.logger.error('rules fire each other in a loop; event dropped', { type: event.type, depth: this.depth });
      return;
    }
    this.depth++;
    try {
      const watching = this.watchers.get(event.type);
      if (watching !== undefined) for (const runtime of watching) this.reevaluate(runtime);
      const matched = this.triggers.match(event.type, event.payload);
      if (matched !== undefined) {
        for (const runtime of matched) {
          if (runtime.bound && runtime.conditionsHold) this.fire(runtime, runtime.lifetime.signal, event);
        }
      }
    } finally {
      this.depth--;
    }
  }

  /** Stops every running action (kernel shutdown). */
  stop(): void {
    for (const runtime of this.rules.values()) if (runtime.bound) this.unbind(runtime, 'the platform is stopping');
  }

  /** Validation that an integrator sees: schema, known types, parameters. */
  validate(input: unknown): RuleDefinition {
    const parsed = ruleDefinitionSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodDetails(parsed.error.issues));
    const definition = parsed.data;
    const details: ErrorDetail[] = [];
    const { catalog } = this.deps;
    if (definition.trigger !== undefined) {
      if (catalog.declaration('event', definition.trigger.event) === undefined) {
        details.push({ path: '/trigger/event', message: `unknown event type "${definition.trigger.event}" (known: ${list(catalog.typesOf('event'))})` });
      } else {
        details.push(...filterProblems(definition.trigger.event, definition.trigger.filter, catalog.schema('event', definition.trigger.event)));
      }
    }
    definition.conditions.forEach((condition, i) => {
      if (catalog.declaration('condition', condition.type) === undefined) {
        details.push({ path: `/conditions/${i}/type`, message: `unknown condition type "${condition.type}" (known: ${list(catalog.typesOf('condition'))})` });
        return;
      }
      const live = catalog.condition(condition.type);
      if (live !== undefined) details.push(...paramProblems(live.params, condition.params, `/conditions/${i}/params`));
    });
    definition.actions.forEach((action, i) => {
      const d = catalog.declaration('action', action.type);
      if (d === undefined) {
        details.push({ path: `/actions/${i}/type`, message: `unknown action type "${action.type}" (known: ${list(catalog.typesOf('action'))})` });
        return;
      }
      if (d.lasts === 'while-active' && (definition.trigger !== undefined || definition.conditions.length === 0)) {
        details.push({
          path: `/actions/${i}/type`,
          message: `"${action.type}" lasts while the rule is active, so the rule needs conditions and no trigger event; use a fixed-duration action with a trigger`,
        });
      }
      const live = catalog.action(action.type);
      if (live !== undefined) details.push(...paramProblems(live.params, action.params, `/actions/${i}/params`));
    });
    if (details.length > 0) throw invalid(details);
    return definition;
  }

  // ---------------------------------------------------------------------

  private runtime(id: string, definition: RuleDefinition): RuleRuntime {
    return { id, definition, bound: false, conditions: [], actions: [], conditionsHold: false, lifetime: new AbortController() };
  }

  private view(runtime: RuleRuntime): Rule {
    const status: RuleStatus = { bound: runtime.bound, conditionsHold: runtime.bound && runtime.conditionsHold };
    if (!runtime.bound && runtime.reason !== undefined) status.reason = runtime.reason;
    return { id: runtime.id, ...runtime.definition, status };
  }

  private need(id: string): RuleRuntime {
    const runtime = this.rules.get(id);
    if (runtime === undefined) throw new PortierError('RULE_NOT_FOUND', `There is no rule with id "${id}".`);
    return runtime;
  }

  /** Why a rule cannot act now, or undefined when it can. */
  private bindingProblem(runtime: RuleRuntime): string | undefined {
    if (runtime.invalid !== undefined) return runtime.invalid;
    const { definition } = runtime;
    if (!definition.enabled) return 'the rule is disabled';
    const { catalog, guard } = this.deps;
    const missing = (kind: ContributionKind, type: string): string => {
      const plugin = pluginName(type);
      const declaration = catalog.declaration(kind, type);
      if (declaration === undefined) return `${kind} ${type} is not available: no installed plugin declares it`;
      return `${kind} ${type} is not available: plugin "${plugin}" ${guard.whyNotRunning(plugin) ?? 'has not defined it'}`;
    };
    if (definition.trigger !== undefined && !this.deps.eventAvailable(definition.trigger.event)) {
      return missing('event', definition.trigger.event);
    }
    for (const [i, condition] of definition.conditions.entries()) {
      const live = catalog.condition(condition.type);
      if (live === undefined) return missing('condition', condition.type);
      const problems = paramProblems(live.params, condition.params, `/conditions/${i}/params`);
      if (problems.length > 0) return `parameters no longer valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    }
    for (const [i, action] of definition.actions.entries()) {
      const live = catalog.action(action.type);
      if (live === undefined) return missing('action', action.type);
      const problems = paramProblems(live.params, action.params, `/actions/${i}/params`);
      if (problems.length > 0) return `parameters no longer valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
      // A plugin upgrade can turn a stored rule's fixed action into a lasting one.
      const lasts = catalog.declaration('action', action.type)?.lasts;
      if (lasts === 'while-active' && (definition.trigger !== undefined || definition.conditions.length === 0)) {
        return `/actions/${i}/type: "${action.type}" now lasts while the rule is active, so the rule needs conditions and no trigger event; change the rule`;
      }
    }
    return undefined;
  }

  private bind(runtime: RuleRuntime): void {
    const problem = this.bindingProblem(runtime);
    if (problem !== undefined) {
      runtime.bound = false;
      runtime.reason = problem;
      return;
    }
    const { catalog } = this.deps;
    runtime.conditions = runtime.definition.conditions.map((c) => {
      const definition = catalog.condition(c.type)!;
      return { plugin: pluginName(c.type), type: c.type, definition, params: definition.params.parse(c.params), invert: c.invert };
    });
    runtime.actions = runtime.definition.actions.map((a) => {
      const definition = catalog.action(a.type)!;
      const lasts = catalog.declaration('action', a.type)?.lasts ?? 'fixed';
      return { plugin: pluginName(a.type), type: a.type, definition, params: definition.params.parse(a.params), lasts };
    });
    runtime.lifetime = new AbortController();
    runtime.bound = true;
    delete runtime.reason;
    for (const condition of runtime.conditions) {
      for (const watched of condition.definition.watches) {
        const type = watched.includes('/') ? watched : `${condition.plugin}/${watched}`;
        let set = this.watchers.get(type);
        if (set === undefined) this.watchers.set(type, (set = new Set()));
        set.add(runtime);
      }
    }
    if (runtime.definition.trigger !== undefined) {
      this.triggers.add(runtime.definition.trigger.event, runtime.definition.trigger.filter, runtime);
    }
    runtime.conditionsHold = false;
    this.reevaluate(runtime);
  }

  private unbind(runtime: RuleRuntime, why: string): void {
    if (runtime.bound) {
      if (runtime.definition.trigger !== undefined) {
        this.triggers.remove(runtime.definition.trigger.event, runtime.definition.trigger.filter, runtime);
      }
      for (const set of this.watchers.values()) set.delete(runtime);
      runtime.activation?.abort(new PortierError('RULE_ENDED', `Rule "${runtime.definition.name}" ended: ${why}.`));
      runtime.lifetime.abort(new PortierError('RULE_ENDED', `Rule "${runtime.definition.name}" ended: ${why}.`));
      delete runtime.activation;
    }
    runtime.bound = false;
    runtime.conditionsHold = false;
    runtime.reason = why;
  }

  private reevaluate(runtime: RuleRuntime): void {
    if (!runtime.bound) return;
    const holds = this.conditionsHold(runtime);
    if (!runtime.bound) return; // a condition failed its plugin, which unbound the rule
    if (holds === runtime.conditionsHold) return;
    runtime.conditionsHold = holds;
    if (runtime.definition.trigger !== undefined) return; // conditions only gate the trigger
    if (holds) {
      runtime.activation = new AbortController();
      this.fire(runtime, undefined, undefined);
    } else {
      runtime.activation?.abort(new PortierError('RULE_INACTIVE', `Rule "${runtime.definition.name}" is no longer active.`));
      delete runtime.activation;
    }
  }

  private conditionsHold(runtime: RuleRuntime): boolean {
    for (const c of runtime.conditions) {
      const result = this.deps.guard.run(c.plugin, `condition ${c.type}`, () => c.definition.test(c.params) === true, false);
      if (result === c.invert) return false;
    }
    return true;
  }

  private fire(runtime: RuleRuntime, fixedSignal: AbortSignal | undefined, trigger: PortierEvent | undefined): void {
    for (const action of runtime.actions) {
      const signal = action.lasts === 'while-active' ? runtime.activation!.signal : (fixedSignal ?? runtime.lifetime.signal);
      const context: ActionContext = { ruleId: runtime.id, ruleName: runtime.definition.name, signal };
      if (trigger !== undefined) context.trigger = trigger;
      try {
        const result = action.definition.run(action.params, context);
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(undefined, (error: unknown) => this.actionFailed(runtime, action, error, signal));
        }
      } catch (error) {
        this.actionFailed(runtime, action, error, signal);
      }
    }
  }

  private actionFailed(runtime: RuleRuntime, action: BoundAction, error: unknown, signal: AbortSignal): void {
    // An action cut short because its rule ended is not a failure.
    if (signal.aborted && error === signal.reason) return;
    const failure = { ruleId: runtime.id, ruleName: runtime.definition.name, action: action.type, error: describeError(error) };
    this.deps.logger.warn('rule action failed', failure);
    this.deps.onActionFailed(failure);
  }
}

function pluginName(type: string): string {
  return type.slice(0, type.indexOf('/'));
}

function paramProblems(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: readonly unknown[] } } }, params: unknown, prefix: string): ErrorDetail[] {
  const result = schema.safeParse(params);
  if (result.success) return [];
  return zodDetails((result.error?.issues ?? []) as readonly core.$ZodIssue[], prefix);
}

interface PayloadSchema {
  properties?: Record<string, { type?: unknown }>;
  additionalProperties?: unknown;
}

/**
 * A filter on a field the payload never has, or with a value of another type,
 * would never match: say so now, not by a rule that silently never fires.
 * Checked against the payload's JSON Schema when one is known.
 */
function filterProblems(event: string, filter: Readonly<Record<string, string | number | boolean>>, schema: unknown): ErrorDetail[] {
  const properties = (schema as PayloadSchema | undefined)?.properties;
  if (properties === undefined) return [];
  const closed = (schema as PayloadSchema).additionalProperties === undefined || (schema as PayloadSchema).additionalProperties === false;
  const details: ErrorDetail[] = [];
  for (const [field, value] of Object.entries(filter)) {
    const path = issuePointer(['filter', field], '/trigger');
    const property = Object.hasOwn(properties, field) ? properties[field] : undefined;
    if (property === undefined) {
      if (closed) details.push({ path, message: `${event} has no field "${field}" (fields: ${list(Object.keys(properties))})` });
      continue;
    }
    const type = property.type;
    const fits =
      type === 'string' ? typeof value === 'string'
      : type === 'boolean' ? typeof value === 'boolean'
      : type === 'number' ? typeof value === 'number'
      : type === 'integer' ? Number.isInteger(value)
      : true;
    if (!fits) details.push({ path, message: `expected ${type === 'integer' ? 'an integer' : `a ${String(type)}`}` });
  }
  return details;
}

function invalid(details: ErrorDetail[]): PortierError {
  return new PortierError('RULE_INVALID', `The rule is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}

function list(types: string[]): string {
  return types.length === 0 ? 'none' : types.join(', ');
}
