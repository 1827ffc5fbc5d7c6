import { z } from 'zod';
import type { Kernel } from '../../kernel.js';
import { PLATFORM_API_VERSION } from '../../version.js';
import type { App, RouteModule } from '../http-server.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']).describe('degraded while an enabled plugin has failed'),
  version: z.string(),
  uptimeSeconds: z.number(),
});

/** GET /api/v1/health: answers without authentication, for monitoring. */
export function healthRoutes(kernel: Kernel, startedAt: number): RouteModule {
  return (app: App) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: { tags: ['system'], summary: 'Is Portier up', security: [], response: { 200: healthSchema } },
      },
      () => ({
        status: kernel.host.list().some((p) => p.enabled && p.state === 'failed') ? ('degraded' as const) : ('ok' as const),
        version: PLATFORM_API_VERSION,
        uptimeSeconds: Math.round((kernel.clock.now() - startedAt) / 1000),
      }),
    );
  };
}
