import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Harness } from '../../sdk/testing/index.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const harnesses = harnessPerTest();

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; default?: unknown; anyOf?: JsonSchema[]; additionalProperties?: boolean };

function entry(harness: Harness, type: string) {
  const found = harness.kernel.catalog.entries().find((e) => e.type === type);
  if (found === undefined) throw new Error(`no catalog entry ${type}`);
  return found;
}

describe('the catalog publishes what rules can use, with JSON Schemas', () => {
  it('lists the io actions with the JSON Schema of their parameters (port, state, duration)', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const actions = h.kernel.catalog.entries('action');
    expect(actions.map((a) => [a.type, a.lasts, a.available])).toEqual([
      ['io/toggle-once', 'fixed', true],
      ['io/toggle-while-active', 'while-active', true],
    ]);
    const once = actions[0]!.schema as JsonSchema;
    expect(once.type).toBe('object');
    expect(once.additionalProperties).toBe(false);
    expect(Object.keys(once.properties!)).toEqual(['port', 'state', 'duration']);
    expect(once.required).toEqual(expect.arrayContaining(['port', 'duration']));
    expect(once.required).not.toContain('state');
    expect(once.properties!.port!.type).toBe('string');
    expect(once.properties!.state).toMatchObject({ enum: ['active', 'inactive'], default: 'active' });
    expect(once.properties!.duration!.anyOf?.map((s) => s.type)).toEqual(['number', 'string']);

    const whileActive = actions[1]!.schema as JsonSchema;
    expect(Object.keys(whileActive.properties!)).toEqual(['port', 'state']);
    expect(whileActive.required).toEqual(['port']);
  });

  it('the published schemas are valid JSON Schema a client can validate a form with', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    const ajv = new Ajv2020({ strict: false });
    const once = ajv.compile(entry(h, 'io/toggle-once').schema as object);
    expect(once({ port: 'Door', duration: '00:00:07' })).toBe(true);
    expect(once({ port: 'Door', duration: 7, state: 'inactive' })).toBe(true);
    expect(once({ port: 'Door' })).toBe(false);
    expect(once({ port: 'Door', duration: 7, state: 'open' })).toBe(false);
    expect(once({ port: 'Door', duration: 7, extra: 1 })).toBe(false);
    for (const e of h.kernel.catalog.entries()) {
      expect(e.schema, e.type).toBeDefined();
      expect(() => ajv.compile(e.schema as object), e.type).not.toThrow();
    }
  });

  it('lists conditions and events, core ones included, with kinds and keys', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    expect(h.kernel.catalog.typesOf('condition')).toEqual(['core/schedule-active', 'io/input-active', 'io/manual-trigger-active', 'io/output-active']);
    expect(h.kernel.catalog.typesOf('event')).toEqual(['core/action-failed', 'core/plugin-state', 'core/schedule', 'io/input', 'io/manual-trigger', 'io/output']);
    expect(entry(h, 'io/input')).toMatchObject({ stateful: true, key: ['port'], available: true });
    expect(entry(h, 'io/manual-trigger-active').schema).toMatchObject({ properties: { trigger: { type: 'integer', minimum: 1, maximum: 32 } } });
  });

  it('a stopped plugin\'s contributions stay listed (declared) but not available; schemas are kept for forms', async () => {
    const h = await harnesses.start({ plugins: ['io'] });
    await h.kernel.host.stop('io');
    const io = h.kernel.catalog.entries().filter((e) => e.plugin === 'io');
    expect(io.map((e) => e.type)).toEqual([
      'io/input',
      'io/input-active',
      'io/manual-trigger',
      'io/manual-trigger-active',
      'io/output',
      'io/output-active',
      'io/toggle-once',
      'io/toggle-while-active',
    ]);
    for (const e of io) expect([e.type, e.available]).toEqual([e.type, false]);
    expect(entry(h, 'io/toggle-once').schema).toBeDefined();
    // Core contributions do not depend on any plugin.
    expect(entry(h, 'core/schedule').available).toBe(true);
    await h.kernel.host.start('io');
    for (const e of h.kernel.catalog.entries()) expect([e.type, e.available]).toEqual([e.type, true]);
  });
});

describe('names shared across kinds', () => {
  it('a plugin may name an event and an action alike; each is listed and used by its kind', async () => {
    const { fileURLToPath } = await import('node:url');
    const h = await harnesses.start({ pluginPaths: [fileURLToPath(new URL('../events/fixtures/probe/', import.meta.url))] });
    expect(h.plugin('probe').state).toBe('running');
    const pulses = h.kernel.catalog.entries().filter((e) => e.type === 'probe/pulse');
    expect(pulses.map((e) => [e.kind, e.available])).toEqual([
      ['action', true],
      ['event', true],
    ]);
    expect((pulses[0]!.schema as JsonSchema).properties).toHaveProperty('n');
    expect((pulses[1]!.schema as JsonSchema).required).toEqual(['n']);
    expect(h.createRule({ name: 'Echo once', trigger: { event: 'probe/pulse', filter: { n: 1 } }, actions: [{ type: 'probe/pulse' }] }).status.bound).toBe(true);
  });
});
