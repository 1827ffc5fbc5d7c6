import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Kernel } from '../../platform/kernel.js';
import type { FakeClock } from '../../sdk/testing/fake-clock.js';
import type { Harness, HarnessOptions } from '../../sdk/testing/harness.js';

/** The folder of one fixture plugin in test/fixtures/plugins. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/plugins/${name}/`, import.meta.url));
}

/** Harness options for the io plugin plus the named fixture plugins; `more` adds or overrides options. */
export function ioWithFixtures(fixtures: readonly string[], more: HarnessOptions = {}): HarnessOptions {
  return { plugins: ['io'], pluginPaths: fixtures.map(fixture), ...more };
}

/** io settings that leave relay-2 and io-4 free for the `faulty` fixture; the Door stays on relay-1. */
export const IO_LEAVES_RELAY_2_AND_IO_4 = {
  ports: {
    'relay-2': { use: false, name: 'Relay 2' },
    'io-4': { use: false, name: 'I4' },
  },
};

/** Retries far enough apart that they do not happen while a test looks at a failure. */
export const SLOW_RETRY = { firstDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 1 };

/**
 * The io plugin still runs and still opens the Door through a rule: input I1
 * active → toggle Door once for 7 s. Leaves no rule behind.
 */
export async function expectDoorStillOpens(kernel: Kernel, clock: FakeClock): Promise<void> {
  expect(kernel.host.get('io').state).toBe('running');
  const rule = kernel.rules.create({
    name: 'Open door',
    trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
    actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:07' } }],
  });
  expect(rule.status).toEqual({ bound: true, conditionsHold: true });
  const simulator = kernel.simulator!;
  simulator.setInput('io-1', true);
  expect(simulator.relayContactClosed('relay-1')).toBe(true);
  expect(kernel.ports.holder('relay-1')?.owner).toBe('io');
  await clock.advance(6_999);
  expect(simulator.relayContactClosed('relay-1')).toBe(true);
  await clock.advance(1);
  expect(simulator.relayContactClosed('relay-1')).toBe(false);
  simulator.setInput('io-1', false);
  kernel.rules.remove(rule.id);
}

/** The same, through a harness. */
export function expectDoorStillOpensIn(h: Harness): Promise<void> {
  return expectDoorStillOpens(h.kernel, h.clock);
}
