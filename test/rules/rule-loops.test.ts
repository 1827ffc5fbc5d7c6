import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IO_SERVICE } from '../../sdk/services/io.js';
import { PROBE_SERVICE } from '../events/fixtures/probe/probe-service.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const PROBE = fileURLToPath(new URL('../events/fixtures/probe/', import.meta.url));

const harnesses = harnessPerTest();

const whenOutput = (port: string, active?: boolean) => ({
  event: 'io/output',
  filter: active === undefined ? { port } : { port, active },
});

describe('rules that fire each other', () => {
  it('A (relay-1 → relay-2) and B (relay-2 → relay-1) neither hang nor crash, and the relays settle each cycle', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    h.createRule({ name: 'A', trigger: whenOutput('relay-1'), actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', duration: 7 } }] });
    h.createRule({ name: 'B', trigger: whenOutput('relay-2'), actions: [{ type: 'io/toggle-once', params: { port: 'relay-1', duration: 7 } }] });
    h.service(IO_SERVICE).setOutput('relay-1', true);
    expect(h.relay('relay-1').active).toBe(true);
    expect(h.relay('relay-2').active).toBe(true);
    await h.advanceSeconds(60);
    const outputs = h.events('io/output');
    expect(outputs.length).toBeLessThan(20);
    expect(h.plugin('io').state).toBe('running');
    expect(h.events('core/action-failed')).toEqual([]);
    // Every command ended: relay 1 is back where the hand put it, relay 2 at rest.
    expect(h.relay('relay-1').active).toBe(true);
    expect(h.relay('relay-2').active).toBe(false);
    expect(h.clock.pending()).toBe(0);
    // Setting relay 1 by hand again starts a loop in time (each change is
    // announced and fires the other rule); it runs on the clock, a few events a cycle.
    h.clearEvents();
    h.service(IO_SERVICE).setOutput('relay-1', false);
    await h.advanceSeconds(140);
    const perTenCycles = h.events('io/output').length;
    expect(perTenCycles).toBeGreaterThan(10);
    expect(perTenCycles).toBeLessThan(60);
    // Deleting the rules ends it: every command finishes and the relays go back.
    for (const rule of h.kernel.rules.list()) h.kernel.rules.remove(rule.id);
    await h.advance(0);
    expect(h.clock.pending()).toBe(0);
    expect(h.relay('relay-1').active).toBe(false);
    expect(h.relay('relay-2').active).toBe(false);
    expect(h.plugin('io').state).toBe('running');
  });

  it('a loop that flips the relays synchronously is cut off at the cascade limit, and everything keeps working', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const once = (port: string, state: 'active' | 'inactive') => [{ type: 'io/toggle-once', params: { port, state, duration: 1 } }];
    h.createRule({ name: 'r1 on → r2 on', trigger: whenOutput('relay-1', true), actions: once('relay-2', 'active') });
    h.createRule({ name: 'r2 on → r1 off', trigger: whenOutput('relay-2', true), actions: once('relay-1', 'inactive') });
    h.createRule({ name: 'r1 off → r2 off', trigger: whenOutput('relay-1', false), actions: once('relay-2', 'inactive') });
    h.createRule({ name: 'r2 off → r1 on', trigger: whenOutput('relay-2', false), actions: once('relay-1', 'active') });
    h.clearEvents();
    expect(() => h.service(IO_SERVICE).setOutput('relay-1', true)).not.toThrow();
    const burst = h.events('io/output').length;
    expect(burst).toBeGreaterThan(4);
    expect(burst).toBeLessThan(40);
    await h.advanceSeconds(30);
    expect(h.plugin('io').state).toBe('running');
    // The platform still runs rules afterwards.
    h.createRule({ name: 'Plain', trigger: { event: 'io/input', filter: { port: 'io-1', active: true } }, actions: [{ type: 'io/toggle-once', params: { port: 'relay-1', duration: 1 } }] });
    for (const rule of h.kernel.rules.list()) if (rule.name !== 'Plain') h.kernel.rules.remove(rule.id);
    await h.advanceSeconds(5);
    h.setInput('io-1', true);
    expect(h.relay('relay-1').active).toBe(true);
  });

  it('a rule whose action emits its own trigger event stops at the cascade limit and fires again next time', async () => {
    const h = await harnesses.start({ pluginPaths: [PROBE] });
    const probe = h.service(PROBE_SERVICE);
    h.createRule({ name: 'Echo', trigger: { event: 'probe/pulse' }, actions: [{ type: 'probe/pulse' }] });
    expect(() => probe.pulse(0)).not.toThrow();
    const first = h.events('probe/pulse').map((e) => e.payload.n);
    expect(first[0]).toBe(0);
    expect(first).toEqual(first.map((_, i) => i));
    expect(first.length).toBeGreaterThan(2);
    expect(first.length).toBeLessThanOrEqual(17);
    h.clearEvents();
    probe.pulse(100);
    expect(h.events('probe/pulse').map((e) => e.payload.n)).toEqual([100, ...first.slice(1).map((n) => 100 + (n as number))]);
    expect(h.plugin('probe').state).toBe('running');
  });
});
