import { z } from 'zod';
import type { EventBus } from './events/event-bus.js';
import type { ContributionCatalog } from './rules/contribution-catalog.js';
import type { ScheduleService } from './schedules/schedule-service.js';

const schedulePayload = z.object({ schedule: z.string(), name: z.string(), active: z.boolean() });
const actionFailedPayload = z.object({ ruleId: z.string(), ruleName: z.string(), action: z.string(), error: z.string() });
const pluginStatePayload = z.object({ plugin: z.string(), state: z.string(), reason: z.string().optional() });

/**
 * The platform's own events and conditions, under `core/`: schedules (a core
 * stateful condition), failed rule actions, plugin state changes.
 */
export function declareCoreContributions(catalog: ContributionCatalog, bus: EventBus, schedules: ScheduleService): void {
  const core = (name: string) => `core/${name}`;
  catalog.declare({ type: core('schedule'), plugin: 'core', kind: 'event', title: 'Schedule', description: 'A schedule started or ended.', stateful: true, key: ['schedule'] });
  catalog.declare({ type: core('action-failed'), plugin: 'core', kind: 'event', title: 'Rule action failed', stateful: false });
  catalog.declare({ type: core('plugin-state'), plugin: 'core', kind: 'event', title: 'Plugin state changed', stateful: false });
  catalog.declare({ type: core('schedule-active'), plugin: 'core', kind: 'condition', title: 'Schedule is active', description: 'Holds while the schedule is in one of its intervals.' });

  bus.define({ type: core('schedule'), source: 'core', stateful: true, key: ['schedule'], payload: schedulePayload });
  bus.define({ type: core('action-failed'), source: 'core', stateful: false, key: [], payload: actionFailedPayload });
  bus.define({ type: core('plugin-state'), source: 'core', stateful: false, key: [], payload: pluginStatePayload });
  catalog.defineEventSchema(core('schedule'), schedulePayload);
  catalog.defineEventSchema(core('action-failed'), actionFailedPayload);
  catalog.defineEventSchema(core('plugin-state'), pluginStatePayload);

  const scheduleParams = z
    .object({
      schedule: z.string().min(1).describe('Schedule id'),
    })
    .strict()
    .refine((p) => schedules.get(p.schedule) !== undefined, { message: 'no schedule with this id', path: ['schedule'] });
  catalog.defineCondition('core', 'schedule-active', {
    params: scheduleParams,
    watches: [core('schedule')],
    test: (params: unknown) => schedules.isActive((params as { schedule: string }).schedule),
  });

  schedules.onChange((id, active) => {
    const name = schedules.get(id)?.name ?? id;
    bus.emit(core('schedule'), { schedule: id, name, active });
  });
}
