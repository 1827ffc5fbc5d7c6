/**
 * The plugin manifest, version 1. This zod schema is the single source: the
 * TypeScript type, `v1.json` (JSON Schema for editors) and `FIELDS.md` are
 * generated from it (`npm run schema`), and a test fails when they drift.
 */
import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { z } from 'zod';
import { PORT_KINDS } from '../sdk/ports.js';

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_SCHEMA_ID = 'https://portier.dev/manifest-schema/v1.json';

const kebabName = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected kebab-case: lower-case letters and digits separated by single hyphens, starting with a letter');

export const pluginNameSchema = kebabName
  .min(2, 'expected 2 to 40 characters')
  .max(40, 'expected 2 to 40 characters')
  .describe('Unique plugin name, kebab-case, 2–40 characters, starting with a letter. Namespaces its events, conditions, actions, routes and store.');

/**
 * The semver.org grammar, so that v1.json (which cannot run `semver.valid`)
 * rejects what the loader rejects. `abort` keeps a bad version to one message;
 * the refinement only catches what a pattern cannot (numbers too large).
 */
export const SEMVER_PATTERN =
  '^(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)' +
  '(?:-(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?' +
  '(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$';

const semverVersionMessage = 'expected a semantic version such as 1.2.3';

const semverVersion = z
  .string()
  .regex(new RegExp(SEMVER_PATTERN), { message: semverVersionMessage, abort: true })
  .refine((v) => valid(v) !== null, semverVersionMessage)
  .describe('Semantic version of this plugin (https://semver.org), such as `1.2.3` or `2.0.0-beta.1`; no leading `v`.');

const semverRange = z
  .string()
  // semver reads an empty range as `*`; in a manifest it is a mistake, not "any version".
  .refine((v) => v.trim() !== '' && validRange(v) !== null, 'expected a semver range such as ^1.0.0')
  .describe('A semver range, e.g. `^1.2.0`.');

const title = z.string().min(1).max(80).describe('Short name shown to integrators.');
const description = z.string().max(1000).describe('What it is for, shown to integrators.');

const contributionName = kebabName.max(60);

export const eventDeclarationSchema = z
  .object({
    title,
    description: description.optional(),
    stateful: z
      .boolean()
      .describe('true for a property with a state (input active, call ringing); false for a pulse (card presented).'),
    key: z
      .array(z.string().min(1))
      .optional()
      .describe('Stateful events: the payload fields that identify one instance, e.g. ["port"].'),
  })
  .strict()
  .refine((e) => e.stateful || e.key === undefined, {
    message: 'expected no key: only a stateful event has one',
    path: ['key'],
  });

export const conditionDeclarationSchema = z
  .object({ title, description: description.optional() })
  .strict();

export const actionDeclarationSchema = z
  .object({
    title,
    description: description.optional(),
    lasts: z
      .enum(['fixed', 'while-active'])
      .describe('`fixed`: runs once for a set time (toggle I/O once for 7 s). `while-active`: lasts while the rule\'s conditions hold.'),
  })
  .strict();

export const routeDeclarationSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).describe('HTTP method.'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9\-._~:/{}]*$/, 'expected a path starting with / (parameters as {name})')
      .describe('Path under /api/v1/plugins/<name>.'),
    role: z.enum(['admin', 'operator', 'viewer']).describe('The lowest role allowed to call it.'),
    summary: z.string().max(200).optional().describe('One line on what the route does, shown in the OpenAPI document.'),
  })
  .strict();

export const hardwareDeclarationSchema = z
  .object({
    kind: z.enum(PORT_KINDS).describe('A kind of port this plugin may claim.'),
    why: z.string().min(1).max(200).describe('Why the plugin needs it, shown when an integrator reviews claims.'),
  })
  .strict();

export const PERMISSIONS = ['event-log:read', 'schedules:read'] as const;

const nameMap = <T extends z.ZodType>(value: T) =>
  z.record(contributionName, value).default({});

export const manifestSchema = z
  .object({
    $schema: z.string().optional().describe('Where editors find this schema: ' + MANIFEST_SCHEMA_ID + ' or a relative path to v1.json.'),
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION).describe('Manifest schema version; this is version 1.'),
    name: pluginNameSchema,
    displayName: z.string().min(1).max(60).describe('Name shown in the web interface.'),
    version: semverVersion,
    vendor: z.string().min(1).max(80).describe('Who makes the plugin. Two vendors cannot install plugins of the same name.'),
    description: z.string().max(1000).default('').describe('One paragraph on what the plugin does.'),
    main: z
      .string()
      .regex(/^\.\/[^\0]+\.js$/, 'expected a relative path to the entry module, such as ./index.js')
      .refine((p) => !p.split('/').includes('..'), 'expected a path inside the plugin folder, without ..')
      .describe('Entry module, relative to the manifest; it exports the plugin class as its default export.'),
    platform: semverRange.describe('The range of platform API versions this plugin works with, e.g. `^1.0.0`.'),
    requires: z
      .record(pluginNameSchema, semverRange)
      .default({})
      .describe('Plugins this one needs, by name, with the range of versions it works with. They start first.'),
    provides: z
      .array(
        z
          .string()
          .regex(/^[a-z][a-z0-9.-]*$/, 'expected a service name such as portier.io')
          .describe('A service token name, lower case, such as `portier.io`.'),
      )
      .default([])
      .describe('Service tokens this plugin provides to the plugins that require it (see sdk/services).'),
    hardware: z
      .array(hardwareDeclarationSchema)
      .default([])
      .describe('The kinds of port the plugin may claim, and why.'),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .default([])
      .describe('What the plugin needs beyond its own namespace: `event-log:read` reads every plugin\'s events from the log; `schedules:read` reads schedules.'),
    contributes: z
      .object({
        events: nameMap(eventDeclarationSchema).describe('Events, by name; their type is `<plugin>/<name>`.'),
        conditions: nameMap(conditionDeclarationSchema).describe('Stateful conditions rules can require.'),
        actions: nameMap(actionDeclarationSchema).describe('Actions rules can run.'),
        settings: z
          .object({ title: title.optional(), description: description.optional() })
          .strict()
          .optional()
          .describe('Present when the plugin has settings; their schema comes from the code.'),
        routes: z.array(routeDeclarationSchema).default([]).describe('HTTP routes, mounted under /api/v1/plugins/<name>/.'),
        displayElements: nameMap(conditionDeclarationSchema).describe('Elements the plugin can place on display pages.'),
      })
      .strict()
      .default({ events: {}, conditions: {}, actions: {}, routes: [], displayElements: {} })
      .describe('What the plugin adds to the platform. Code that registers anything not declared here is refused.'),
  })
  .strict()
  .describe('A Portier plugin manifest (`manifest.json`): who the plugin is, what it needs and what it contributes, declared before any code runs.');

/** A manifest as written in manifest.json. */
export type ManifestInput = z.input<typeof manifestSchema>;
/** A validated manifest, defaults applied. */
export type Manifest = z.output<typeof manifestSchema>;
export type EventDeclaration = z.output<typeof eventDeclarationSchema>;
export type ActionDeclaration = z.output<typeof actionDeclarationSchema>;
