import { z } from 'zod';
import { PortierError } from '../../sdk/errors.js';
import type { ActionDefinition, ConditionDefinition } from '../../sdk/rules.js';
import type { Manifest } from '../../manifest-schema/schema.js';

export type ContributionKind = 'event' | 'condition' | 'action';

export interface Declaration {
  type: string;
  plugin: string;
  kind: ContributionKind;
  title: string;
  description?: string;
  /** Actions: fixed duration or while the rule is active. */
  lasts?: 'fixed' | 'while-active';
  /** Events. */
  stateful?: boolean;
  key?: readonly string[];
}

export interface CatalogEntry extends Declaration {
  /** Defined by a running plugin right now. */
  available: boolean;
  /** JSON Schema of the parameters (conditions, actions) or payload (events), once the plugin has defined it. */
  schema?: unknown;
}

/**
 * What every plugin contributes. Declarations come from manifests, so the
 * kernel knows a stopped plugin's actions; definitions come from running code,
 * which may only define what its manifest declared.
 */
export class ContributionCatalog {
  /**
   * By kind and type: a plugin may name an event and an action alike
   * (`pulse`), and a rule says which it means by where it uses the type.
   */
  private readonly declared = new Map<string, Declaration>();
  private readonly conditions = new Map<string, ConditionDefinition<unknown>>();
  private readonly actions = new Map<string, ActionDefinition<unknown>>();
  /** Event types a running plugin (or the kernel) has defined. */
  private readonly events = new Set<string>();
  /** Last known JSON Schemas; kept after a plugin stops, so clients can still build forms. */
  /**
   * Zod schemas as defined; their JSON Schema is worked out the first time a
   * client asks, not while plugins start (it was a fifth of a warm boot).
   */
  private readonly schemas = new Map<string, { source: z.ZodType; json?: unknown; converted: boolean }>();

  declarePlugin(manifest: Manifest): void {
    this.undeclarePlugin(manifest.name);
    const plugin = manifest.name;
    const c = manifest.contributes;
    for (const [name, e] of Object.entries(c.events)) {
      this.declare({ type: `${plugin}/${name}`, plugin, kind: 'event', title: e.title, description: e.description, stateful: e.stateful, key: e.key ?? [] });
    }
    for (const [name, d] of Object.entries(c.conditions)) {
      this.declare({ type: `${plugin}/${name}`, plugin, kind: 'condition', title: d.title, description: d.description });
    }
    for (const [name, a] of Object.entries(c.actions)) {
      this.declare({ type: `${plugin}/${name}`, plugin, kind: 'action', title: a.title, description: a.description, lasts: a.lasts });
    }
  }

  /** The kernel's own contributions (schedules, action failures) under the `core` namespace. */
  declare(declaration: Declaration): void {
    this.declared.set(slot(declaration.kind, declaration.type), declaration);
  }

  undeclarePlugin(plugin: string): void {
    for (const [type, d] of this.declared) if (d.plugin === plugin) this.declared.delete(type);
    this.undefinePlugin(plugin);
  }

  declaration(kind: ContributionKind, type: string): Declaration | undefined {
    return this.declared.get(slot(kind, type));
  }

  /** Checks that running code defines only what its manifest declared. */
  requireDeclared(plugin: string, kind: ContributionKind, name: string): Declaration {
    const declaration = this.declared.get(slot(kind, `${plugin}/${name}`));
    if (declaration === undefined) {
      const section = kind === 'event' ? 'events' : kind === 'condition' ? 'conditions' : 'actions';
      throw new PortierError(
        'CONTRIBUTION_UNDECLARED',
        `Plugin "${plugin}" tried to define the ${kind} "${name}", which its manifest does not declare; add it to "contributes.${section}" in manifest.json.`,
      );
    }
    return declaration;
  }

  defineCondition(plugin: string, name: string, definition: ConditionDefinition<unknown>): void {
    const { type } = this.requireDeclared(plugin, 'condition', name);
    this.conditions.set(type, definition);
    this.schemas.set(slot('condition', type), { source: definition.params as z.ZodType, converted: false });
  }

  defineAction(plugin: string, name: string, definition: ActionDefinition<unknown>): void {
    const { type } = this.requireDeclared(plugin, 'action', name);
    this.actions.set(type, definition);
    this.schemas.set(slot('action', type), { source: definition.params as z.ZodType, converted: false });
  }

  defineEventSchema(type: string, payload: z.ZodType): void {
    this.events.add(type);
    this.schemas.set(slot('event', type), { source: payload, converted: false });
  }

  undefinePlugin(plugin: string): void {
    const prefix = `${plugin}/`;
    for (const type of [...this.conditions.keys()]) if (type.startsWith(prefix)) this.conditions.delete(type);
    for (const type of [...this.actions.keys()]) if (type.startsWith(prefix)) this.actions.delete(type);
    for (const type of [...this.events]) if (type.startsWith(prefix)) this.events.delete(type);
  }

  /** The JSON Schema last defined for a contribution (payload of an event, parameters otherwise). */
  schema(kind: ContributionKind, type: string): unknown {
    const entry = this.schemas.get(slot(kind, type));
    if (entry === undefined) return undefined;
    if (!entry.converted) {
      entry.json = toJsonSchema(entry.source);
      entry.converted = true;
    }
    return entry.json;
  }

  condition(type: string): ConditionDefinition<unknown> | undefined {
    return this.conditions.get(type);
  }

  action(type: string): ActionDefinition<unknown> | undefined {
    return this.actions.get(type);
  }

  entries(kind?: ContributionKind): CatalogEntry[] {
    const out: CatalogEntry[] = [];
    for (const d of this.declared.values()) {
      if (kind !== undefined && d.kind !== kind) continue;
      const available = d.kind === 'condition' ? this.conditions.has(d.type) : d.kind === 'action' ? this.actions.has(d.type) : this.events.has(d.type);
      out.push({ ...d, available, schema: this.schema(d.kind, d.type) });
    }
    return out.sort((a, b) => a.type.localeCompare(b.type) || a.kind.localeCompare(b.kind));
  }

  typesOf(kind: ContributionKind): string[] {
    return this.entries(kind).map((e) => e.type);
  }
}

function slot(kind: ContributionKind, type: string): string {
  return `${kind} ${type}`;
}

function toJsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    // A schema with transforms JSON Schema cannot express still validates; clients get no form.
    return undefined;
  }
}
