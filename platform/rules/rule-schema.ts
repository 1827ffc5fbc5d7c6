import { z } from 'zod';

/** `plugin/name`: the type of an event, condition or action. */
export const contributionTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/, 'expected a type such as "io/input" (plugin/name)');

const filterValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean to compare the payload field with' });

export const ruleTriggerSchema = z
  .object({
    event: contributionTypeSchema.describe('The event that fires the rule, e.g. `io/input` or `entry-list/access-granted`.'),
    filter: z
      .record(z.string(), filterValue)
      .default({})
      .describe('Payload fields the event must have, e.g. `{ "port": "io-1", "active": true }`.'),
  })
  .strict();

export const ruleConditionSchema = z
  .object({
    type: contributionTypeSchema,
    params: z.record(z.string(), z.unknown()).default({}),
    invert: z.boolean().default(false).describe('Holds when the condition does not.'),
  })
  .strict();

export const ruleActionSchema = z
  .object({
    type: contributionTypeSchema,
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const ruleDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, 'a rule needs a name').max(80),
    enabled: z.boolean().default(true),
    trigger: ruleTriggerSchema.optional(),
    conditions: z.array(ruleConditionSchema).max(16).default([]),
    actions: z.array(ruleActionSchema).min(1, 'a rule needs at least one action').max(16),
  })
  .strict()
  .refine((r) => r.trigger !== undefined || r.conditions.length > 0, {
    message: 'a rule needs a trigger event, one or more conditions, or both',
    path: ['conditions'],
  });

export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;
export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;

export interface RuleStatus {
  /** Bound to running plugins with valid parameters: it will act when it should. */
  bound: boolean;
  /** Conditions hold right now (always false for an unbound or disabled rule). */
  conditionsHold: boolean;
  /** Why the rule is not bound, in words an integrator can act on. */
  reason?: string;
}

export interface Rule extends RuleDefinition {
  id: string;
  status: RuleStatus;
}
