import { describe, expect, it } from 'vitest';
import { PortierError } from '../../sdk/errors.js';
import { WEEKDAYS, scheduleDefinitionSchema, type ScheduleDefinition } from '../../sdk/schedules.js';
import {
  isScheduleActive,
  nextScheduleChange,
  scheduleState,
  validateSchedule,
} from '../../platform/schedules/schedule-evaluator.js';

type Weekday = (typeof WEEKDAYS)[number];
type Interval = { days: Weekday[]; start: string; end: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const t = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`bad test instant ${iso}`);
  return value;
};

function weekly(...intervals: Interval[]): ScheduleDefinition {
  // Parsing keeps the fixtures honest: each one is a definition users could save.
  return scheduleDefinitionSchema.parse({ kind: 'weekly', name: 'test', intervals });
}

function recurrence(start: string, durationMinutes: number, rrule: string): ScheduleDefinition {
  return scheduleDefinitionSchema.parse({ kind: 'recurrence', name: 'test', start, durationMinutes, rrule });
}

/** Every change in [from, from + days), each checked to flip the state. */
function walkChanges(schedule: ScheduleDefinition, from: number, timeZone: string, days: number): number[] {
  const changes: number[] = [];
  let at = from;
  for (;;) {
    const next = nextScheduleChange(schedule, at, timeZone);
    if (next === null || next >= from + days * DAY) return changes;
    expect(next).toBeGreaterThan(at);
    expect(isScheduleActive(schedule, next, timeZone)).not.toBe(isScheduleActive(schedule, next - 1, timeZone));
    changes.push(next);
    at = next;
  }
}

/** Samples between changes must agree with the state at the change before them: no change was skipped. */
function expectNoHiddenChanges(schedule: ScheduleDefinition, from: number, timeZone: string, days: number): number[] {
  const changes = walkChanges(schedule, from, timeZone, days);
  const edges = [from, ...changes, from + days * DAY];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [start, end] = [edges[i]!, edges[i + 1]!];
    const expected = isScheduleActive(schedule, start, timeZone);
    for (let at = start; at < end; at += 7 * MINUTE) {
      expect(isScheduleActive(schedule, at, timeZone), new Date(at).toISOString()).toBe(expected);
    }
    expect(isScheduleActive(schedule, end - 1, timeZone)).toBe(expected);
  }
  return changes;
}

const iso = (instants: number[]): string[] => instants.map((i) => new Date(i).toISOString());

