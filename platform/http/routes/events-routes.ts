import { z } from 'zod';
import type { Kernel } from '../../kernel.js';
import { type EventStreamOptions, EventStreams } from '../event-stream.js';
import type { App, RouteModule } from '../http-server.js';
import { errorResponses } from '../schemas/error-responses.js';
import { eventSchema, eventTypeFilterSchema, eventTypeMatcher } from '../schemas/event-schema.js';

const time = z
  .string()
  .transform((value, ctx) => {
    const ms = /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
    if (!Number.isSafeInteger(ms)) {
      ctx.addIssue({ code: 'custom', message: 'expected milliseconds since 1970 or an ISO 8601 date-time such as 2026-01-05T08:00:00Z' });
      return z.NEVER;
    }
    return ms;
  })
  .describe('Milliseconds since 1970-01-01 UTC, or an ISO 8601 date-time');

const logQuery = z
  .object({
    from: time.optional().describe('Earliest time, inclusive'),
    to: time.optional().describe('Latest time, inclusive'),
    type: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\/(\*|[a-z][a-z0-9-]*)$/, 'expected an event type such as io/input, or io/* for every event of a plugin')
      .optional()
      .describe('An event type (io/input), or every event of a plugin (io/*)'),
    source: z.string().min(1).max(100).optional().describe('The plugin that emitted the events (core for the platform)'),
    afterSeq: z.coerce.number().int().nonnegative().optional().describe('Only events after this seq (paging: the last seq you got)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    order: z.enum(['asc', 'desc']).default('asc').describe('By seq'),
  })
  .strict();

const streamQuery = z.object({ type: eventTypeFilterSchema.optional() }).strict();
const streamHeaders = z.looseObject({
  'last-event-id': z
    .string()
    .regex(/^\d+$/, 'expected the seq of the last event received')
    .optional()
    .describe('Sent by a reconnecting client: the events after it are replayed from the log first'),
});

/**
 * The event log (what happened, queried) and the live event stream
 * (Server-Sent Events), which continues from the log on reconnect.
 */
export function eventsRoutes(kernel: Kernel, options: Partial<EventStreamOptions> = {}): RouteModule {
  return (app: App) => {
    const streams = new EventStreams(kernel.events, kernel.eventLog, options);
    // An open stream is never idle, so the server would wait for it forever on close.
    app.addHook('preClose', (done) => {
      streams.closeAll();
      done();
    });

    app.get(
      '/events',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['events'],
          summary: 'Query the event log',
          querystring: logQuery,
          response: { 200: z.array(eventSchema), ...errorResponses() },
        },
      },
      (request) => {
        const { type, ...rest } = request.query;
        const byPlugin = type?.endsWith('/*') === true;
        if (byPlugin && rest.source !== undefined && rest.source !== type!.slice(0, -2)) return [];
        return kernel.eventLog.query({
          ...rest,
          ...(type === undefined ? {} : byPlugin ? { source: type.slice(0, -2) } : { type }),
        });
      },
    );

    app.get(
      '/events/stream',
      {
        // A HEAD would take the stream over and then never send a body nor end.
        exposeHeadRoute: false,
        config: { access: 'viewer' },
        schema: {
          tags: ['events'],
          summary: 'Live events as Server-Sent Events (id: seq, event: type, data: the event as JSON)',
          description:
            'Filter with `type` (io/input, io/*, or several separated by commas). A reconnecting client sends Last-Event-ID and gets the events it missed from the log first. A comment line is sent every 15 s.',
          querystring: streamQuery,
          headers: streamHeaders,
          response: {
            200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
            ...errorResponses(503),
          },
        },
      },
      async (request, reply) => {
        const lastEventId = request.headers['last-event-id'];
        await streams.serve(reply, {
          matches: eventTypeMatcher(request.query.type),
          ...(lastEventId === undefined ? {} : { lastEventId: Number(lastEventId) }),
        });
      },
    );
  };
}
