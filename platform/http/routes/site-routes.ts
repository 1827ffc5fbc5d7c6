import { z } from 'zod';
import type { Kernel } from '../../kernel.js';
import { siteDocumentSchema } from '../../site/site-document.js';
import { exportSite } from '../../site/site-export.js';
import { importSite } from '../../site/site-import.js';
import type { SiteUserTarget } from '../../site/site-users.js';
import type { App, RouteModule } from '../http-server.js';
import { errorResponses } from '../schemas/error-responses.js';

const importReportSchema = z
  .object({
    plugins: z.array(z.object({ name: z.string(), enabled: z.boolean(), settingsChanged: z.boolean() })),
    schedules: z.number().int(),
    rules: z.number().int(),
    users: z.number().int(),
    restarted: z.array(z.string()).describe('Plugins restarted to run with their new settings'),
    notes: z.array(z.string()).describe('What the import noticed but did not refuse'),
  })
  .describe('SiteImportReport');

/** A site document of a thousand rules, schedules and users fits. */
const SITE_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The whole configuration of the intercom as one JSON document: export it
 * from one intercom, import it into another (or back, as a restore).
 */
export function siteRoutes(kernel: Kernel, users: SiteUserTarget): RouteModule {
  return (app: App) => {
    app.get(
      '/site',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['site'],
          summary: 'Export the site: plugins and their settings, schedules, rules and users (password hashes only, secrets as { "$secret": true })',
          response: { 200: siteDocumentSchema.describe('SiteDocument'), ...errorResponses() },
        },
      },
      (_request, reply) => {
        const document = exportSite(kernel, users);
        void reply.header('content-disposition', `attachment; filename="portier-site-${document.exportedAt.slice(0, 10)}.json"`);
        return document;
      },
    );

    app.put(
      '/site',
      {
        config: { access: 'admin' },
        bodyLimit: SITE_BODY_LIMIT,
        schema: {
          tags: ['site'],
          summary:
            'Import a site document: everything is checked first and a problem changes nothing (422 with JSON pointers into the document); then it replaces this intercom\'s configuration in one transaction',
          body: z.unknown().describe('A site document, as GET /api/v1/site answers'),
          response: { 200: importReportSchema, ...errorResponses(413, 422) },
        },
      },
      async (request) => {
        const report = await importSite(kernel, users, request.body);
        request.log.warn({ by: request.principal?.username, ...report }, 'site imported');
        return report;
      },
    );
  };
}
