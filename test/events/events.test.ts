import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/events/event-bus.js';
import { PortierError } from '../../sdk/errors.js';
import { IO_SERVICE, z } from '../../sdk/index.js';
import { FakeClock, type Harness } from '../../sdk/testing/index.js';
import { PROBE_SERVICE } from './fixtures/probe/probe-service.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const PROBE = fileURLToPath(new URL('./fixtures/probe/', import.meta.url));

const harnesses = harnessPerTest();

async function withProbe(plugins: string[] = []): Promise<Harness> {
  const h = await harnesses.start({ plugins, pluginPaths: [PROBE] });
  expect(h.kernel.loadErrors).toEqual([]);
  expect(h.plugin('probe').failure).toBeUndefined();
  expect(h.plugin('probe').state).toBe('running');
  return h;
}

function thrown(work: () => unknown): PortierError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PortierError);
    return error as PortierError;
  }
  throw new Error('expected a throw');
}

describe('stateful events', () => {
  it('are emitted only when the state changes, per key', async () => {
    const h = await withProbe();
    const probe = h.service(PROBE_SERVICE);
    probe.setLevel('hall', 1);
    probe.setLevel('hall', 1);
    probe.setLevel('yard', 1);
    probe.setLevel('hall', 2);
    probe.setLevel('hall', 2);
    expect(h.events('probe/level').map((e) => e.payload)).toEqual([
      { zone: 'hall', level: 1 },
      { zone: 'yard', level: 1 },
      { zone: 'hall', level: 2 },
    ]);
    expect(h.events('probe/level').every((e) => e.stateful && e.source === 'probe')).toBe(true);
  });

  it('io/input is announced once per real change of the contact', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    h.clearEvents();
    h.setInput('io-1', true);
    h.setInput('io-1', true);
    h.setInput('io-1', false);
    expect(h.events('io/input').map((e) => e.payload)).toEqual([
      { port: 'io-1', name: 'I1', active: true },
      { port: 'io-1', name: 'I1', active: false },
    ]);
  });

  it('their current states are readable: by a plugin (EventsApi.states, any plugin\'s), by key, and after clear', async () => {
    const h = await withProbe(['io']);
    const probe = h.service(PROBE_SERVICE);
    probe.setLevel('hall', 3);
    probe.setLevel('yard', 5);
    expect(probe.states('probe/level')).toEqual([
      { zone: 'hall', level: 3 },
      { zone: 'yard', level: 5 },
    ]);
    expect(probe.getLevel('yard')).toEqual({ zone: 'yard', level: 5 });
    h.setInput('io-2', true);
    expect(probe.states('io/input')).toEqual(
      expect.arrayContaining([
        { port: 'io-1', name: 'I1', active: false },
        { port: 'io-2', name: 'I2', active: true },
      ]),
    );
    expect(probe.states('io/input')).toHaveLength(4);
    expect(probe.states('io/output').map((s) => s.port)).toEqual(['relay-1', 'relay-2']);
    probe.clearLevel('hall');
    expect(probe.states('probe/level')).toEqual([{ zone: 'yard', level: 5 }]);
    // After a clear, the same state is news again.
    probe.setLevel('hall', 3);
    expect(h.events('probe/level')).toHaveLength(3);
    // Stateless and unknown types have no states.
    expect(probe.states('probe/pulse')).toEqual([]);
    expect(probe.states('nobody/nothing')).toEqual([]);
  });

  it('a stopped plugin\'s states are gone; they are announced again when it starts', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    h.setInput('io-1', true);
    await h.kernel.host.stop('io');
    expect(h.kernel.events.statesOf('io/input')).toEqual([]);
    h.clearEvents();
    await h.kernel.host.start('io');
    expect(h.kernel.events.getState('io/input', { port: 'io-1' })).toEqual({ port: 'io-1', name: 'I1', active: true });
    expect(h.events('io/input').map((e) => e.payload.port)).toEqual(['io-1', 'io-2', 'io-3', 'io-4']);
  });
});

