import { type HttpApi, type StatefulEvent, z } from 'portier/sdk';
import type { IoPortSet } from './io-ports.js';

export const manualTriggerNumber = z.number().int().min(1).max(32);

const namedPort = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['relay', 'io']),
  direction: z.enum(['input', 'output']),
  active: z.boolean(),
});

const manualTriggerState = z.object({ trigger: z.number().int(), active: z.boolean() });

/**
 * The I/O plugin's own routes, under /api/v1/plugins/io (declared in its
 * manifest with their roles): its named ports, and the manual triggers.
 */
export function serveIoRoutes(http: HttpApi, portSet: IoPortSet, manualTrigger: StatefulEvent<{ trigger: number; active: boolean }>): void {
  http.route('GET', '/ports', { response: z.array(namedPort) }, () => portSet.list());

  http.route(
    'PUT',
    '/manual-triggers/{trigger}',
    {
      params: z.object({ trigger: z.coerce.number().pipe(manualTriggerNumber) }),
      body: z.object({ active: z.boolean() }).strict(),
      response: manualTriggerState,
    },
    ({ params, body }) => {
      manualTrigger.set({ trigger: params.trigger, active: body.active });
      return { trigger: params.trigger, active: body.active };
    },
  );
}
