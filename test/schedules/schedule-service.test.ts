import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../sdk/clock.js';
import { PortierError } from '../../sdk/errors.js';
import { FakeClock, type Harness } from '../../sdk/testing/index.js';
import { ScheduleService } from '../../platform/schedules/schedule-service.js';
import { openDatabase } from '../../platform/store/database.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY_0700 = Date.UTC(2026, 0, 5, 7, 0);

const harnesses = harnessPerTest('portier-schedules-');

const officeHours = { kind: 'weekly', name: 'Office hours', intervals: [{ days: ['mon'], start: '08:00', end: '17:00' }] };

function holdDoorDuring(schedule: string) {
  return {
    name: 'Door open during office hours',
    conditions: [{ type: 'core/schedule-active', params: { schedule } }],
    actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
  };
}

const scheduleEvents = (harness: Harness) =>
  harness.events('core/schedule').map((e) => ({ at: new Date(e.time).toISOString(), active: e.payload.active }));

describe('a weekly schedule drives a rule across fake time', () => {
  it('holds the door open Monday 08:00–17:00, announcing core/schedule at each edge', async () => {
    const h = await harnesses.start({ plugins: ['io'], startTime: MONDAY_0700 });
    const schedule = h.createSchedule(officeHours);
    expect(h.kernel.schedules.isActive(schedule.id)).toBe(false);
    const rule = h.createRule(holdDoorDuring(schedule.id));
    expect(h.rule(rule.id).status).toEqual({ bound: true, conditionsHold: false });

    await h.advance(HOUR - 1);
    expect(h.relay('relay-1').active).toBe(false);
    await h.advance(1);
    expect(h.relay('relay-1').active).toBe(true);
    expect(h.rule(rule.id).status.conditionsHold).toBe(true);
    await h.advance(9 * HOUR - 1);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(1);
    expect(h.relay('relay-1').active).toBe(false);

    // The next Monday, the same again; nothing on the days between.
    await h.advance(7 * DAY - 9 * HOUR);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(9 * HOUR);
    expect(h.relay('relay-1').active).toBe(false);

    expect(scheduleEvents(h)).toEqual([
      // Its state is announced when it is made, as every stateful event's is.
      { at: '2026-01-05T07:00:00.000Z', active: false },
      { at: '2026-01-05T08:00:00.000Z', active: true },
      { at: '2026-01-05T17:00:00.000Z', active: false },
      { at: '2026-01-12T08:00:00.000Z', active: true },
      { at: '2026-01-12T17:00:00.000Z', active: false },
    ]);
    expect(h.events('core/schedule')[1]!.payload).toEqual({ schedule: schedule.id, name: 'Office hours', active: true });
    const door = h.events('io/output').filter((e) => e.payload.port === 'relay-1');
    expect(door.map((e) => [new Date(e.time).toISOString(), e.payload.active])).toEqual([
      ['2026-01-05T07:00:00.000Z', false],
      ['2026-01-05T08:00:00.000Z', true],
      ['2026-01-05T17:00:00.000Z', false],
      ['2026-01-12T08:00:00.000Z', true],
      ['2026-01-12T17:00:00.000Z', false],
    ]);
  });

  it('reads the intervals in the device time zone', async () => {
    const h = await harnesses.start({ plugins: ['io'], startTime: MONDAY_0700 - HOUR, timeZone: 'Europe/Stockholm' });
    const schedule = h.createSchedule(officeHours);
    h.createRule(holdDoorDuring(schedule.id));
    await h.advance(HOUR - 1); // 07:59:59.999 in Stockholm (UTC+1)
    expect(h.relay('relay-1').active).toBe(false);
    await h.advance(1);
    expect(h.relay('relay-1').active).toBe(true);
    expect(new Date(h.now()).toISOString()).toBe('2026-01-05T07:00:00.000Z');
  });

  it('a schedule made while it is active announces it and the rule acts at once', async () => {
    const h = await harnesses.start({ plugins: ['io'] }); // Monday 09:00 UTC
    const schedule = h.createSchedule(officeHours);
    expect(h.kernel.schedules.isActive(schedule.id)).toBe(true);
    expect(h.kernel.events.getState('core/schedule', { schedule: schedule.id })).toEqual({ schedule: schedule.id, name: 'Office hours', active: true });
    h.createRule(holdDoorDuring(schedule.id));
    expect(h.relay('relay-1').active).toBe(true);
  });

  it('updating a schedule re-evaluates it now', async () => {
    const h = await harnesses.start({ plugins: ['io'] }); // Monday 09:00 UTC
    const schedule = h.createSchedule(officeHours);
    h.createRule(holdDoorDuring(schedule.id));
    expect(h.relay('relay-1').active).toBe(true);
    h.kernel.schedules.update(schedule.id, { ...officeHours, intervals: [{ days: ['tue'], start: '08:00', end: '17:00' }] });
    expect(h.relay('relay-1').active).toBe(false);
    await h.advance(DAY - HOUR);
    expect(h.relay('relay-1').active).toBe(true);
  });
});

