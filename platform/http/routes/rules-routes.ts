import { z } from 'zod';
import type { Kernel } from '../../kernel.js';
import type { CatalogEntry, ContributionKind } from '../../rules/contribution-catalog.js';
import { ruleDefinitionSchema } from '../../rules/rule-schema.js';
import type { App, RouteModule } from '../http-server.js';
import { errorResponses, idParams, inBody, noContent } from '../schemas/error-responses.js';

/**
 * A rule as stored, with its status. Looser than ruleDefinitionSchema on
 * purpose: a stored rule that no longer validates (its plugin changed) is
 * still shown, unbound with the reason, so it can be fixed or deleted.
 */
const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    trigger: z
      .object({ event: z.string(), filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) })
      .optional(),
    conditions: z.array(z.object({ type: z.string(), params: z.record(z.string(), z.unknown()), invert: z.boolean() })),
    actions: z.array(z.object({ type: z.string(), params: z.record(z.string(), z.unknown()) })),
    status: z.object({
      bound: z.boolean().describe('Will act when it should: every event, condition and action it uses is available'),
      conditionsHold: z.boolean().describe('Its conditions hold right now'),
      reason: z.string().optional().describe('Why it is not bound'),
    }),
  })
  .describe('Rule');

const catalogEntrySchema = z.object({
  type: z.string().describe('plugin/name, as rules use it'),
  plugin: z.string(),
  title: z.string(),
  description: z.string().optional(),
  available: z.boolean().describe('Defined by a running plugin right now; a rule using it is bound only then'),
  reason: z.string().optional().describe('Why it is not available'),
  schema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema of the parameters (conditions, actions) or of the payload (events); known once the plugin has run'),
  lasts: z.enum(['fixed', 'while-active']).optional().describe('Actions: for a set time, or while the rule is active'),
  stateful: z.boolean().optional().describe('Events: a state change rather than a pulse'),
  key: z.array(z.string()).optional().describe('Stateful events: the payload fields that identify one instance'),
});

const catalogSchema = z
  .object({ events: z.array(catalogEntrySchema), conditions: z.array(catalogEntrySchema), actions: z.array(catalogEntrySchema) })
  .describe('What rules can use');

function catalogEntry(kernel: Kernel, entry: CatalogEntry): z.output<typeof catalogEntrySchema> {
  const out: z.output<typeof catalogEntrySchema> = { type: entry.type, plugin: entry.plugin, title: entry.title, available: entry.available };
  if (entry.description !== undefined) out.description = entry.description;
  if (!entry.available) out.reason = `plugin "${entry.plugin}" ${kernel.host.whyNotRunning(entry.plugin) ?? 'has not defined it'}`;
  if (typeof entry.schema === 'object' && entry.schema !== null) out.schema = entry.schema as Record<string, unknown>;
  if (entry.lasts !== undefined) out.lasts = entry.lasts;
  if (entry.stateful !== undefined) out.stateful = entry.stateful;
  if (entry.key !== undefined) out.key = [...entry.key];
  return out;
}

/**
 * Rules: CRUD with validation against the catalog (the field that is wrong
 * comes back as a JSON pointer), and the catalog itself, so a client can
 * build rule forms from JSON Schemas.
 */
export function rulesRoutes(kernel: Kernel): RouteModule {
  return (app: App) => {
    app.get(
      '/rules',
      {
        config: { access: 'viewer' },
        schema: { tags: ['rules'], summary: 'Every rule with its status', response: { 200: z.array(ruleSchema), ...errorResponses() } },
      },
      () => kernel.rules.list(),
    );

    app.get(
      '/rules/catalog',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['rules'],
          summary: 'Events, conditions and actions rules can use, with their JSON Schemas',
          response: { 200: catalogSchema, ...errorResponses() },
        },
      },
      () => {
        const of = (kind: ContributionKind) => kernel.catalog.entries(kind).map((e) => catalogEntry(kernel, e));
        return { events: of('event'), conditions: of('condition'), actions: of('action') };
      },
    );

    app.get(
      '/rules/:id',
      {
        config: { access: 'viewer' },
        schema: { tags: ['rules'], summary: 'One rule with its status', params: idParams, response: { 200: ruleSchema, ...errorResponses(404) } },
      },
      (request) => kernel.rules.get(request.params.id),
    );

    app.post(
      '/rules',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['rules'],
          summary: 'Create a rule',
          body: ruleDefinitionSchema,
          response: { 201: ruleSchema, ...errorResponses(422) },
        },
      },
      async (request, reply) => {
        const rule = inBody(() => kernel.rules.create(request.body));
        return reply.code(201).send(rule);
      },
    );

    app.put(
      '/rules/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['rules'],
          summary: 'Replace a rule',
          params: idParams,
          body: ruleDefinitionSchema,
          response: { 200: ruleSchema, ...errorResponses(404, 422) },
        },
      },
      (request) => inBody(() => kernel.rules.update(request.params.id, request.body)),
    );

    app.delete(
      '/rules/:id',
      {
        config: { access: 'operator' },
        schema: { tags: ['rules'], summary: 'Delete a rule (what it is doing ends)', params: idParams, response: { 204: noContent, ...errorResponses(404) } },
      },
      async (request, reply) => {
        kernel.rules.remove(request.params.id);
        return reply.code(204).send(null);
      },
    );

    for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
      app.post(
        `/rules/:id/${verb}`,
        {
          config: { access: 'operator' },
          schema: {
            tags: ['rules'],
            summary: enabled ? 'Enable a rule' : 'Disable a rule (what it is doing ends)',
            params: idParams,
            response: { 200: ruleSchema, ...errorResponses(404, 422) },
          },
        },
        (request) => kernel.rules.setEnabled(request.params.id, enabled),
      );
    }
  };
}
