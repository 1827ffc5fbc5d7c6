import { type HttpApi, HttpError, type Logger, describeError, respond, z } from 'portier/sdk';
import type { RingParams, Ringer } from './ring-action.js';
import { PATTERNS } from './chime-patterns.js';

const ringAccepted = z.object({ relay: z.string(), pattern: z.enum(PATTERNS) });

/**
 * `POST /api/v1/plugins/door-chime/ring` (operator): rings the chime now, so
 * an installer can check the wiring from the web interface. It answers 202 at
 * once; `door-chime/chime-rang` follows when the chime falls silent.
 */
export function serveChimeRoutes(http: HttpApi, ringer: Ringer, params: z.ZodType<RingParams>, relay: () => string | undefined, logger: Logger): void {
  http.route('POST', '/ring', { body: params.optional(), response: ringAccepted }, (request) => {
    const relayId = relay();
    if (relayId === undefined) throw new HttpError(409, 'CHIME_NO_RELAY', 'The door chime holds no relay; check its settings and that the relay is free.');
    const body = request.body ?? {};
    const { pattern } = ringer.plan(body);
    ringer.ring(body, { source: 'api', user: request.user.username }).catch((error: unknown) => {
      logger.error('a test ring failed', { error: describeError(error) });
    });
    return respond(202, { relay: relayId, pattern });
  });
}
