import { describe, expect, it } from 'vitest';
import { IO_SERVICE } from '../../sdk/services/io.js';
import type { Harness } from '../../sdk/testing/index.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const harnesses = harnessPerTest();

async function io(settings?: unknown): Promise<Harness> {
  return harnesses.start(settings === undefined ? { plugins: ['io'] } : { plugins: ['io'], settings: { io: settings } });
}

const relayOutputs = (harness: Harness, port: string): boolean[] =>
  harness.events('io/output').filter((e) => e.payload.port === port).map((e) => e.payload.active as boolean);

describe('trigger with a filter', () => {
  it('fires only for the port and state the filter names', async () => {
    const h = await io();
    h.createRule({
      name: 'I2 released opens relay 2',
      trigger: { event: 'io/input', filter: { port: 'io-2', active: false } },
      actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', duration: 3 } }],
    });
    h.setInput('io-1', true);
    h.setInput('io-1', false);
    expect(h.relay('relay-2').active).toBe(false);
    h.setInput('io-2', true);
    expect(h.relay('relay-2').active).toBe(false);
    h.setInput('io-2', false);
    expect(h.relay('relay-2').active).toBe(true);
    await h.advanceSeconds(3);
    expect(h.relay('relay-2').active).toBe(false);
  });

  it('a filter on the port name (not its id) matches the payload field "name"', async () => {
    const h = await io();
    h.createRule({
      name: 'By name',
      trigger: { event: 'io/input', filter: { name: 'I3', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 1 } }],
    });
    h.setInput('io-3', true);
    expect(h.relay('relay-1').active).toBe(true);
  });
});

describe('a trigger gated by stateful conditions', () => {
  const gatedRule = (invert: boolean) => ({
    name: 'Exit button, only while the door contact I2 is closed',
    trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
    conditions: [{ type: 'io/input-active', params: { port: 'io-2' }, invert }],
    actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: '00:00:05' } }],
  });

  it('fires the trigger only while the condition holds', async () => {
    const h = await io();
    const rule = h.createRule(gatedRule(false));
    expect(h.rule(rule.id).status).toEqual({ bound: true, conditionsHold: false });

    h.setInput('io-1', true);
    h.setInput('io-1', false);
    expect(h.relay('relay-1').active).toBe(false);

    h.setInput('io-2', true);
    expect(h.rule(rule.id).status.conditionsHold).toBe(true);
    // Conditions becoming true do not fire a rule with a trigger: only the trigger does.
    expect(h.relay('relay-1').active).toBe(false);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advanceSeconds(5);
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('the condition going false does not cut a fixed-duration action short', async () => {
    const h = await io();
    h.createRule(gatedRule(false));
    h.setInput('io-2', true);
    h.setInput('io-1', true);
    h.setInput('io-2', false);
    await h.advanceSeconds(4);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advanceSeconds(1);
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('invert: fires only while the condition does not hold', async () => {
    const h = await io();
    const rule = h.createRule(gatedRule(true));
    expect(h.rule(rule.id).status.conditionsHold).toBe(true);
    h.setInput('io-2', true);
    expect(h.rule(rule.id).status.conditionsHold).toBe(false);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(false);
    h.setInput('io-1', false);
    h.setInput('io-2', false);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
  });

  it('the condition sees the input state of the very event that triggers (same port)', async () => {
    const h = await io();
    h.createRule({
      name: 'Same port in trigger and condition',
      trigger: { event: 'io/input', filter: { port: 'io-1' } },
      conditions: [{ type: 'io/input-active', params: { port: 'I1', active: true } }],
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 2 } }],
    });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advanceSeconds(2);
    h.setInput('io-1', false);
    expect(h.relay('relay-1').active).toBe(false);
  });
});