describe('a recurrence (RRULE) schedule', () => {
  it('is active for each occurrence, and not after the last', async () => {
    const h = await harnesses.start({ plugins: ['io'], startTime: MONDAY_0700 });
    const schedule = h.createSchedule({
      kind: 'recurrence',
      name: 'Deliveries',
      start: '2026-01-05T10:00',
      durationMinutes: 30,
      rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3',
    });
    h.createRule(holdDoorDuring(schedule.id));
    await h.advance(14 * DAY);
    const door = h.events('io/output').filter((e) => e.payload.port === 'relay-1' && e.time > MONDAY_0700);
    expect(door.map((e) => [new Date(e.time).toISOString(), e.payload.active])).toEqual([
      ['2026-01-05T10:00:00.000Z', true],
      ['2026-01-05T10:30:00.000Z', false],
      ['2026-01-07T10:00:00.000Z', true],
      ['2026-01-07T10:30:00.000Z', false],
      ['2026-01-12T10:00:00.000Z', true],
      ['2026-01-12T10:30:00.000Z', false],
    ]);
    expect(h.clock.pending()).toBe(0);
  });
});

describe('invalid schedules are refused with the field that is wrong, and nothing is stored', () => {
  const cases: [string, unknown, string[]][] = [
    ['no intervals', { kind: 'weekly', name: 'x', intervals: [] }, ['/intervals']],
    ['a bad day', { kind: 'weekly', name: 'x', intervals: [{ days: ['monday'], start: '08:00', end: '17:00' }] }, ['/intervals/0/days/0']],
    ['a bad time', { kind: 'weekly', name: 'x', intervals: [{ days: ['mon'], start: '08:0', end: '17:00' }] }, ['/intervals/0/start']],
    ['a time past midnight', { kind: 'weekly', name: 'x', intervals: [{ days: ['mon'], start: '08:00', end: '24:30' }] }, ['/intervals/0/end']],
    ['end before start', { kind: 'weekly', name: 'x', intervals: [{ days: ['mon'], start: '17:00', end: '08:00' }] }, ['/intervals/0/end']],
    ['an unknown kind', { kind: 'monthly', name: 'x' }, ['/kind']],
    ['a bad rrule', { kind: 'recurrence', name: 'x', start: '2026-01-05T10:00', durationMinutes: 30, rrule: 'FREQ=FORTNIGHTLY' }, ['/rrule']],
    ['a start not on the calendar', { kind: 'recurrence', name: 'x', start: '2026-02-30T10:00', durationMinutes: 30, rrule: 'FREQ=DAILY' }, ['/start']],
    ['a zero duration', { kind: 'recurrence', name: 'x', start: '2026-01-05T10:00', durationMinutes: 0, rrule: 'FREQ=DAILY' }, ['/durationMinutes']],
  ];
  it.each(cases)('%s', async (_, definition, paths) => {
    const h = await harnesses.start();
    let caught: unknown;
    try {
      h.createSchedule(definition);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PortierError);
    expect((caught as PortierError).code).toBe('SCHEDULE_INVALID');
    expect((caught as PortierError).details.map((d) => d.path)).toEqual(paths);
    expect(h.kernel.schedules.list()).toEqual([]);
    expect(h.kernel.db.prepare('SELECT COUNT(*) AS n FROM schedules').get()).toEqual({ n: 0 });
  });

  it('a rule naming a schedule that does not exist is refused at /conditions/0/params/schedule', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    expect(() => h.createRule(holdDoorDuring('no-such-schedule'))).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID', details: [expect.objectContaining({ path: '/conditions/0/params/schedule' })] }),
    );
  });
});

