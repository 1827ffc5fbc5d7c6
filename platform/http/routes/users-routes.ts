import { z } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import { type PortierAuthenticator, clientOf } from '../auth/portier-authenticator.js';
import { clearSessionCookie } from '../auth/session-cookie.js';
import { type User, type UserStore, passwordSchema, usernameSchema } from '../auth/user-store.js';
import type { App, RouteModule } from '../http-server.js';
import { ROLES } from '../roles.js';
import { errorResponses, noContent } from '../schemas/error-responses.js';

const roleSchema = z.enum(ROLES).describe('viewer: sees; operator: also operates (doors, calls); admin: also configures and manages users');

const userReply = z
  .object({
    username: z.string(),
    role: z.enum(ROLES),
    createdAt: z.number().describe('Milliseconds since 1970-01-01 UTC'),
    updatedAt: z.number().describe('Milliseconds since 1970-01-01 UTC; changes with the role or the password'),
  })
  .describe('User');

const createBody = z.object({ username: usernameSchema, role: roleSchema, password: passwordSchema }).strict();

const updateBody = z
  .object({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.password !== undefined, { message: 'give a role, a password, or both' });

const usernameParams = z.object({ username: z.string().min(1).max(256) });

const ownPasswordBody = z.object({ currentPassword: z.string().min(1, 'the current password is required').max(1024), newPassword: passwordSchema }).strict();

/**
 * User management (administrators) and each user's own password. Hashes and
 * passwords never appear in a reply or in the log; a change to a user's
 * password or role ends their sessions and remembered Basic credentials
 * (UserStore.onChange).
 */
export function usersRoutes(users: UserStore, auth: PortierAuthenticator): RouteModule {
  return (app: App) => {
    app.get(
      '/users',
      {
        config: { access: 'admin' },
        schema: { tags: ['users'], summary: 'List users', response: { 200: z.array(userReply), ...errorResponses() } },
      },
      () => users.list().map(toReply),
    );

    app.post(
      '/users',
      {
        config: { access: 'admin' },
        schema: { tags: ['users'], summary: 'Create a user', body: createBody, response: { 201: userReply, ...errorResponses(409) } },
      },
      async (request, reply) => {
        const user = await users.create(request.body.username, request.body.role, request.body.password);
        request.log.info({ username: user.username, role: user.role, by: request.principal?.username }, 'user created');
        return reply.code(201).send(toReply(user));
      },
    );

    app.patch(
      '/users/:username',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['users'],
          summary: "Change a user's role and/or password (ends that user's sessions)",
          params: usernameParams,
          body: updateBody,
          response: { 200: userReply, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const user = await users.update(request.params.username, request.body);
        request.log.info(
          { username: user.username, role: user.role, passwordChanged: request.body.password !== undefined, by: request.principal?.username },
          'user changed',
        );
        return toReply(user);
      },
    );

    app.delete(
      '/users/:username',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['users'],
          summary: 'Delete a user (ends their sessions)',
          params: usernameParams,
          response: { 204: noContent, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        users.delete(request.params.username);
        request.log.info({ username: request.params.username, by: request.principal?.username }, 'user deleted');
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/users/me/password',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['users'],
          summary: 'Change your own password (ends all your sessions, this one included)',
          body: ownPasswordBody,
          response: { 204: noContent, ...errorResponses(422, 429) },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        // Throttled like a login: a session left open must not become a way to guess the password.
        const check = await auth.checkPassword(clientOf(request), principal.username, request.body.currentPassword);
        if (!check.ok) {
          throw new PortierError('CURRENT_PASSWORD_INVALID', 'The current password is wrong; nothing was changed.', [
            { path: '/body/currentPassword', message: 'is wrong' },
          ]);
        }
        await users.update(principal.username, { password: request.body.newPassword });
        request.log.info({ username: principal.username }, 'own password changed');
        if (principal.via === 'session') clearSessionCookie(reply);
        return reply.code(204).send(null);
      },
    );
  };
}

function toReply(user: User): z.infer<typeof userReply> {
  return { username: user.username, role: user.role, createdAt: user.createdAt, updatedAt: user.updatedAt };
}