describe('rules with conditions only', () => {
  it('toggle-while-active holds the relay while the input is active and releases it when it goes inactive', async () => {
    const h = await io();
    const rule = h.createRule({
      name: 'Hold door while I1',
      conditions: [{ type: 'io/input-active', params: { port: 'io-1' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
    });
    expect(h.relay('relay-1').active).toBe(false);
    h.setInput('io-1', true);
    expect(h.relay('relay-1')).toMatchObject({ active: true, contactClosed: true });
    expect(h.rule(rule.id).status).toEqual({ bound: true, conditionsHold: true });
    await h.advanceSeconds(3600);
    expect(h.relay('relay-1').active).toBe(true);
    h.setInput('io-1', false);
    expect(h.relay('relay-1')).toMatchObject({ active: false, contactClosed: false });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    expect(relayOutputs(h, 'relay-1')).toEqual([false, true, false, true]);
  });

  it('toggle-while-active with state "inactive" and two conditions (AND)', async () => {
    const h = await io();
    // Relay 2 is held active by hand; the rule drops it while both I1 and I2 are active.
    h.service(IO_SERVICE).setOutput('relay-2', true);
    h.createRule({
      name: 'Drop relay 2 while I1 and I2',
      conditions: [
        { type: 'io/input-active', params: { port: 'io-1' } },
        { type: 'io/input-active', params: { port: 'io-2' } },
      ],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-2', state: 'inactive' } }],
    });
    h.setInput('io-1', true);
    expect(h.relay('relay-2').active).toBe(true);
    h.setInput('io-2', true);
    expect(h.relay('relay-2').active).toBe(false);
    h.setInput('io-1', false);
    expect(h.relay('relay-2').active).toBe(true);
  });

  it('a rule created while its conditions already hold acts at once', async () => {
    const h = await io();
    h.setInput('io-1', true);
    h.createRule({
      name: 'Hold',
      conditions: [{ type: 'io/input-active', params: { port: 'io-1' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-2' } }],
    });
    expect(h.relay('relay-2').active).toBe(true);
  });

  it('toggle-once fires each time the conditions become true, for its full time', async () => {
    const h = await io();
    h.createRule({
      name: 'Pulse relay 2 when I4 closes',
      conditions: [{ type: 'io/input-active', params: { port: 'I4' } }],
      actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', duration: 2 } }],
    });
    h.setInput('io-4', true);
    expect(h.relay('relay-2').active).toBe(true);
    // The conditions ending does not end a fixed-duration action.
    h.setInput('io-4', false);
    await h.advance(1_999);
    expect(h.relay('relay-2').active).toBe(true);
    await h.advance(1);
    expect(h.relay('relay-2').active).toBe(false);
    // Holding on does not fire again.
    h.setInput('io-4', true);
    await h.advanceSeconds(10);
    expect(h.relay('relay-2').active).toBe(false);
    expect(relayOutputs(h, 'relay-2')).toEqual([false, true, false, true, false]);
  });

  it('disabling a rule releases what its while-active action holds; enabling it again re-applies it', async () => {
    const h = await io();
    const rule = h.createRule({
      name: 'Hold',
      conditions: [{ type: 'io/input-active', params: { port: 'io-1' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-1' } }],
    });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    const disabled = h.kernel.rules.setEnabled(rule.id, false);
    expect(disabled.status).toEqual({ bound: false, conditionsHold: false, reason: 'the rule is disabled' });
    expect(h.relay('relay-1').active).toBe(false);
    h.kernel.rules.setEnabled(rule.id, true);
    expect(h.relay('relay-1').active).toBe(true);
  });

  it('deleting a rule releases what it holds', async () => {
    const h = await io();
    const rule = h.createRule({
      name: 'Hold',
      conditions: [{ type: 'io/input-active', params: { port: 'io-1' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-1' } }],
    });
    h.setInput('io-1', true);
    h.kernel.rules.remove(rule.id);
    expect(h.relay('relay-1').active).toBe(false);
    expect(() => h.rule(rule.id)).toThrow(expect.objectContaining({ code: 'RULE_NOT_FOUND' }));
  });
});

describe('toggle-once restarts its time on a second trigger', () => {
  it('the door stays open 7 s after the last trigger, not the first', async () => {
    const h = await io();
    h.createRule({
      name: 'Open door',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: '00:00:07' } }],
    });
    h.setInput('io-1', true);
    const opened = h.now();
    h.setInput('io-1', false);
    await h.advanceSeconds(5);
    h.setInput('io-1', true);
    h.setInput('io-1', false);
    await h.advanceSeconds(2); // 7 s after the first trigger
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(4_999);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(1);
    expect(h.relay('relay-1').active).toBe(false);
    // One open, one close: the door never flickered in between.
    const outputs = h.events('io/output').filter((e) => e.payload.port === 'relay-1');
    expect(outputs.map((e) => e.payload.active)).toEqual([false, true, false]);
    expect(outputs[2]!.time - opened).toBe(12_000);
  });

  it('two rules on one relay: it stays open until the last of them ends', async () => {
    const h = await io();
    h.createRule({
      name: 'Long',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 10 } }],
    });
    h.createRule({
      name: 'Short',
      trigger: { event: 'io/input', filter: { port: 'io-2', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 2 } }],
    });
    h.setInput('io-1', true);
    await h.advanceSeconds(1);
    h.setInput('io-2', true);
    await h.advanceSeconds(2);
    // The short one ended; the long one still wants the door open.
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(7_000 - 1);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(1);
    expect(h.relay('relay-1').active).toBe(false);
    expect(relayOutputs(h, 'relay-1')).toEqual([false, true, false]);
  });

  it('a toggle-once while a while-active rule holds the door does not lock it when its time is up', async () => {
    const h = await io();
    h.createRule({
      name: 'Hold open while I4 (office hours switch)',
      conditions: [{ type: 'io/input-active', params: { port: 'io-4' } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
    });
    h.createRule({
      name: 'Exit button',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 7 } }],
    });
    h.setInput('io-4', true);
    h.setInput('io-1', true);
    await h.advanceSeconds(7);
    expect(h.relay('relay-1').active).toBe(true);
    h.setInput('io-4', false);
    expect(h.relay('relay-1').active).toBe(false);
    // And the other way round: the hold ends during the 7 s; the door closes when they are up.
    h.setInput('io-1', false);
    h.setInput('io-4', true);
    h.setInput('io-1', true);
    h.setInput('io-4', false);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advanceSeconds(7);
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('toggle-once with state "inactive" puts the port back to the state it had', async () => {
    const h = await io();
    h.service(IO_SERVICE).setOutput('relay-2', true);
    h.createRule({
      name: 'Drop relay 2 for 3 s',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', state: 'inactive', duration: 3 } }],
    });
    h.setInput('io-1', true);
    expect(h.relay('relay-2').active).toBe(false);
    await h.advanceSeconds(3);
    expect(h.relay('relay-2').active).toBe(true);
  });
});

describe('manual triggers', () => {
  it('setManualTrigger drives the io/manual-trigger-active condition', async () => {
    const h = await io();
    const rule = h.createRule({
      name: 'Hold relay 2 while manual trigger 1',
      conditions: [{ type: 'io/manual-trigger-active', params: { trigger: 1 } }],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-2' } }],
    });
    expect(h.rule(rule.id).status.conditionsHold).toBe(false);
    const service = h.service(IO_SERVICE);
    service.setManualTrigger(2, true);
    expect(h.relay('relay-2').active).toBe(false);
    service.setManualTrigger(1, true);
    expect(h.relay('relay-2').active).toBe(true);
    expect(h.kernel.events.getState('io/manual-trigger', { trigger: 1 })).toEqual({ trigger: 1, active: true });
    service.setManualTrigger(1, false);
    expect(h.relay('relay-2').active).toBe(false);
    expect(h.events('io/manual-trigger').map((e) => e.payload)).toEqual([
      { trigger: 2, active: true },
      { trigger: 1, active: true },
      { trigger: 1, active: false },
    ]);
  });

  it('a manual trigger can also be a rule\'s trigger event, and out-of-range numbers are refused', async () => {
    const h = await io();
    h.createRule({
      name: 'Manual trigger 3 opens the door',
      trigger: { event: 'io/manual-trigger', filter: { trigger: 3, active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 7 } }],
    });
    const service = h.service(IO_SERVICE);
    service.setManualTrigger(3, true);
    expect(h.relay('relay-1').active).toBe(true);
    for (const trigger of [0, 33, 1.5]) {
      expect(() => service.setManualTrigger(trigger, true)).toThrow(
        expect.objectContaining({ code: 'IO_TRIGGER_INVALID', message: `There is no manual trigger ${trigger}; manual triggers are numbered 1 to 32.` }),
      );
    }
  });
});
