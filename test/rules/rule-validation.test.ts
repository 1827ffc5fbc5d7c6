import { describe, expect, it } from 'vitest';
import { PortierError } from '../../sdk/errors.js';
import type { Harness } from '../../sdk/testing/index.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const harnesses = harnessPerTest();

/** The RULE_INVALID error a definition gets, and proof nothing was stored. */
function rejection(harness: Harness, definition: unknown): PortierError {
  const before = harness.kernel.rules.list().length;
  const stored = harness.kernel.db.prepare('SELECT COUNT(*) AS n FROM rules').get() as { n: number };
  let caught: unknown;
  try {
    harness.createRule(definition);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PortierError);
  const error = caught as PortierError;
  expect(error.code).toBe('RULE_INVALID');
  expect(harness.kernel.rules.list()).toHaveLength(before);
  expect(harness.kernel.db.prepare('SELECT COUNT(*) AS n FROM rules').get()).toEqual(stored);
  return error;
}

const paths = (error: PortierError): string[] => error.details.map((d) => d.path);

describe('rule validation: the field that is wrong, and nothing stored', () => {
  it('rejects a while-active action in a rule with a trigger', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const error = rejection(h, {
      name: 'Bad',
      trigger: { event: 'io/input', filter: { port: 'io-1' } },
      conditions: [{ type: 'io/input-active', params: { port: 'io-2' } }],
      actions: [
        { type: 'io/toggle-once', params: { port: 'Door', duration: 7 } },
        { type: 'io/toggle-while-active', params: { port: 'relay-2' } },
      ],
    });
    expect(paths(error)).toEqual(['/actions/1/type']);
    expect(error.details[0]!.message).toMatch(/lasts while the rule is active/);
  });

  it('rejects unknown event, condition and action types, naming the known ones', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const error = rejection(h, {
      name: 'Unknown everything',
      trigger: { event: 'io/inptu' },
      conditions: [
        { type: 'io/input-active', params: { port: 'io-1' } },
        { type: 'io/door-open' },
      ],
      actions: [{ type: 'io/open-door' }],
    });
    expect(paths(error)).toEqual(['/trigger/event', '/conditions/1/type', '/actions/0/type']);
    const [event, condition, action] = error.details.map((d) => d.message);
    expect(event).toContain('unknown event type "io/inptu"');
    expect(event).toContain('io/input');
    expect(event).toContain('core/schedule');
    expect(condition).toContain('unknown condition type "io/door-open"');
    expect(condition).toContain('io/input-active');
    expect(condition).toContain('core/schedule-active');
    expect(action).toContain('unknown action type "io/open-door"');
    expect(action).toContain('io/toggle-once, io/toggle-while-active');
    // The message says it too, for clients that only show the message.
    expect(error.message).toContain('/actions/0/type');
  });

  it('rejects a type of the wrong kind (an action used as a condition)', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const error = rejection(h, {
      name: 'Kinds',
      conditions: [{ type: 'io/toggle-once' }],
      actions: [{ type: 'io/input-active' }],
    });
    expect(paths(error)).toEqual(['/conditions/0/type', '/actions/0/type']);
  });

  it('rejects bad action parameters at /actions/N/params/…', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const bad = (params: unknown) =>
      rejection(h, {
        name: 'Open door',
        trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
        actions: [{ type: 'io/toggle-once', params }],
      });
    expect(paths(bad({ port: 'Door', duration: '7 seconds' }))).toEqual(['/actions/0/params/duration']);
    expect(paths(bad({ port: 'Door', duration: -1 }))).toEqual(['/actions/0/params/duration']);
    expect(paths(bad({ port: 'Door', duration: 86_401 }))).toEqual(['/actions/0/params/duration']);
    expect(paths(bad({ port: 'Door' }))).toEqual(['/actions/0/params/duration']);
    expect(paths(bad({ port: 'Door', duration: 7, state: 'on' }))).toEqual(['/actions/0/params/state']);
    const unknownPort = bad({ port: 'Gate', duration: 7 });
    expect(paths(unknownPort)).toEqual(['/actions/0/params/port']);
    expect(unknownPort.details[0]!.message).toMatch(/relay or output port/);
    // An input cannot be driven.
    expect(paths(bad({ port: 'io-1', duration: 7 }))).toEqual(['/actions/0/params/port']);
    // Unknown parameters are refused, not ignored.
    expect(paths(bad({ port: 'Door', duration: 7, colour: 'red' }))).toEqual(['/actions/0/params/colour']);
    expect(bad({ port: 'Door' }).details[0]!.message).toMatch(/required/);
  });

  it('rejects bad condition parameters at /conditions/N/params/…', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const error = rejection(h, {
      name: 'Hold',
      conditions: [
        { type: 'io/input-active', params: { port: 'io-1' } },
        { type: 'io/input-active', params: { port: 'io-9' } },
        { type: 'io/manual-trigger-active', params: { trigger: 40 } },
      ],
      actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }],
    });
    expect(paths(error)).toEqual(['/conditions/1/params/port', '/conditions/2/params/trigger']);
  });

  it('rejects a rule without name, actions, or trigger and conditions', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    expect(paths(rejection(h, { actions: [{ type: 'io/toggle-once' }], trigger: { event: 'io/input' } }))).toEqual(['/name']);
    expect(paths(rejection(h, { name: 'x', trigger: { event: 'io/input' }, actions: [] }))).toEqual(['/actions']);
    expect(paths(rejection(h, { name: 'x', actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 1 } }] }))).toEqual([
      '/conditions',
    ]);
    expect(paths(rejection(h, { name: 'x', trigger: { event: 'IO input' }, actions: [{ type: 'io/toggle-once' }] }))).toEqual([
      '/trigger/event',
    ]);
    expect(paths(rejection(h, { name: 'x', trigger: { event: 'io/input', filter: { port: ['io-1'] } }, actions: [{ type: 'io/toggle-once' }] }))).toEqual([
      '/trigger/filter/port',
    ]);
    expect(paths(rejection(h, { name: 'x', trigger: { event: 'io/input' }, actions: [{ type: 'io/toggle-once' }], extra: 1 }))).toEqual(['/extra']);
  });

  it('update validates the same way and leaves the stored rule as it was', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const good = {
      name: 'Open door',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 7 } }],
    };
    const rule = h.createRule(good);
    expect(() => h.kernel.rules.update(rule.id, { ...good, actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 'x' } }] })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID', details: [expect.objectContaining({ path: '/actions/0/params/duration' })] }),
    );
    expect(h.rule(rule.id).actions[0]!.params).toEqual({ port: 'Door', duration: 7 });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
  });
});
