import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest } from 'portier/sdk';
import { buildApp } from './built-app.js';
import { chimeHarness, doorbellRule, pressDoorbell, recordContact, timeline } from './chime-harness.js';

beforeAll(buildApp);

const harness = chimeHarness();

describe('door-chime/ring-chime on relay 2, a potential-free contact', () => {
  it('holds relay 2 open at rest, and rings the default double strike when the doorbell rule fires', async () => {
    const h = await harness.start();
    expect(h.plugin('door-chime').state).toBe('running');
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false, owner: 'door-chime' });
    expect(h.createRule(doorbellRule()).status).toEqual({ bound: true, conditionsHold: true });
    const contact = recordContact(h);

    pressDoorbell(h);
    await h.advance(5_000);

    // Default settings: strikes of 400 ms, 600 ms apart.
    expect(timeline(contact)).toEqual([
      [0, 'closed'],
      [400, 'open'],
      [1_000, 'closed'],
      [1_400, 'open'],
    ]);
    const rang = h.events('door-chime/chime-rang');
    expect(rang).toHaveLength(1);
    expect(rang[0]!.payload).toEqual({
      pattern: 'double',
      relay: 'relay-2',
      strikes: 2,
      durationMs: 1_400,
      end: 'completed',
      source: 'rule',
      reason: 'rule "Doorbell" on io/input',
      rule: 'Doorbell',
    });
    expect(h.relay('relay-2').contactClosed).toBe(false);
  });

  it('announces chime-rang when the chime falls silent, not before', async () => {
    const h = await harness.start();
    h.createRule(doorbellRule({ pattern: 'single' }));
    pressDoorbell(h);
    await h.advance(399);
    expect(h.events('door-chime/chime-rang')).toEqual([]);
    await h.advance(1);
    expect(h.events('door-chime/chime-rang').map((e) => e.payload.durationMs)).toEqual([400]);
  });

  it('plays each named pattern with the pulse and gap from the settings', async () => {
    const h = await harness.start({ chime: { pulseMs: 200, gapMs: 300 } });
    const rules = ['single', 'triple', 'westminster'].map((pattern, i) =>
      h.createRule({
        name: pattern,
        trigger: { event: 'io/input', filter: { port: `io-${i + 2}`, active: true } },
        actions: [{ type: 'door-chime/ring-chime', params: { pattern } }],
      }),
    );
    expect(rules.every((r) => r.status.bound)).toBe(true);

    const play = async (input: string): Promise<[number, string][]> => {
      const contact = recordContact(h);
      h.setInput(input, true);
      h.setInput(input, false);
      await h.advance(10_000);
      return timeline(contact);
    };

    expect(await play('io-2')).toEqual([[0, 'closed'], [200, 'open']]);
    expect(await play('io-3')).toEqual([[0, 'closed'], [200, 'open'], [500, 'closed'], [700, 'open'], [1_000, 'closed'], [1_200, 'open']]);
    // Westminster: three even strikes, a breath twice the gap, a fourth strike twice as long.
    expect(await play('io-4')).toEqual([
      [0, 'closed'],
      [200, 'open'],
      [500, 'closed'],
      [700, 'open'],
      [1_000, 'closed'],
      [1_200, 'open'],
      [1_800, 'closed'],
      [2_200, 'open'],
    ]);
    expect(h.events('door-chime/chime-rang').map((e) => [e.payload.pattern, e.payload.strikes, e.payload.durationMs])).toEqual([
      ['single', 1, 200],
      ['triple', 3, 1_200],
      ['westminster', 4, 2_200],
    ]);
  });

  it('plays custom pulses; a pulse without openMs gets the gap setting', async () => {
    const h = await harness.start();
    h.createRule(doorbellRule({ pattern: 'custom', pulses: [{ closedMs: 100, openMs: 100 }, { closedMs: 100 }, { closedMs: 1_000 }] }));
    const contact = recordContact(h);
    pressDoorbell(h);
    await h.advance(5_000);
    expect(timeline(contact)).toEqual([[0, 'closed'], [100, 'open'], [200, 'closed'], [300, 'open'], [900, 'closed'], [1_900, 'open']]);
  });

  it('with a duration, repeats the pattern after the pause and opens the contact when the time is up', async () => {
    const h = await harness.start({ chime: { pauseMs: 2_000 } });
    h.createRule(doorbellRule({ pattern: 'single', duration: 5 }));
    const contact = recordContact(h);
    pressDoorbell(h);
    await h.advance(10_000);
    // 400 ms strikes every 2.4 s; the third is cut at 5 s.
    expect(timeline(contact)).toEqual([[0, 'closed'], [400, 'open'], [2_400, 'closed'], [2_800, 'open'], [4_800, 'closed'], [5_000, 'open']]);
    expect(h.events('door-chime/chime-rang').map((e) => e.payload)).toMatchObject([{ pattern: 'single', strikes: 3, durationMs: 5_000, end: 'completed' }]);
  });

  it('a second press while the chime rings starts over: contact open, one gap, then the new ring', async () => {
    const h = await harness.start();
    h.createRule(doorbellRule({ pattern: 'double' }));
    const contact = recordContact(h);
    pressDoorbell(h);
    await h.advance(200); // first strike still closed
    pressDoorbell(h);
    await h.advance(5_000);
    expect(timeline(contact)).toEqual([
      [0, 'closed'],
      [200, 'open'], // cut short at once
      [800, 'closed'], // after one 600 ms gap
      [1_200, 'open'],
      [1_800, 'closed'],
      [2_200, 'open'],
    ]);
    expect(h.events('door-chime/chime-rang').map((e) => [e.payload.end, e.payload.strikes, e.payload.durationMs])).toEqual([
      ['restarted', 1, 200],
      ['completed', 2, 1_400],
    ]);
  });

  it('refuses a rule whose duration is longer than maxDurationSeconds, naming the field', async () => {
    const h = await harness.start({ chime: { maxDurationSeconds: 10 } });
    expect(() => h.createRule(doorbellRule({ duration: 11 }))).toThrow(
      expect.objectContaining({
        code: 'RULE_INVALID',
        details: [{ path: '/actions/0/params/duration', message: 'expected at most 10 s (the door-chime setting maxDurationSeconds)' }],
      }),
    );
    expect(() => h.createRule(doorbellRule({ pattern: 'custom' }))).toThrow(/\/actions\/0\/params\/pulses: a custom pattern needs its pulses/);
    expect(() => h.createRule(doorbellRule({ pattern: 'double', pulses: [{ closedMs: 100 }] }))).toThrow(/pulses go with the pattern "custom"/);
    expect(() => h.createRule(doorbellRule({ pattern: 'chord' }))).toThrow(/\/actions\/0\/params\/pattern/);
  });

  it('stopping the plugin mid-strike opens the contact and gives relay 2 back', async () => {
    const h = await harness.start();
    h.createRule(doorbellRule({ pattern: 'single', duration: 20 }));
    pressDoorbell(h);
    await h.advance(100);
    expect(h.relay('relay-2')).toEqual({ active: true, contactClosed: true, owner: 'door-chime' });

    await h.kernel.host.stop('door-chime');
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });
    await h.advance(30_000);
    expect(h.relay('relay-2').contactClosed).toBe(false);
    // Cancelled by the stop: nothing is announced by a plugin that is going away.
    expect(h.events('door-chime/chime-rang')).toEqual([]);
  });

  it('a ring cancelled because its rule was removed opens the contact and says so', async () => {
    const h = await harness.start();
    const rule = h.createRule(doorbellRule({ pattern: 'single', duration: 20 }));
    pressDoorbell(h);
    await h.advance(2_500); // second strike closed
    expect(h.relay('relay-2').contactClosed).toBe(true);
    h.kernel.rules.remove(rule.id);
    await h.advance(0);
    expect(h.relay('relay-2').contactClosed).toBe(false);
    expect(h.events('door-chime/chime-rang').map((e) => [e.payload.end, e.payload.strikes, e.payload.durationMs])).toEqual([['cancelled', 2, 2_500]]);
  });

  it('POST /ring rings at once with the default pattern and says which relay', async () => {
    const h = await harness.start({ chime: { defaultPattern: 'single' } });
    const route = h.kernel.pluginRoutes.get('door-chime', 'POST', '/ring');
    expect(route).toBeDefined();
    const request: HttpRequest<unknown, unknown, unknown> = {
      method: 'POST',
      route: '/ring',
      params: {},
      query: {},
      body: route!.schemas.body!.parse(undefined),
      user: { username: 'installer', role: 'operator' },
      signal: new AbortController().signal,
    };
    const answer = await route!.handler(request);
    expect(answer).toMatchObject({ status: 202, body: { relay: 'relay-2', pattern: 'single' } });
    expect(h.relay('relay-2').contactClosed).toBe(true);
    await h.advance(400);
    expect(h.relay('relay-2').contactClosed).toBe(false);
    expect(h.events('door-chime/chime-rang').map((e) => e.payload)).toMatchObject([{ source: 'api', reason: 'rung by installer through the API', pattern: 'single' }]);
  });
});
