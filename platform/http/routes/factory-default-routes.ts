import { z } from 'zod';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses } from '../schemas/error-responses.js';

export const FACTORY_DEFAULT_CONFIRMATION = 'erase everything';

const acceptedSchema = z
  .object({ status: z.literal('erasing'), message: z.string() })
  .describe('FactoryDefaultAccepted');

/**
 * POST /api/v1/system/factory-default: back to first run. Answers 202, then
 * (after the answer has left) the hook stops the HTTP server and the kernel,
 * erases the data folder and starts both again on the same ports.
 */
export function factoryDefaultRoutes(factoryDefault: (() => Promise<void>) | undefined): RouteModule {
  return (app: App) => {
    app.post(
      '/system/factory-default',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['system'],
          summary: `Erase everything (database, apps, certificate) and return to first run; send { "confirm": "${FACTORY_DEFAULT_CONFIRMATION}" }`,
          body: z.unknown().describe(`{ "confirm": "${FACTORY_DEFAULT_CONFIRMATION}" }`),
          response: { 202: acceptedSchema, ...errorResponses(501) },
        },
      },
      async (request, reply) => {
        const body = request.body as { confirm?: unknown } | undefined;
        if (typeof body !== 'object' || body === null || body.confirm !== FACTORY_DEFAULT_CONFIRMATION || Object.keys(body).length !== 1) {
          throw apiError(
            400,
            'CONFIRMATION_REQUIRED',
            `To erase this intercom, send {"confirm": "${FACTORY_DEFAULT_CONFIRMATION}"}. It deletes the users, rules, schedules, settings, installed apps and the HTTPS certificate, and returns Portier to first run.`,
            [{ path: '/body/confirm', message: `expected "${FACTORY_DEFAULT_CONFIRMATION}"` }],
          );
        }
        if (factoryDefault === undefined) {
          throw apiError(501, 'FACTORY_DEFAULT_UNAVAILABLE', 'This Portier was started without a way to restart itself, so it cannot return to first run from the API.');
        }
        request.log.warn({ by: request.principal?.username }, 'factory default requested');
        // Only once the answer has left: the restart closes this very server.
        reply.raw.once('finish', () => {
          setImmediate(() => {
            factoryDefault().catch((error: unknown) => request.log.fatal({ err: error }, 'factory default failed'));
          });
        });
        return reply.code(202).send({
          status: 'erasing' as const,
          message: 'Portier is erasing its data and restarting on the same address; it answers NOT_SET_UP until the administrator is created again (POST /api/v1/setup), with a new certificate.',
        });
      },
    );
  };
}
