import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../sdk/testing/index.js';

describe('rules are checked again when what they name changes', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('a rule whose schedule is deleted shows unbound with the reason', async () => {
    h = await startHarness({ plugins: ['io'] });
    const schedule = h.createSchedule({ kind: 'weekly', name: 'Office hours', intervals: [{ days: ['mon'], start: '08:00', end: '17:00' }] });
    const rule = h.createRule({
      name: 'Door open in office hours',
      conditions: [{ type: 'core/schedule-active', params: { schedule: schedule.id } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
    });
    expect(h.rule(rule.id).status.bound).toBe(true);
    expect(h.relay('relay-1').active).toBe(true); // Monday 09:00

    h.kernel.schedules.delete(schedule.id);
    const status = h.rule(rule.id).status;
    expect(status.bound).toBe(false);
    expect(status.reason).toBe('parameters no longer valid: /conditions/0/params/schedule: no schedule with this id');
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('a rule naming a port that is renamed shows unbound, and binds again under the new name', async () => {
    h = await startHarness({ plugins: ['io'] });
    const rule = h.createRule({
      name: 'Open door',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 7 } }],
    });
    h.kernel.settings.replace('io', { ports: { 'relay-1': { name: 'Front door' } } });
    expect(h.rule(rule.id).status).toMatchObject({
      bound: false,
      reason: 'parameters no longer valid: /actions/0/params/port: expected the id or name of a relay or output port in use',
    });
    h.kernel.rules.update(rule.id, {
      name: 'Open door',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Front door', duration: 7 } }],
    });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
  });
});
