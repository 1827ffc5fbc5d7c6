import { z } from 'zod';
import type { Unsubscribe } from './ports.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const timeOfDay = z.string().regex(TIME_OF_DAY, 'expected a time of day as HH:MM (00:00 to 24:00)');

export const weeklyIntervalSchema = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1, 'pick at least one day'),
    start: timeOfDay,
    end: timeOfDay,
  })
  .strict()
  // Only comparable once both are well-formed; otherwise the format error says it all.
  .refine((i) => !TIME_OF_DAY.test(i.start) || !TIME_OF_DAY.test(i.end) || i.start < i.end, {
    message: 'end must be after start on the same day',
    path: ['end'],
  });

export const scheduleDefinitionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('weekly'),
      name: z.string().min(1).max(80),
      intervals: z.array(weeklyIntervalSchema).min(1, 'a weekly schedule needs at least one interval'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('recurrence'),
      name: z.string().min(1).max(80),
      /** First occurrence, local time of the device: `2026-01-05T08:00`. */
      start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected a local date and time as YYYY-MM-DDTHH:MM'),
      /** Length of each occurrence in minutes. */
      durationMinutes: z.number().int().min(1).max(60 * 24 * 31),
      /** An iCalendar RRULE (RFC 5545), e.g. `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231T000000Z`. */
      rrule: z.string().min(1),
    })
    .strict(),
]);

export type ScheduleDefinition = z.infer<typeof scheduleDefinitionSchema>;
export type Schedule = ScheduleDefinition & { id: string };

/** Schedules are a core stateful condition; plugins read them (contact availability). */
export interface SchedulesApi {
  list(): Schedule[];
  get(id: string): Schedule | undefined;
  isActive(id: string): boolean;
  onChange(listener: (id: string, active: boolean) => void): Unsubscribe;
}
