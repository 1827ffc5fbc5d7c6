import { z } from 'zod';
import { pluginNameSchema } from '../../manifest-schema/schema.js';
import { ROLES } from '../http/roles.js';

export const SITE_FORMAT = 'portier-site';
export const SITE_FORMAT_VERSION = 1;

/**
 * Where a secret setting was: the export never carries a secret's value. On
 * import it means "keep the value this intercom has".
 */
export const SECRET_PLACEHOLDER = { $secret: true } as const;

const PASSWORD_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

export const sitePluginSchema = z
  .object({
    version: z.string().describe('The version that was installed where the document was exported; informative'),
    enabled: z.boolean(),
    settings: z.unknown().optional().describe('The plugin\'s settings; secret fields are { "$secret": true }'),
  })
  .strict();

export const siteUserSchema = z
  .object({
    username: z.string().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
    role: z.enum(ROLES),
    passwordHash: z
      .string()
      .regex(PASSWORD_HASH, 'expected a password hash as exported (scrypt$N$r$p$salt$hash); a site document never carries passwords'),
  })
  .strict();

const idSchema = z.string().min(1).max(200);

/** `{ id, …definition }`; the definition is checked by the schedule service and the rules engine. */
const withId = z.looseObject({ id: idSchema });

/**
 * One JSON document with a site's whole configuration: plugins (enabled, settings),
 * schedules and rules with their ids (rules refer to schedules by id), and users
 * with their password hashes (never passwords).
 */
export const siteDocumentSchema = z
  .object({
    format: z.literal(SITE_FORMAT, { error: `expected "${SITE_FORMAT}": this is not a Portier site document` }),
    formatVersion: z.literal(SITE_FORMAT_VERSION, { error: `expected ${SITE_FORMAT_VERSION}: this Portier reads site documents of format version ${SITE_FORMAT_VERSION}` }),
    exportedAt: z.string().describe('When it was exported (ISO 8601); informative'),
    platformVersion: z.string().describe('The platform API version of the intercom it came from; informative'),
    plugins: z.record(pluginNameSchema, sitePluginSchema),
    schedules: z.array(withId).max(1000),
    rules: z.array(withId).max(1000),
    users: z.array(siteUserSchema).min(1, 'a site needs at least one user, an administrator').max(1000),
    notes: z.array(z.string()).optional().describe('What the export could not do (e.g. find secrets of a plugin that has not run); ignored on import'),
  })
  .strict();

export type SiteDocument = z.output<typeof siteDocumentSchema>;
export type SiteUser = z.output<typeof siteUserSchema>;
export type SitePlugin = z.output<typeof sitePluginSchema>;