describe('payloads are validated', () => {
  it('a payload that does not match the schema is refused with EVENT_PAYLOAD_INVALID and the field', async () => {
    const h = await withProbe();
    const probe = h.service(PROBE_SERVICE);
    const error = thrown(() => probe.emitUnchecked('pulse', { n: 'one' }));
    expect(error.code).toBe('EVENT_PAYLOAD_INVALID');
    expect(error.details.map((d) => d.path)).toEqual(['/n']);
    expect(error.message).toContain('probe/pulse');
    const level = thrown(() => probe.emitUnchecked('level', { zone: 'hall' }));
    expect(level.code).toBe('EVENT_PAYLOAD_INVALID');
    expect(level.details.map((d) => d.path)).toEqual(['/level']);
    // Nothing was emitted or stored.
    expect(h.events('probe/*')).toEqual([]);
    expect(probe.states('probe/level')).toEqual([]);
  });

  it('the kernel bus refuses unknown types and bad payloads of plugin events alike', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    expect(thrown(() => h.kernel.events.emit('io/nothing', {})).code).toBe('EVENT_UNKNOWN');
    const error = thrown(() => h.kernel.events.emit('io/input', { port: 'io-1', active: 'yes' }));
    expect(error.code).toBe('EVENT_PAYLOAD_INVALID');
    expect(error.details.map((d) => d.path).sort()).toEqual(['/active', '/name']);
  });

  it('a stateful event without its key field is refused', () => {
    const bus = new EventBus(new FakeClock());
    bus.define({ type: 'x/level', source: 'x', stateful: true, key: ['zone'], payload: z.object({ zone: z.string().optional(), level: z.number() }) });
    expect(thrown(() => bus.emit('x/level', { level: 1 })).code).toBe('EVENT_KEY_MISSING');
  });

  it('compares states after parsing: defaults and stripped fields do not make a change', () => {
    const bus = new EventBus(new FakeClock());
    bus.define({ type: 'x/level', source: 'x', stateful: true, key: ['zone'], payload: z.object({ zone: z.string(), level: z.number().default(0) }) });
    const seen: unknown[] = [];
    bus.on('x/level', (e) => seen.push(e.payload));
    bus.emit('x/level', { zone: 'a' });
    bus.emit('x/level', { zone: 'a', level: 0 });
    bus.emit('x/level', { zone: 'a', level: 0, extra: true });
    expect(seen).toEqual([{ zone: 'a', level: 0 }]);
  });
});

describe('listeners and the event log', () => {
  it('events are logged and can be queried by type after a flush', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    h.setInput('io-1', true);
    await h.advanceSeconds(1);
    h.setInput('io-1', false);
    h.kernel.eventLog.flush();
    const logged = h.kernel.eventLog.query({ type: 'io/input' });
    const io1 = logged.filter((e) => e.payload.port === 'io-1');
    expect(io1.map((e) => [e.time - io1[0]!.time, e.payload.active])).toEqual([
      [0, false],
      [0, true],
      [1_000, false],
    ]);
    expect(logged.every((e) => e.type === 'io/input' && e.source === 'io' && e.stateful)).toBe(true);
    expect(h.kernel.eventLog.query({ type: 'core/plugin-state' }).map((e) => e.payload)).toEqual(
      expect.arrayContaining([{ plugin: 'io', state: 'running' }]),
    );
    expect(h.kernel.eventLog.query({ type: 'io/nothing' })).toEqual([]);
  });

  it('listeners see one type, one plugin (probe/*) or everything (*), in order', async () => {
    const h = await withProbe(['io']);
    const probe = h.service(PROBE_SERVICE);
    const pulses = probe.listen('probe/pulse');
    const fromProbe = probe.listen('probe/*');
    const all = probe.listen('*');
    probe.pulse(1);
    probe.setLevel('hall', 1);
    h.setInput('io-1', true);
    expect(pulses.map((e) => e.payload)).toEqual([{ n: 1 }]);
    expect(fromProbe.map((e) => e.type)).toEqual(['probe/pulse', 'probe/level']);
    expect(all.map((e) => e.type)).toEqual(['probe/pulse', 'probe/level', 'io/input']);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('a listener that throws fails its own plugin only; the event still reaches rules and others', async () => {
    const h = await withProbe(['io']);
    const probe = h.service(PROBE_SERVICE);
    h.createRule({
      name: 'Open on pulse',
      trigger: { event: 'probe/pulse' },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 1 } }],
    });
    const seen: number[] = [];
    h.kernel.events.on('probe/pulse', (e) => seen.push(e.payload.n as number));
    probe.pulse(7);
    expect(seen).toEqual([7]);
    expect(h.relay('relay-1').active).toBe(true);
  });
});