describe('weekly schedules', () => {
  // 2026-01-05 is a Monday.
  const officeHours = weekly({ days: ['mon'], start: '08:00', end: '17:00' });

  it('is active from the start inclusive to the end exclusive', () => {
    expect(isScheduleActive(officeHours, t('2026-01-05T07:59:59.999Z'), 'UTC')).toBe(false);
    expect(isScheduleActive(officeHours, t('2026-01-05T08:00:00Z'), 'UTC')).toBe(true);
    expect(isScheduleActive(officeHours, t('2026-01-05T16:59:59.999Z'), 'UTC')).toBe(true);
    expect(isScheduleActive(officeHours, t('2026-01-05T17:00:00Z'), 'UTC')).toBe(false);
  });

  it('applies only on the listed weekdays', () => {
    expect(isScheduleActive(officeHours, t('2026-01-04T10:00:00Z'), 'UTC')).toBe(false); // Sunday
    expect(isScheduleActive(officeHours, t('2026-01-06T10:00:00Z'), 'UTC')).toBe(false); // Tuesday
    expect(isScheduleActive(officeHours, t('2026-01-12T10:00:00Z'), 'UTC')).toBe(true); // next Monday
  });

  it('reports the next change strictly after the instant', () => {
    expect(nextScheduleChange(officeHours, t('2026-01-05T07:00:00Z'), 'UTC')).toBe(t('2026-01-05T08:00:00Z'));
    expect(nextScheduleChange(officeHours, t('2026-01-05T08:00:00Z'), 'UTC')).toBe(t('2026-01-05T17:00:00Z'));
    expect(nextScheduleChange(officeHours, t('2026-01-05T17:00:00Z'), 'UTC')).toBe(t('2026-01-12T08:00:00Z'));
    expect(nextScheduleChange(officeHours, t('2026-01-09T12:00:00Z'), 'UTC')).toBe(t('2026-01-12T08:00:00Z'));
    expect(scheduleState(officeHours, t('2026-01-05T12:00:00Z'), 'UTC')).toEqual({
      active: true,
      nextChange: t('2026-01-05T17:00:00Z'),
    });
  });

  it('reads the intervals in local time of the given zone', () => {
    // January in Stockholm is UTC+1.
    expect(isScheduleActive(officeHours, t('2026-01-05T06:59:00Z'), 'Europe/Stockholm')).toBe(false);
    expect(isScheduleActive(officeHours, t('2026-01-05T07:00:00Z'), 'Europe/Stockholm')).toBe(true);
    expect(nextScheduleChange(officeHours, t('2026-01-05T07:00:00Z'), 'Europe/Stockholm')).toBe(t('2026-01-05T16:00:00Z'));
    // A Monday evening in New York is already Tuesday in UTC.
    const evening = weekly({ days: ['mon'], start: '20:00', end: '23:00' });
    expect(isScheduleActive(evening, t('2026-01-06T02:00:00Z'), 'America/New_York')).toBe(true);
  });

  it('treats 24:00 as the following midnight', () => {
    const lateFriday = weekly({ days: ['fri'], start: '20:00', end: '24:00' });
    expect(isScheduleActive(lateFriday, t('2026-01-09T23:59:59.999Z'), 'UTC')).toBe(true);
    expect(isScheduleActive(lateFriday, t('2026-01-10T00:00:00Z'), 'UTC')).toBe(false);
    expect(nextScheduleChange(lateFriday, t('2026-01-09T21:00:00Z'), 'UTC')).toBe(t('2026-01-10T00:00:00Z'));
  });

  it('merges adjacent intervals: no change where one ends and the next begins', () => {
    const split = weekly({ days: ['mon'], start: '08:00', end: '12:00' }, { days: ['mon'], start: '12:00', end: '17:00' });
    expect(isScheduleActive(split, t('2026-01-05T12:00:00Z'), 'UTC')).toBe(true);
    expect(nextScheduleChange(split, t('2026-01-05T09:00:00Z'), 'UTC')).toBe(t('2026-01-05T17:00:00Z'));
  });

  it('merges overlapping intervals, also when listed out of order', () => {
    const overlapping = weekly(
      { days: ['tue', 'mon'], start: '10:00', end: '17:00' },
      { days: ['mon'], start: '08:00', end: '13:00' },
      { days: ['mon'], start: '09:00', end: '10:00' },
    );
    expect(nextScheduleChange(overlapping, t('2026-01-05T07:00:00Z'), 'UTC')).toBe(t('2026-01-05T08:00:00Z'));
    expect(nextScheduleChange(overlapping, t('2026-01-05T08:00:00Z'), 'UTC')).toBe(t('2026-01-05T17:00:00Z'));
    expect(nextScheduleChange(overlapping, t('2026-01-05T17:00:00Z'), 'UTC')).toBe(t('2026-01-06T10:00:00Z'));
  });

  it('runs continuously from one day into the next', () => {
    const overnight = weekly({ days: ['tue'], start: '22:00', end: '24:00' }, { days: ['wed'], start: '00:00', end: '06:00' });
    expect(nextScheduleChange(overnight, t('2026-01-06T22:00:00Z'), 'UTC')).toBe(t('2026-01-07T06:00:00Z'));
  });

  it('runs continuously across the end of the week', () => {
    const sundayNight = weekly({ days: ['sun'], start: '22:00', end: '24:00' }, { days: ['mon'], start: '00:00', end: '02:00' });
    // 2026-01-11 is a Sunday.
    expect(nextScheduleChange(sundayNight, t('2026-01-11T21:00:00Z'), 'UTC')).toBe(t('2026-01-11T22:00:00Z'));
    expect(nextScheduleChange(sundayNight, t('2026-01-11T22:00:00Z'), 'UTC')).toBe(t('2026-01-12T02:00:00Z'));
    expect(isScheduleActive(sundayNight, t('2026-01-12T00:00:00Z'), 'UTC')).toBe(true);
    expect(nextScheduleChange(sundayNight, t('2026-01-12T01:00:00Z'), 'UTC')).toBe(t('2026-01-12T02:00:00Z'));
    expect(nextScheduleChange(sundayNight, t('2026-01-12T02:00:00Z'), 'UTC')).toBe(t('2026-01-18T22:00:00Z'));
  });

  it('is always active, and never changes, when the week is covered', () => {
    const always = weekly({ days: [...WEEKDAYS], start: '00:00', end: '24:00' });
    expect(scheduleState(always, t('2026-03-29T01:30:00Z'), 'Europe/Stockholm')).toEqual({ active: true, nextChange: null });
    const coveredInPieces = weekly(
      { days: ['mon', 'tue', 'wed', 'thu'], start: '00:00', end: '24:00' },
      { days: ['fri', 'sat', 'sun'], start: '00:00', end: '12:00' },
      { days: ['fri', 'sat', 'sun'], start: '12:00', end: '24:00' },
    );
    expect(scheduleState(coveredInPieces, t('2026-01-05T00:00:00Z'), 'UTC')).toEqual({ active: true, nextChange: null });
  });

  it('matches a naive minute-of-week check in UTC (generated schedules)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const hhmm = (minutes: number): string =>
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    for (let round = 0; round < 10; round++) {
      const intervals: Interval[] = [];
      for (let i = 0; i < 1 + random(5); i++) {
        const start = random(96) * 15;
        const end = start + 15 * (1 + random(96 - start / 15));
        intervals.push({ days: WEEKDAYS.filter(() => random(3) === 0).concat('wed'), start: hhmm(start), end: hhmm(end) });
      }
      const schedule = weekly(...intervals);
      const naive = (at: number): boolean => {
        const date = new Date(at);
        const day = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
        const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
        return intervals.some((i) => {
          const [sh, sm] = i.start.split(':').map(Number) as [number, number];
          const [eh, em] = i.end.split(':').map(Number) as [number, number];
          return i.days.includes(day) && minute >= sh * 60 + sm && minute < eh * 60 + em;
        });
      };
      const from = t('2026-01-05T00:00:00Z');
      for (let at = from; at < from + 8 * DAY; at += 15 * MINUTE) {
        expect(isScheduleActive(schedule, at, 'UTC')).toBe(naive(at));
      }
      expectNoHiddenChanges(schedule, from, 'UTC', 14);
    }
  });

  describe('daylight saving time, Europe/Stockholm', () => {
    const zone = 'Europe/Stockholm';
    // Spring forward 2026-03-29: 02:00 CET (01:00Z) becomes 03:00 CEST.
    // Fall back 2026-10-25: 03:00 CEST (01:00Z) becomes 02:00 CET.

    it('keeps wall-clock times across the change', () => {
      const mornings = weekly({ days: ['mon'], start: '08:00', end: '09:00' });
      expect(nextScheduleChange(mornings, t('2026-03-22T12:00:00Z'), zone)).toBe(t('2026-03-23T07:00:00Z'));
      expect(nextScheduleChange(mornings, t('2026-03-29T12:00:00Z'), zone)).toBe(t('2026-03-30T06:00:00Z'));
      expect(nextScheduleChange(mornings, t('2026-10-25T12:00:00Z'), zone)).toBe(t('2026-10-26T07:00:00Z'));
    });

    it('spring forward: a start in the skipped hour begins at the next valid instant', () => {
      const night = weekly({ days: ['sun'], start: '02:30', end: '04:00' });
      expect(nextScheduleChange(night, t('2026-03-28T12:00:00Z'), zone)).toBe(t('2026-03-29T01:00:00Z'));
      expect(isScheduleActive(night, t('2026-03-29T00:59:59.999Z'), zone)).toBe(false);
      expect(isScheduleActive(night, t('2026-03-29T01:00:00Z'), zone)).toBe(true);
      expect(nextScheduleChange(night, t('2026-03-29T01:00:00Z'), zone)).toBe(t('2026-03-29T02:00:00Z'));
    });

    it('spring forward: an interval spanning the gap is an hour shorter', () => {
      const night = weekly({ days: ['sun'], start: '01:00', end: '04:00' });
      expect(walkChanges(night, t('2026-03-28T12:00:00Z'), zone, 1)).toEqual([t('2026-03-29T00:00:00Z'), t('2026-03-29T02:00:00Z')]);
    });

    it('spring forward: an interval inside the skipped hour does not happen that day', () => {
      const skipped = weekly({ days: ['sun'], start: '02:10', end: '02:50' });
      expect(isScheduleActive(skipped, t('2026-03-29T01:00:00Z'), zone)).toBe(false);
      // The next Sunday, 02:10 CEST.
      expect(nextScheduleChange(skipped, t('2026-03-28T12:00:00Z'), zone)).toBe(t('2026-04-05T00:10:00Z'));
    });

    it('spring forward: intervals ending and starting at the edges of the gap join up', () => {
      const joined = weekly({ days: ['sun'], start: '00:00', end: '02:00' }, { days: ['sun'], start: '03:00', end: '05:00' });
      expect(nextScheduleChange(joined, t('2026-03-28T23:30:00Z'), zone)).toBe(t('2026-03-29T03:00:00Z'));
      // Any other Sunday they are two separate intervals.
      expect(nextScheduleChange(joined, t('2026-03-21T23:30:00Z'), zone)).toBe(t('2026-03-22T01:00:00Z'));
    });

    it('fall back: times in the repeated hour mean their first occurrence', () => {
      const night = weekly({ days: ['sun'], start: '02:30', end: '04:00' });
      // 02:30 CEST is 00:30Z; 04:00 CET is 03:00Z: active 2.5 hours, through the repeated hour.
      expect(walkChanges(night, t('2026-10-24T12:00:00Z'), zone, 1)).toEqual([t('2026-10-25T00:30:00Z'), t('2026-10-25T03:00:00Z')]);
      expect(isScheduleActive(night, t('2026-10-25T01:30:00Z'), zone)).toBe(true); // 02:30 CET, the second time round

      const early = weekly({ days: ['sun'], start: '00:00', end: '02:30' });
      expect(walkChanges(early, t('2026-10-24T12:00:00Z'), zone, 1)).toEqual([t('2026-10-24T22:00:00Z'), t('2026-10-25T00:30:00Z')]);
      expect(isScheduleActive(early, t('2026-10-25T01:15:00Z'), zone)).toBe(false); // 02:15 CET
    });

    it('has no hidden changes over the two weeks around each transition', () => {
      const busy = weekly(
        { days: ['sat', 'sun'], start: '01:30', end: '02:45' },
        { days: ['sun'], start: '02:45', end: '03:15' },
        { days: ['mon', 'wed', 'fri'], start: '08:00', end: '17:00' },
        { days: ['sat'], start: '22:00', end: '24:00' },
        { days: ['sun'], start: '00:00', end: '01:00' },
      );
      expect(expectNoHiddenChanges(busy, t('2026-03-22T00:00:00Z'), zone, 14).length).toBeGreaterThan(10);
      expect(expectNoHiddenChanges(busy, t('2026-10-18T00:00:00Z'), zone, 14).length).toBeGreaterThan(10);
    });
  });

  describe('daylight saving time, America/New_York', () => {
    const zone = 'America/New_York';
    // Spring forward 2026-03-08: 02:00 EST (07:00Z) becomes 03:00 EDT.
    // Fall back 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST.

    it('spring forward', () => {
      const night = weekly({ days: ['sun'], start: '02:15', end: '03:30' });
      expect(walkChanges(night, t('2026-03-07T12:00:00Z'), zone, 1)).toEqual([t('2026-03-08T07:00:00Z'), t('2026-03-08T07:30:00Z')]);
      expect(walkChanges(night, t('2026-03-14T12:00:00Z'), zone, 1)).toEqual([t('2026-03-15T06:15:00Z'), t('2026-03-15T07:30:00Z')]);
    });

    it('fall back', () => {
      const repeated = weekly({ days: ['sun'], start: '01:30', end: '01:45' });
      expect(walkChanges(repeated, t('2026-10-31T12:00:00Z'), zone, 1)).toEqual([t('2026-11-01T05:30:00Z'), t('2026-11-01T05:45:00Z')]);
      expect(isScheduleActive(repeated, t('2026-11-01T06:35:00Z'), zone)).toBe(false); // 01:35 EST
      // 01:00 EDT to 02:00 EST: two hours pass.
      const hour = weekly({ days: ['sun'], start: '01:00', end: '02:00' });
      expect(walkChanges(hour, t('2026-10-31T12:00:00Z'), zone, 1)).toEqual([t('2026-11-01T05:00:00Z'), t('2026-11-01T07:00:00Z')]);
    });

    it('has no hidden changes over two weeks around each transition', () => {
      const schedule = weekly(
        { days: ['sun'], start: '01:00', end: '02:30' },
        { days: ['tue', 'thu'], start: '09:00', end: '12:00' },
        { days: ['sat'], start: '23:00', end: '24:00' },
      );
      expectNoHiddenChanges(schedule, t('2026-03-01T00:00:00Z'), zone, 14);
      expectNoHiddenChanges(schedule, t('2026-10-25T00:00:00Z'), zone, 14);
    });
  });
});

