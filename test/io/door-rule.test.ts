import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../sdk/testing/index.js';

describe('the manual\'s rule: input I1 active → toggle Door once for 7 s', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  const openDoorRule = {
    name: 'Open door',
    trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
    actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:07' } }],
  };

  it('opens the fail-secure Door relay for exactly 7 s, then closes it again', async () => {
    h = await startHarness({ plugins: ['io'] });
    const rule = h.createRule(openDoorRule);
    expect(rule.status).toEqual({ bound: true, conditionsHold: true });
    expect(h.relay('relay-1')).toEqual({ active: false, contactClosed: false, owner: 'io' });

    h.setInput('io-1', true);
    expect(h.relay('relay-1')).toMatchObject({ active: true, contactClosed: true });
    await h.advance(6_999);
    expect(h.relay('relay-1').active).toBe(true);
    await h.advance(1);
    expect(h.relay('relay-1')).toMatchObject({ active: false, contactClosed: false });

    const outputs = h.events('io/output').filter((e) => e.payload.port === 'relay-1');
    expect(outputs.map((e) => e.payload.active)).toEqual([false, true, false]);
    expect(outputs[2]!.time - outputs[1]!.time).toBe(7_000);
  });

  it('honours a fail-safe relay: closed at rest, open while the door is unlocked', async () => {
    h = await startHarness({
      plugins: ['io'],
      settings: { io: { ports: { 'relay-1': { name: 'Door', normalState: 'fail-safe' } } } },
    });
    expect(h.relay('relay-1')).toMatchObject({ active: false, contactClosed: true });
    h.createRule(openDoorRule);
    h.setInput('io-1', true);
    expect(h.relay('relay-1')).toMatchObject({ active: true, contactClosed: false });
    await h.advance(7_000);
    expect(h.relay('relay-1')).toMatchObject({ active: false, contactClosed: true });
  });
});