describe('rules see plugin events', () => {
  it('a trigger hands the event to the action, and stateful conditions of another plugin gate it', async () => {
    const h = await withProbe();
    const probe = h.service(PROBE_SERVICE);
    h.createRule({
      name: 'Record pulses 2 while hall >= 5',
      trigger: { event: 'probe/pulse', filter: { n: 2 } },
      conditions: [{ type: 'probe/level-at-least', params: { zone: 'hall', min: 5 } }],
      actions: [{ type: 'probe/record', params: { tag: 'x' } }],
    });
    probe.pulse(2);
    probe.setLevel('hall', 5);
    probe.pulse(1);
    probe.pulse(2);
    probe.setLevel('hall', 4);
    probe.pulse(2);
    expect(probe.recorded.map((r) => [r.ruleName, r.trigger?.payload, r.params])).toEqual([['Record pulses 2 while hall >= 5', { n: 2 }, { tag: 'x' }]]);
  });

  it('an action that throws or rejects is reported as core/action-failed, and the rule keeps working', async () => {
    const h = await withProbe();
    const probe = h.service(PROBE_SERVICE);
    const rule = h.createRule({
      name: 'Fails',
      trigger: { event: 'probe/pulse' },
      actions: [{ type: 'probe/fail' }, { type: 'probe/fail', params: { async: true } }, { type: 'probe/record' }],
    });
    probe.pulse(1);
    await h.advance(0);
    expect(h.events('core/action-failed').map((e) => e.payload)).toEqual([
      { ruleId: rule.id, ruleName: 'Fails', action: 'probe/fail', error: 'probe failed at once' },
      { ruleId: rule.id, ruleName: 'Fails', action: 'probe/fail', error: 'probe failed later' },
    ]);
    expect(probe.recorded).toHaveLength(1);
    expect(h.plugin('probe').failure).toBeUndefined();
  expect(h.plugin('probe').state).toBe('running');
    expect(h.rule(rule.id).status.bound).toBe(true);
  });
});

describe('listeners see events in the order they happened', () => {
  it('an event a rule causes reaches listeners after the event that caused it', async () => {
    const h = await withProbe(['io']);
    const probe = h.service(PROBE_SERVICE);
    const all = probe.listen('*');
    h.createRule({
      name: 'Open door',
      trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', duration: 7 } }],
    });
    h.setInput('io-1', true);
    expect(all.map((e) => [e.type, e.payload.port])).toEqual([
      ['io/input', 'io-1'],
      ['io/output', 'relay-1'],
    ]);
    expect(all[0]!.seq).toBeLessThan(all[1]!.seq);
    // The harness records through a listener too.
    const recorded = h.events('io/*').slice(-2);
    expect(recorded.map((e) => e.type)).toEqual(['io/input', 'io/output']);
  });

  it('the last state a listener sees is the state the port is in, even when a rule flips it back at once', async () => {
    const h = await withProbe(['io']);
    const probe = h.service(PROBE_SERVICE);
    const outputs = probe.listen('io/output');
    // Whoever drives relay 2 active, a rule puts it back at once (an interlock).
    h.createRule({
      name: 'Interlock',
      trigger: { event: 'io/output', filter: { port: 'relay-2', active: true } },
      actions: [{ type: 'io/toggle-once', params: { port: 'relay-2', state: 'inactive', duration: 60 } }],
    });
    h.service(IO_SERVICE).setOutput('relay-2', true);
    expect(h.relay('relay-2').active).toBe(false);
    expect(outputs.map((e) => e.payload.active)).toEqual([true, false]);
    expect(outputs.map((e) => e.seq)).toEqual([...outputs.map((e) => e.seq)].sort((a, b) => a - b));
  });
});