describe('recurrence schedules', () => {
  it('follows a weekly rule with BYDAY until an UTC UNTIL, inclusive', () => {
    // Mondays and Wednesdays 08:00-09:30 Stockholm (07:00Z in winter); UNTIL is 08:00 local on the 21st.
    const schedule = recurrence('2026-01-05T08:00', 90, 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260121T070000Z');
    const zone = 'Europe/Stockholm';
    expect(isScheduleActive(schedule, t('2026-01-06T07:30:00Z'), zone)).toBe(false);
    expect(isScheduleActive(schedule, t('2026-01-07T07:30:00Z'), zone)).toBe(true);
    expect(nextScheduleChange(schedule, t('2026-01-07T07:30:00Z'), zone)).toBe(t('2026-01-07T08:30:00Z'));
    const changes = walkChanges(schedule, t('2026-01-01T00:00:00Z'), zone, 60);
    expect(iso(changes.filter((_, i) => i % 2 === 0))).toEqual(
      ['05', '07', '12', '14', '19', '21'].map((day) => `2026-01-${day}T07:00:00.000Z`),
    );
    expect(nextScheduleChange(schedule, t('2026-01-21T08:30:00Z'), zone)).toBeNull();
  });

  it('reads UNTIL without Z as local time, and a bare date as the whole day', () => {
    const zone = 'Europe/Stockholm';
    const lastStart = (rrule: string): string => {
      const starts = walkChanges(recurrence('2026-01-05T08:00', 60, rrule), t('2026-01-01T00:00:00Z'), zone, 60).filter(
        (_, i) => i % 2 === 0,
      );
      return iso(starts).at(-1) ?? 'none';
    };
    expect(lastStart('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260121T080000')).toBe('2026-01-21T07:00:00.000Z');
    expect(lastStart('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260121T075959')).toBe('2026-01-19T07:00:00.000Z');
    expect(lastStart('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260121')).toBe('2026-01-21T07:00:00.000Z');
  });

  it('has no next change once COUNT is exhausted', () => {
    const schedule = recurrence('2026-01-05T08:00', 30, 'FREQ=DAILY;COUNT=3');
    expect(nextScheduleChange(schedule, t('2026-01-01T00:00:00Z'), 'UTC')).toBe(t('2026-01-05T08:00:00Z'));
    expect(scheduleState(schedule, t('2026-01-07T08:10:00Z'), 'UTC')).toEqual({ active: true, nextChange: t('2026-01-07T08:30:00Z') });
    expect(scheduleState(schedule, t('2026-01-07T08:30:00Z'), 'UTC')).toEqual({ active: false, nextChange: null });
    expect(scheduleState(schedule, t('2027-06-01T00:00:00Z'), 'UTC')).toEqual({ active: false, nextChange: null });
  });

  it('joins overlapping and back-to-back occurrences into one activity', () => {
    const overlapping = recurrence('2026-01-05T08:00', 2 * 24 * 60, 'FREQ=DAILY;COUNT=3');
    expect(nextScheduleChange(overlapping, t('2026-01-05T09:00:00Z'), 'UTC')).toBe(t('2026-01-09T08:00:00Z'));
    const backToBack = recurrence('2026-01-05T08:00', 60, 'FREQ=HOURLY;COUNT=5');
    expect(walkChanges(backToBack, t('2026-01-05T00:00:00Z'), 'UTC', 2)).toEqual([t('2026-01-05T08:00:00Z'), t('2026-01-05T13:00:00Z')]);
  });

  it('reports no change for an activity that never ends', () => {
    const always = recurrence('2026-01-05T00:00', 24 * 60, 'FREQ=DAILY');
    expect(scheduleState(always, t('2026-05-01T12:00:00Z'), 'UTC')).toEqual({ active: true, nextChange: null });
  });

  it('finds sparse occurrences years ahead', () => {
    const leapDay = recurrence('2028-02-29T00:00', 24 * 60, 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29');
    expect(nextScheduleChange(leapDay, t('2029-01-01T00:00:00Z'), 'UTC')).toBe(t('2032-02-29T00:00:00Z'));
  });

  it('recurs at the same wall-clock time across DST', () => {
    const daily = recurrence('2026-03-27T08:00', 60, 'FREQ=DAILY;COUNT=4');
    expect(iso(walkChanges(daily, t('2026-03-26T00:00:00Z'), 'Europe/Stockholm', 7))).toEqual([
      '2026-03-27T07:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T07:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('starts an occurrence in the skipped hour at the next valid instant, and in the repeated hour the first time', () => {
    const spring = recurrence('2026-03-28T02:30', 60, 'FREQ=DAILY;COUNT=3');
    expect(iso(walkChanges(spring, t('2026-03-28T00:00:00Z'), 'Europe/Stockholm', 3))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-28T02:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-30T01:30:00.000Z',
    ]);
    const autumn = recurrence('2026-11-01T01:30', 30, 'FREQ=DAILY;COUNT=1');
    expect(walkChanges(autumn, t('2026-10-31T00:00:00Z'), 'America/New_York', 3)).toEqual([t('2026-11-01T05:30:00Z'), t('2026-11-01T06:00:00Z')]);
  });

  it('measures the duration in elapsed time', () => {
    // 22:00 CEST plus ten hours is 07:00 CET, the night the clocks go back.
    const overnight = recurrence('2026-10-24T22:00', 600, 'FREQ=DAILY;COUNT=1');
    expect(walkChanges(overnight, t('2026-10-24T00:00:00Z'), 'Europe/Stockholm', 3)).toEqual([t('2026-10-24T20:00:00Z'), t('2026-10-25T06:00:00Z')]);
  });

  it('has no hidden changes over two weeks', () => {
    const zone = 'Europe/Stockholm';
    const workdays = recurrence('2026-03-02T07:45', 135, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(expectNoHiddenChanges(workdays, t('2026-03-22T00:00:00Z'), zone, 14)).toHaveLength(20);
    const overlapping = recurrence('2026-10-20T01:15', 7 * 60, 'FREQ=HOURLY;INTERVAL=9');
    expectNoHiddenChanges(overlapping, t('2026-10-18T00:00:00Z'), zone, 14);
  });
});

describe('validateSchedule', () => {
  const base = { kind: 'recurrence' as const, name: 'test', start: '2026-01-05T08:00', durationMinutes: 60 };

  it('accepts good rules and weekly schedules', () => {
    expect(validateSchedule({ ...base, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231T000000Z' })).toEqual([]);
    expect(validateSchedule({ ...base, rrule: 'RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=12' })).toEqual([]);
    expect(validateSchedule(weekly({ days: ['mon'], start: '08:00', end: '17:00' }))).toEqual([]);
  });

  it("reports a rule that doesn't parse with the library's complaint", () => {
    const details = validateSchedule({ ...base, rrule: 'FREQ=DAILY;SOMETIMES=1' });
    expect(details).toHaveLength(1);
    expect(details[0]?.path).toBe('/rrule');
    expect(details[0]?.message).toContain("Unknown RRULE property 'SOMETIMES'");
    expect(validateSchedule({ ...base, rrule: 'FREQ=DAILY;UNTIL=2026' })[0]?.message).toContain('Invalid UNTIL value: 2026');
  });

  it('reports what the lenient parser lets through', () => {
    const message = (rrule: string): string => validateSchedule({ ...base, rrule }).map((d) => d.message).join(' | ');
    expect(message('FREQ=SOMETIMES')).toMatch(/Unknown frequency FREQ=SOMETIMES/);
    expect(message('FREQ=WEEKLY;BYDAY=MO,XX')).toMatch(/Unknown day "XX" in BYDAY/);
    expect(message('FREQ=DAILY;COUNT=ten')).toMatch(/COUNT=ten is not a whole number/);
    expect(message('FREQ=DAILY;INTERVAL=0')).toMatch(/INTERVAL must be at least 1/);
    expect(message('FREQ=DAILY;COUNT=3;UNTIL=20261231T000000Z')).toMatch(/either COUNT or UNTIL/);
    expect(message('FREQ=DAILY;BYSETPOS=0')).toMatch(/bysetpos must be between/);
    expect(message('FREQ=DAILY;')).toMatch(/stray ";"/);
  });

  it('requires FREQ', () => {
    expect(validateSchedule({ ...base, rrule: 'BYDAY=MO' })).toEqual([
      { path: '/rrule', message: expect.stringMatching(/Add a frequency/) },
    ]);
  });

  it('rejects DTSTART, in either spelling', () => {
    for (const rrule of ['DTSTART:20260105T080000Z\nRRULE:FREQ=DAILY', 'FREQ=DAILY;DTSTART=20260105T080000Z', 'DTSTART;TZID=Europe/Stockholm:20260105T080000\nRRULE:FREQ=DAILY']) {
      expect(validateSchedule({ ...base, rrule })).toEqual([{ path: '/rrule', message: expect.stringMatching(/Remove DTSTART/) }]);
    }
  });

  it('rejects a start that is not on the calendar', () => {
    expect(validateSchedule({ ...base, start: '2026-02-30T08:00', rrule: 'FREQ=DAILY' })).toEqual([
      { path: '/start', message: expect.stringContaining('2026-02-30T08:00') },
    ]);
  });

  it('makes evaluation of an invalid schedule throw the same details', () => {
    const schedule = { ...base, rrule: 'FREQ=DAILY;SOMETIMES=1' };
    const error = (() => {
      try {
        isScheduleActive(schedule, Date.now(), 'UTC');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PortierError);
    expect((error as PortierError).code).toBe('SCHEDULE_INVALID');
    expect((error as PortierError).details).toEqual(validateSchedule(schedule));
  });

  it('rejects an unknown time zone', () => {
    expect(() => isScheduleActive(weekly({ days: ['mon'], start: '08:00', end: '17:00' }), Date.now(), 'Mars/Olympus')).toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    );
  });
});
