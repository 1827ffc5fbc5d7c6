import { z } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import type { UserStore } from '../auth/user-store.js';
import { passwordSchema, usernameSchema } from '../auth/user-store.js';
import type { App, RouteModule } from '../http-server.js';
import { errorBodySchema } from '../api-error.js';

const setupBody = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .strict()
  .refine((b) => b.password === b.confirmPassword, { message: 'does not match the password', path: ['confirmPassword'] });

/**
 * First run: there is no default account. Until the administrator exists,
 * this route (and health) is all that answers.
 */
export function setupRoutes(users: UserStore): RouteModule {
  return (app: App) => {
    app.post(
      '/setup',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Create the first administrator (first run only)',
          security: [],
          body: setupBody,
          response: { 201: z.object({ username: z.string(), role: z.literal('admin') }), 409: errorBodySchema },
        },
      },
      async (request, reply) => {
        if (users.count() > 0) {
          throw new PortierError('ALREADY_SET_UP', 'This intercom is already set up; sign in as an administrator to manage users.');
        }
        const user = await users.createFirstAdmin(request.body.username, request.body.password);
        request.log.info({ username: user.username }, 'administrator created (first run)');
        return reply.code(201).send({ username: user.username, role: 'admin' as const });
      },
    );
  };
}
