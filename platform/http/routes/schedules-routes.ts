import { z } from 'zod';
import type { Schedule } from '../../../sdk/schedules.js';
import { scheduleDefinitionSchema } from '../../../sdk/schedules.js';
import type { Kernel } from '../../kernel.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses, idParams, inBody, noContent } from '../schemas/error-responses.js';

const [weekly, recurrence] = scheduleDefinitionSchema.options;
const stored = {
  id: z.string(),
  active: z.boolean().describe('In one of its intervals right now, in the device time zone'),
};
const scheduleSchema = z.discriminatedUnion('kind', [weekly.extend(stored), recurrence.extend(stored)]).describe('Schedule');

type ScheduleView = z.output<typeof scheduleSchema>;

function scheduleView(kernel: Kernel, schedule: Schedule): ScheduleView {
  return { ...schedule, active: kernel.schedules.isActive(schedule.id) };
}

function need(kernel: Kernel, id: string): Schedule {
  const schedule = kernel.schedules.get(id);
  if (schedule === undefined) throw apiError(404, 'SCHEDULE_NOT_FOUND', `There is no schedule with id "${id}".`);
  return schedule;
}

/**
 * Schedules (weekly intervals, or an iCalendar recurrence), evaluated in the
 * device's time zone; rules use them through the `core/schedule-active`
 * condition. Deleting one a rule uses leaves that rule unbound with the reason.
 */
export function schedulesRoutes(kernel: Kernel): RouteModule {
  return (app: App) => {
    app.get(
      '/schedules',
      {
        config: { access: 'viewer' },
        schema: { tags: ['schedules'], summary: 'Every schedule, and whether it is active now', response: { 200: z.array(scheduleSchema), ...errorResponses() } },
      },
      () => kernel.schedules.list().map((s) => scheduleView(kernel, s)),
    );

    app.get(
      '/schedules/:id',
      {
        config: { access: 'viewer' },
        schema: { tags: ['schedules'], summary: 'One schedule', params: idParams, response: { 200: scheduleSchema, ...errorResponses(404) } },
      },
      (request) => scheduleView(kernel, need(kernel, request.params.id)),
    );

    app.post(
      '/schedules',
      {
        config: { access: 'operator' },
        schema: { tags: ['schedules'], summary: 'Create a schedule', body: scheduleDefinitionSchema, response: { 201: scheduleSchema, ...errorResponses(422) } },
      },
      async (request, reply) => {
        const schedule = inBody(() => kernel.schedules.create(request.body));
        return reply.code(201).send(scheduleView(kernel, schedule));
      },
    );

    app.put(
      '/schedules/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['schedules'],
          summary: 'Replace a schedule',
          params: idParams,
          body: scheduleDefinitionSchema,
          response: { 200: scheduleSchema, ...errorResponses(404, 422) },
        },
      },
      (request) => {
        need(kernel, request.params.id);
        return scheduleView(kernel, inBody(() => kernel.schedules.update(request.params.id, request.body)));
      },
    );

    app.delete(
      '/schedules/:id',
      {
        config: { access: 'operator' },
        schema: { tags: ['schedules'], summary: 'Delete a schedule', params: idParams, response: { 204: noContent, ...errorResponses(404) } },
      },
      async (request, reply) => {
        need(kernel, request.params.id);
        kernel.schedules.delete(request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