describe('deleting a schedule', () => {
  it('ends what it held, announces it inactive, and forgets it', async () => {
    const h = await harnesses.start({ plugins: ['io'] }); // Monday 09:00: active
    const schedule = h.createSchedule(officeHours);
    h.createRule(holdDoorDuring(schedule.id));
    expect(h.relay('relay-1').active).toBe(true);
    h.kernel.schedules.delete(schedule.id);
    expect(h.relay('relay-1').active).toBe(false);
    expect(h.kernel.schedules.get(schedule.id)).toBeUndefined();
    expect(h.kernel.schedules.isActive(schedule.id)).toBe(false);
    expect(h.events('core/schedule').map((e) => e.payload.active)).toEqual([true, false]);
    expect(h.kernel.db.prepare('SELECT COUNT(*) AS n FROM schedules').get()).toEqual({ n: 0 });
    // No timer is left behind for it.
    expect(h.clock.pending()).toBe(0);
    expect(() => h.kernel.schedules.delete(schedule.id)).toThrow(expect.objectContaining({ code: 'SCHEDULE_NOT_FOUND' }));
  });
});

describe('schedules persist', () => {
  it('a schedule and the rule using it survive a restart and keep working', async () => {
    const dataDir = harnesses.dataFolder();
    let h = await harnesses.start({ plugins: ['io'], dataDir, startTime: MONDAY_0700 });
    const schedule = h.createSchedule(officeHours);
    h.createRule(holdDoorDuring(schedule.id));
    await h.stop();

    h = await harnesses.start({ plugins: ['io'], dataDir, startTime: MONDAY_0700 + 2 * HOUR });
    expect(h.kernel.schedules.list()).toEqual([{ id: schedule.id, ...officeHours }]);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(8 * HOUR);
    expect(h.relay('relay-1').active).toBe(false);
  });
});

describe('ScheduleService timers', () => {
  /** A clock that records the delays asked of it. */
  class RecordingClock extends FakeClock implements Clock {
    readonly delays: number[] = [];
    override setTimeout(callback: () => void, ms: number): TimerHandle {
      this.delays.push(ms);
      return super.setTimeout(callback, ms);
    }
  }

  it('never asks for a timer longer than Node can hold (2^31 − 1 ms), even for a change months away', async () => {
    const clock = new RecordingClock(Date.UTC(2026, 0, 5, 9, 0));
    const db = openDatabase(':memory:');
    const service = new ScheduleService(db, clock, () => 'UTC');
    const changes: [string, boolean][] = [];
    service.onChange((id, active) => changes.push([id, active]));
    service.create({ kind: 'recurrence', name: 'Yearly', start: '2026-06-01T10:00', durationMinutes: 60, rrule: 'FREQ=YEARLY' }, 'yearly');
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    // Re-arming on the way costs nothing visible: the schedule starts on time.
    await clock.advanceTo(Date.UTC(2026, 5, 1, 10, 0) - 1);
    expect(service.isActive('yearly')).toBe(false);
    await clock.advance(1);
    expect(service.isActive('yearly')).toBe(true);
    expect(changes).toEqual([['yearly', false], ['yearly', true]]);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    service.stop();
    expect(clock.pending()).toBe(0);
    db.close();
  });
});
