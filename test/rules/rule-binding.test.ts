import { describe, expect, it } from 'vitest';
import { expectDoorStillOpensIn } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const harnesses = harnessPerTest('portier-rules-');

const openDoor = {
  name: 'Open door',
  trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
  actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:07' } }],
};
const holdRelay2 = {
  name: 'Hold relay 2 while I2',
  conditions: [{ type: 'io/input-active', params: { port: 'io-2' } }],
  actions: [{ type: 'io/toggle-while-active', params: { port: 'relay-2' } }],
};

describe('rules and the plugins they use', () => {
  it('a rule is kept, shown unbound with the reason, while io is stopped, and works again after it starts', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const door = h.createRule(openDoor);
    const hold = h.createRule(holdRelay2);
    h.setInput('io-2', true);
    expect(h.relay('relay-2').active).toBe(true);

    await h.kernel.host.stop('io');
    expect(h.plugin('io').state).toBe('stopped');
    for (const id of [door.id, hold.id]) {
      const status = h.rule(id).status;
      expect(status.bound).toBe(false);
      expect(status.conditionsHold).toBe(false);
      expect(status.reason).toMatch(/plugin "io" is stopped$/);
    }
    expect(h.rule(door.id).status.reason).toBe('event io/input is not available: plugin "io" is stopped');
    expect(h.kernel.rules.list().map((r) => r.id)).toEqual([door.id, hold.id]);
    // The relays rest in their normal state, and nobody holds them.
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });

    await h.kernel.host.start('io');
    expect(h.rule(door.id).status).toEqual({ bound: true, conditionsHold: true });
    // I2 is still closed: the while-active rule takes hold again at once.
    expect(h.rule(hold.id).status).toEqual({ bound: true, conditionsHold: true });
    expect(h.relay('relay-2').active).toBe(true);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advanceSeconds(7);
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('stopping io in the middle of a toggle-once puts the relay back and leaves no stray timer', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    h.createRule(openDoor);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    await h.kernel.host.stop('io');
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false });
    await h.kernel.host.start('io');
    h.setInput('io-1', false);
    await h.advanceSeconds(30);
    expect(h.plugin('io').state).toBe('running');
    expect(h.kernel.events.statesOf('core/action-failed')).toEqual([]);
    expect(h.events('core/action-failed')).toEqual([]);
  });

  it('shows "is disabled" for a rule whose plugin was disabled', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const door = h.createRule(openDoor);
    await h.kernel.host.setEnabled('io', false);
    expect(h.rule(door.id).status).toEqual({
      bound: false,
      conditionsHold: false,
      reason: 'event io/input is not available: plugin "io" is disabled',
    });
    await h.kernel.host.setEnabled('io', true);
    expect(h.rule(door.id).status.bound).toBe(true);
  });

  it('accepts a rule made while io is stopped (declared in its manifest) and binds it when io starts', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    await h.kernel.host.stop('io');
    const rule = h.createRule(openDoor);
    expect(rule.status).toEqual({ bound: false, conditionsHold: false, reason: 'event io/input is not available: plugin "io" is stopped' });
    const conditionsOnly = h.createRule(holdRelay2);
    expect(conditionsOnly.status.reason).toBe('condition io/input-active is not available: plugin "io" is stopped');
    // Declarations still know the action kinds: a while-active action with a trigger is refused.
    expect(() => h.createRule({ ...openDoor, actions: [{ type: 'io/toggle-while-active', params: { port: 'Door' } }] })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID' }),
    );
    await h.kernel.host.start('io');
    expect(h.rule(rule.id).status).toEqual({ bound: true, conditionsHold: true });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
  });

  it('a rule made while io is stopped with parameters io then refuses stays unbound with the field that is wrong', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    await h.kernel.host.stop('io');
    const rule = h.createRule({ ...openDoor, actions: [{ type: 'io/toggle-once', params: { port: 'Gate', duration: 7 } }] });
    await h.kernel.host.start('io');
    expect(h.rule(rule.id).status.bound).toBe(false);
    expect(h.rule(rule.id).status.reason).toMatch(/^parameters no longer valid: \/actions\/0\/params\/port: /);
  });

  it('a rule naming a plugin that is not installed is refused', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    expect(() => h.createRule({ ...openDoor, actions: [{ type: 'sip/call', params: {} }] })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID', details: [expect.objectContaining({ path: '/actions/0/type' })] }),
    );
  });

  it('renaming the port a rule names unbinds that rule at once, with the reason; a rule naming the port by id keeps working', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const rule = h.createRule(openDoor);
    const byId = h.createRule({ ...openDoor, name: 'By id', actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', duration: 7 } }] });
    h.kernel.settings.replace('io', { ports: { 'relay-1': { name: 'Gate' } } });
    expect(h.rule(rule.id).status.bound).toBe(false);
    expect(h.rule(rule.id).status.reason).toMatch(/^parameters no longer valid: \/actions\/0\/params\/port: /);
    h.setInput('io-1', true);
    await h.advance(0);
    expect(h.relay('relay-1').active).toBe(false);
    expect(h.relay('relay-2').active).toBe(true);
    expect(h.rule(byId.id).status.bound).toBe(true);
    expect(h.events('core/action-failed')).toEqual([]);
  });
  it('renaming the input a rule\'s condition names unbinds that rule with the reason; io keeps running', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const hold = h.createRule({ ...holdRelay2, conditions: [{ type: 'io/input-active', params: { port: 'I2' } }] });
    h.setInput('io-2', true);
    expect(h.relay('relay-2').active).toBe(true);
    // io announces the new name at once; the rule still names the old one until it is checked again.
    h.kernel.settings.replace('io', { ports: { 'io-2': { name: 'Exit button' } } });
    await h.advance(0);
    expect(h.plugin('io').state).toBe('running');
    expect(h.plugin('io').failure).toBeUndefined();
    expect(h.rule(hold.id).status.bound).toBe(false);
    expect(h.rule(hold.id).status.reason).toMatch(/^parameters no longer valid: \/conditions\/0\/params\/port: /);
    expect(h.relay('relay-2').active).toBe(false);
    await expectDoorStillOpensIn(h);
  });
});

