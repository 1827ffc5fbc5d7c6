import { describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, portierPerTest } from '../support/test-portier.js';

const VIEWER = { username: 'vera', password: 'viewer password' };

const portier = portierPerTest();
const start = (): Promise<TestPortier> => portier.start();

const officeHours = {
  kind: 'weekly',
  name: 'Office hours',
  intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }],
};
const always = { kind: 'weekly', name: 'Always', intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }] };

describe('schedules CRUD', () => {
  it('creates, reads, replaces and deletes schedules, showing whether each is active now', async () => {
    const p = await start();
    const created = await p.request('POST', '/api/v1/schedules', { user: ADMIN, body: officeHours });
    expect(created.status).toBe(201);
    const { id } = created.body;
    expect(created.body).toEqual({ id, ...officeHours, active: expect.any(Boolean) });

    await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
    expect((await p.request('GET', '/api/v1/schedules', { user: VIEWER })).body).toEqual([created.body]);
    expect((await p.request('GET', `/api/v1/schedules/${id}`, { user: VIEWER })).body).toEqual(created.body);
    expect((await p.request('POST', '/api/v1/schedules', { user: VIEWER, body: officeHours })).status).toBe(403);

    const replaced = await p.request('PUT', `/api/v1/schedules/${id}`, { user: ADMIN, body: always });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ id, ...always, active: true });

    const recurring = await p.request('POST', '/api/v1/schedules', {
      user: ADMIN,
      body: { kind: 'recurrence', name: 'Cleaning', start: '2026-01-05T08:00', durationMinutes: 90, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE' },
    });
    expect(recurring.status).toBe(201);
    expect(recurring.body).toMatchObject({ kind: 'recurrence', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', durationMinutes: 90 });

    const deleted = await p.request('DELETE', `/api/v1/schedules/${id}`, { user: ADMIN });
    expect(deleted.status).toBe(204);
    expect((await p.request('GET', `/api/v1/schedules/${id}`, { user: ADMIN })).status).toBe(404);
    expect((await p.request('GET', '/api/v1/schedules', { user: ADMIN })).body).toHaveLength(1);
  });

  it('a rule on a schedule holds while it is active, and is unbound with the reason once it is deleted', async () => {
    const p = await start();
    const schedule = (await p.request('POST', '/api/v1/schedules', { user: ADMIN, body: always })).body;
    const rule = await p.request('POST', '/api/v1/rules', {
      user: ADMIN,
      body: {
        name: 'Door open all day',
        conditions: [{ type: 'core/schedule-active', params: { schedule: schedule.id } }],
        actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
      },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.status).toEqual({ bound: true, conditionsHold: true });
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(true);

    await p.request('DELETE', `/api/v1/schedules/${schedule.id}`, { user: ADMIN });
    const after = (await p.request('GET', `/api/v1/rules/${rule.body.id}`, { user: ADMIN })).body;
    expect(after.status).toMatchObject({ bound: false, reason: 'parameters no longer valid: /conditions/0/params/schedule: no schedule with this id' });
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(false);
  });

  it('answers 404 for an unknown schedule, 400 for a malformed one and 422 for a recurrence that cannot run, changing nothing', async () => {
    const p = await start();
    for (const [method, body] of [['GET', undefined], ['PUT', always], ['DELETE', undefined]] as const) {
      const reply = await p.request(method, '/api/v1/schedules/nope', { user: ADMIN, ...(body === undefined ? {} : { body }) });
      expect(reply.status, method).toBe(404);
      expect(reply.body).toMatchObject({ code: 'SCHEDULE_NOT_FOUND', message: 'There is no schedule with id "nope".' });
    }

    const backwards = await p.request('POST', '/api/v1/schedules', {
      user: ADMIN,
      body: { ...officeHours, intervals: [{ days: ['mon'], start: '17:00', end: '08:00' }] },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toEqual([{ path: '/body/intervals/0/end', message: 'end must be after start on the same day' }]);

    const badDay = await p.request('POST', '/api/v1/schedules', { user: ADMIN, body: { ...officeHours, intervals: [{ days: ['someday'], start: '08:00', end: '09:00' }] } });
    expect(badDay.status).toBe(400);
    expect(badDay.body.details[0].path).toBe('/body/intervals/0/days/0');

    const badRule = await p.request('POST', '/api/v1/schedules', {
      user: ADMIN,
      body: { kind: 'recurrence', name: 'Broken', start: '2026-01-05T08:00', durationMinutes: 60, rrule: 'FREQ=SOMETIMES' },
    });
    expect(badRule.status).toBe(422);
    expect(badRule.body.code).toBe('SCHEDULE_INVALID');
    expect(badRule.body.details[0].path).toBe('/body/rrule');

    expect((await p.request('GET', '/api/v1/schedules', { user: ADMIN })).body).toEqual([]);
  });
});
