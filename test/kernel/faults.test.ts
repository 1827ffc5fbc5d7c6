import { describe, expect, it } from 'vitest';
import type { Harness } from '../../sdk/testing/index.js';
import { IO_LEAVES_RELAY_2_AND_IO_4, SLOW_RETRY, expectDoorStillOpensIn, ioWithFixtures } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

type Fault = 'event-listener' | 'port-listener' | 'timer' | 'condition';

/**
 * Faults in a running plugin: its code throws where the platform called it.
 * The plugin is marked failed, what it held is released, its rules are
 * shown unbound with the reason, and the rest keeps running.
 */
describe('faults in a running plugin', () => {
  const harnesses = harnessPerTest();

  /** io plus the `faulty` fixture (relay-2 active, io-4 held), set to throw in one place. */
  const bootFaulty = (fault: Fault | 'none', retry = SLOW_RETRY): Promise<Harness> =>
    harnesses.start(ioWithFixtures(['faulty'], { settings: { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault } }, kernel: { retry } }));

  const lampRule = {
    name: 'Lamp on I3',
    trigger: { event: 'io/input', filter: { port: 'io-3', active: true } },
    actions: [{ type: 'faulty/flash' }],
  };

  describe.each([
    ['an event listener', 'event-listener', 'listener of io/input', (h: Harness): void => h.setInput('io-2', true), 0],
    ['a port onChange listener', 'port-listener', 'listener of port io-4', (h: Harness): void => h.setInput('io-4', true), 0],
    ['a timer callback', 'timer', 'timer', (_h: Harness): void => undefined, 5_000],
  ] as const)('%s that throws', (_what, fault, where, provoke, after) => {
    const message = `Plugin "faulty" failed in ${where}: boom`;

    it(`fails the plugin with PLUGIN_FAULT "${message}"`, async () => {
      const h = await bootFaulty(fault);
      expect(h.plugin('faulty').state).toBe('running');
      expect(h.relay('relay-2')).toEqual({ active: true, contactClosed: true, owner: 'faulty' });
      const rule = h.createRule(lampRule);
      expect(rule.status.bound).toBe(true);

      provoke(h);
      await h.advance(after);

      expect(h.plugin('faulty')).toMatchObject({
        state: 'failed',
        failure: { code: 'PLUGIN_FAULT', message, where, transient: true },
        note: 'retry 1 of 1 in 600 s',
      });
      expect(h.events('core/plugin-state').at(-1)?.payload).toEqual({ plugin: 'faulty', state: 'failed', reason: message });
      // What it held is released: the relay rests in its normal state again.
      expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });
      expect(h.kernel.ports.holder('io-4')).toBeUndefined();
      // Its rule stays, unbound, saying why.
      expect(h.rule(rule.id).status).toEqual({
        bound: false,
        conditionsHold: false,
        reason: `action faulty/flash is not available: plugin "faulty" failed: ${message}`,
      });
      await expectDoorStillOpensIn(h);
    });

    it('comes back on retry: holds its ports again and its rule binds again', async () => {
      const h = await bootFaulty(fault, { firstDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 });
      const rule = h.createRule(lampRule);
      provoke(h);
      await h.advance(after);
      expect(h.plugin('faulty')).toMatchObject({ state: 'failed', note: 'retry 1 of 3 in 1 s' });
      if (fault === 'port-listener') h.setInput('io-4', false); // the contact is back at rest

      await h.advance(1_000);
      expect(h.plugin('faulty').state).toBe('running');
      expect(h.plugin('faulty').failure).toBeUndefined();
      expect(h.relay('relay-2')).toEqual({ active: true, contactClosed: true, owner: 'faulty' });
      expect(h.rule(rule.id).status.bound).toBe(true);
    });
  });

  it('a listener that keeps throwing while its plugin and dependents stop fails it once', async () => {
    // `faulty` set to "any-event" throws on every event from I2 on, including the
    // plugin-state events of its own dependent stopping.
    const h = await harnesses.start(
      ioWithFixtures(['faulty', 'after-faulty'], {
        settings: { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault: 'any-event' } },
        kernel: { retry: { firstDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 } },
      }),
    );
    expect(h.plugin('after-faulty').state).toBe('running');
    h.setInput('io-2', true);
    await h.advance(0);
    const message = 'Plugin "faulty" failed in listener of *: boom';
    expect(h.plugin('faulty')).toMatchObject({ state: 'failed', failure: { code: 'PLUGIN_FAULT', message }, note: 'retry 1 of 3 in 1 s' });
    expect(h.plugin('after-faulty')).toMatchObject({ state: 'stopped', note: 'stopped because "faulty" failed' });
    const states = h.events('core/plugin-state').filter((e) => e.payload.plugin === 'faulty').map((e) => e.payload.state);
    // running → stopping → failed, then failed again with the retry note; stopped once only.
    expect(states.slice(3)).toEqual(['stopping', 'failed', 'failed']);

    await h.advance(1_000);
    expect(h.plugin('faulty').state).toBe('running');
    expect(h.plugin('after-faulty').state).toBe('running');
    await expectDoorStillOpensIn(h);
  });

  it('a condition that throws fails its plugin; the rule using it is unbound with the reason', async () => {
    const h = await bootFaulty('condition');
    const rule = h.createRule({
      name: 'Armed door',
      trigger: { event: 'io/input', filter: { port: 'io-3', active: true } },
      conditions: [{ type: 'faulty/armed' }],
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 3 } }],
    });
    await h.advance(0);
    const message = 'Plugin "faulty" failed in condition faulty/armed: boom';
    expect(h.plugin('faulty')).toMatchObject({ state: 'failed', failure: { code: 'PLUGIN_FAULT', message, where: 'condition faulty/armed' } });
    expect(h.rule(rule.id).status).toEqual({
      bound: false,
      conditionsHold: false,
      reason: `condition faulty/armed is not available: plugin "faulty" failed: ${message}`,
    });
    h.setInput('io-3', true);
    expect(h.relay('relay-1').active).toBe(false);
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });
    await expectDoorStillOpensIn(h);
  });

  describe('a rule action that throws or rejects', () => {
    it('emits core/action-failed with the error; the other actions of the rule run; the plugin keeps running', async () => {
      const h = await harnesses.start(ioWithFixtures(['flaky-actions']));
      const rule = h.createRule({
        name: 'Open and fail',
        trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
        actions: [
          { type: 'flaky-actions/throw' },
          { type: 'flaky-actions/reject' },
          { type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: 7 } },
        ],
      });
      h.setInput('io-1', true);
      expect(h.relay('relay-1').active).toBe(true);
      expect(h.events('core/action-failed').map((e) => e.payload)).toEqual([
        { ruleId: rule.id, ruleName: 'Open and fail', action: 'flaky-actions/throw', error: 'boom' },
      ]);

      await h.advance(1_000);
      expect(h.events('core/action-failed').map((e) => e.payload)).toEqual([
        { ruleId: rule.id, ruleName: 'Open and fail', action: 'flaky-actions/throw', error: 'boom' },
        { ruleId: rule.id, ruleName: 'Open and fail', action: 'flaky-actions/reject', error: 'nope' },
      ]);
      expect(h.plugin('flaky-actions')).toMatchObject({ state: 'running' });
      expect(h.plugin('flaky-actions').failure).toBeUndefined();
      expect(h.rule(rule.id).status.bound).toBe(true);

      await h.advance(6_000);
      expect(h.relay('relay-1').active).toBe(false);

      // And again: nothing was disabled by the failures.
      h.setInput('io-1', false);
      h.setInput('io-1', true);
      expect(h.relay('relay-1').active).toBe(true);
      expect(h.events('core/action-failed')).toHaveLength(3);
    });
  });
});
