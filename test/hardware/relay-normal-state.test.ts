import { describe, expect, it } from 'vitest';
import type { SimulatorChange } from '../../platform/hardware/simulated-intercom.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const failSafeDoor = { io: { ports: { 'relay-1': { name: 'Door', normalState: 'fail-safe' } } } };

/**
 * A relay's normal state belongs to the lock wired to it. A fail-safe lock is
 * locked while its relay is closed, so any moment the relay opens unlocks the door.
 */
describe('a relay keeps its normal state from one claim to the next', () => {
  const harnesses = harnessPerTest();

  it('restarting io does not open a fail-safe Door relay, not even for a moment', async () => {
    const h = await harnesses.start({ plugins: ['io'], settings: failSafeDoor });
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: true, owner: 'io' });
    const changes: SimulatorChange[] = [];
    h.simulator.onChange((change) => changes.push(change));

    await h.kernel.host.stop('io');
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: true });
    await h.kernel.host.start('io');
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: true, owner: 'io' });
    expect(changes.filter((c) => c.port === 'relay-1')).toEqual([]);
  });

  it('a later claim starts from the normal state set last', async () => {
    const h = await harnesses.start({ plugins: ['io'], settings: failSafeDoor });
    h.kernel.settings.replace('io', { ports: { 'relay-1': { name: 'Door', normalState: 'fail-secure' } } });
    expect(h.relay('relay-1').contactClosed).toBe(false);
    const changes: SimulatorChange[] = [];
    h.simulator.onChange((change) => changes.push(change));
    await h.kernel.host.restart('io');
    expect(changes.filter((c) => c.port === 'relay-1')).toEqual([]);
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false, owner: 'io' });
  });
});
