import { z } from 'zod';
import type { Kernel } from '../../kernel.js';
import { PLUGIN_STATES } from '../../plugins/plugin-record.js';
import { PLATFORM_API_VERSION } from '../../version.js';
import type { App, RouteModule } from '../http-server.js';
import { errorResponses } from '../schemas/error-responses.js';

const systemSchema = z
  .object({
    version: z.string().describe('Platform API version'),
    board: z.object({ model: z.string(), driver: z.string().describe('simulator, or the name of the hardware driver') }),
    uptimeSeconds: z.number().int(),
    time: z.number().describe('The device clock, milliseconds since 1970-01-01 UTC'),
    timeZone: z.string().describe('IANA time zone that schedules run in'),
    plugins: z.object({
      installed: z.number().int(),
      enabled: z.number().int(),
      disabled: z.number().int(),
      byState: z.record(z.enum(PLUGIN_STATES), z.number().int()),
      loadErrors: z
        .array(z.object({ directory: z.string(), code: z.string(), message: z.string() }))
        .describe('Plugin folders that could not be loaded at all (bad manifest, name taken)'),
    }),
  })
  .describe('System');

/** GET /api/v1/system: what this intercom is and how its plugins are doing. */
export function systemRoutes(kernel: Kernel, startedAt: number): RouteModule {
  return (app: App) => {
    app.get(
      '/system',
      {
        config: { access: 'viewer' },
        schema: { tags: ['system'], summary: 'Version, board, uptime, time zone and plugin counts', response: { 200: systemSchema, ...errorResponses() } },
      },
      () => {
        const plugins = kernel.host.list();
        const byState = Object.fromEntries(PLUGIN_STATES.map((state) => [state, 0])) as Record<(typeof PLUGIN_STATES)[number], number>;
        for (const plugin of plugins) byState[plugin.state]++;
        const now = kernel.clock.now();
        return {
          version: PLATFORM_API_VERSION,
          board: { model: kernel.board.model, driver: kernel.driver.name },
          uptimeSeconds: Math.max(0, Math.round((now - startedAt) / 1000)),
          time: now,
          timeZone: kernel.timeZone,
          plugins: {
            installed: plugins.length,
            enabled: plugins.filter((p) => p.enabled).length,
            disabled: plugins.filter((p) => !p.enabled).length,
            byState,
            loadErrors: kernel.loadErrors.map(({ directory, error }) => ({ directory, code: error.code, message: error.message })),
          },
        };
      },
    );
  };
}