describe('rules persist', () => {
  it('survive a restart on the same data folder, and work', async () => {
    const dataDir = harnesses.dataFolder();
    let h = await harnesses.start({ plugins: ['io'], dataDir });
    const door = h.createRule(openDoor);
    const hold = h.createRule(holdRelay2);
    const disabled = h.createRule({ ...openDoor, name: 'Disabled', enabled: false });
    await h.stop();

    h = await harnesses.start({ plugins: ['io'], dataDir });
    const rules = h.kernel.rules.list();
    expect(rules.map((r) => [r.id, r.name])).toEqual([
      [door.id, 'Open door'],
      [hold.id, 'Hold relay 2 while I2'],
      [disabled.id, 'Disabled'],
    ]);
    expect(h.rule(door.id)).toEqual(door);
    expect(h.rule(disabled.id).status).toEqual({ bound: false, conditionsHold: false, reason: 'the rule is disabled' });
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    h.setInput('io-2', true);
    expect(h.relay('relay-2').active).toBe(true);
    await h.advanceSeconds(7);
    expect(h.relay('relay-1').active).toBe(false);
  });

  it('updates and deletions persist too', async () => {
    const dataDir = harnesses.dataFolder();
    let h = await harnesses.start({ plugins: ['io'], dataDir });
    const door = h.createRule(openDoor);
    const hold = h.createRule(holdRelay2);
    h.kernel.rules.update(door.id, { ...openDoor, actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 3 } }] });
    h.kernel.rules.remove(hold.id);
    await h.stop();

    h = await harnesses.start({ plugins: ['io'], dataDir });
    expect(h.kernel.rules.list().map((r) => r.id)).toEqual([door.id]);
    h.setInput('io-1', true);
    await h.advanceSeconds(3);
    expect(h.relay('relay-1').active).toBe(false);
  });
});

describe('rules whose plugin is gone', () => {
  it('are kept, shown with the reason, and can still be disabled, enabled and deleted', async () => {
    const dataDir = harnesses.dataFolder();
    let h = await harnesses.start({ plugins: ['io'], dataDir });
    const door = h.createRule(openDoor);
    await h.stop();

    h = await harnesses.start({ plugins: [], dataDir });
    expect(h.rule(door.id).status).toEqual({
      bound: false,
      conditionsHold: false,
      reason: 'event io/input is not available: no installed plugin declares it',
    });
    expect(h.kernel.rules.setEnabled(door.id, false).status.reason).toBe('the rule is disabled');
    expect(h.kernel.rules.setEnabled(door.id, true).status.reason).toBe('event io/input is not available: no installed plugin declares it');
    h.kernel.rules.remove(door.id);
    expect(h.kernel.rules.list()).toEqual([]);
  });

  it('a stored rule that is no longer valid is kept unbound with why; the platform starts', async () => {
    const dataDir = harnesses.dataFolder();
    let h = await harnesses.start({ plugins: ['io'], dataDir });
    const door = h.createRule(openDoor);
    h.kernel.db.prepare('INSERT INTO rules (id, definition, created_at, updated_at) VALUES (?, ?, 0, 0)').run('broken', JSON.stringify({ name: 'Broken', actions: 'none' }));
    await h.stop();

    h = await harnesses.start({ plugins: ['io'], dataDir });
    expect(h.plugin('io').state).toBe('running');
    const broken = h.rule('broken');
    expect(broken.status.bound).toBe(false);
    expect(broken.status.reason).toMatch(/^the stored rule is not valid: .*\/actions/);
    // The others work.
    expect(h.rule(door.id).status.bound).toBe(true);
    // Fixing it binds it.
    h.kernel.rules.update('broken', { ...holdRelay2, name: 'Fixed' });
    expect(h.rule('broken').status.bound).toBe(true);
  });
});

describe('trigger filters are checked against the event payload', () => {
  it('refuses a filter field the event does not have, or a value of the wrong type', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const bad = (filter: Record<string, unknown>) => {
      try {
        h.createRule({ ...openDoor, trigger: { event: 'io/input', filter } });
      } catch (error) {
        return (error as { details: { path: string; message: string }[] }).details;
      }
      throw new Error('expected RULE_INVALID');
    };
    expect(bad({ prot: 'io-1' })).toEqual([{ path: '/trigger/filter/prot', message: 'io/input has no field "prot" (fields: port, name, active)' }]);
    expect(bad({ port: 'io-1', active: 'true' })).toEqual([{ path: '/trigger/filter/active', message: 'expected a boolean' }]);
    expect(bad({ port: 1 })).toEqual([{ path: '/trigger/filter/port', message: 'expected a string' }]);
    expect(h.kernel.rules.list()).toEqual([]);
    // Integers are numbers.
    expect(h.createRule({ ...openDoor, trigger: { event: 'io/manual-trigger', filter: { trigger: 1, active: true } } }).status.bound).toBe(true);
  });

  it('checks with the last known payload schema while the plugin is stopped', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    await h.kernel.host.stop('io');
    // The last known payload schema is still used.
    expect(() => h.createRule({ ...openDoor, trigger: { event: 'io/input', filter: { prot: 'io-1' } } })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID' }),
    );
  });
});
