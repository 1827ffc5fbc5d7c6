import { describe, expect, it, vi } from 'vitest';
import type { Harness } from '../../sdk/testing/index.js';
import { IO_LEAVES_RELAY_2_AND_IO_4, expectDoorStillOpensIn, ioWithFixtures } from '../support/fixture-plugins.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const RETRY = { firstDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 };

/** Transient failures are retried with back-off, then given up; permanent ones are not retried. */
describe('retry with back-off', () => {
  const harnesses = harnessPerTest();
  const boot = (fixtures: string[], retry = RETRY, settings: Record<string, unknown> = {}): Promise<Harness> =>
    harnesses.start(ioWithFixtures(fixtures, { settings, kernel: { retry } }));

  const stateChanges = (h: Harness, plugin: string): string[] =>
    h.events('core/plugin-state').filter((e) => e.payload.plugin === plugin).map((e) => String(e.payload.state));

  it('a start() that fails twice then works runs after 1 s + 2 s, and its waiting dependent starts with it', async () => {
    const h = await boot(['start-flaky', 'after-flaky']);
    expect(h.plugin('start-flaky')).toMatchObject({
      state: 'failed',
      failure: { code: 'PLUGIN_START_FAILED', message: 'Plugin "start-flaky" failed in start(): not ready yet (attempt 1)' },
      note: 'retry 1 of 3 in 1 s',
    });
    expect(h.plugin('after-flaky')).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DEPENDENCY_NOT_RUNNING',
        message: 'Plugin "after-flaky" requires "start-flaky", which failed: Plugin "start-flaky" failed in start(): not ready yet (attempt 1)',
      },
    });

    await h.advance(999);
    expect(h.plugin('start-flaky').failure?.message).toMatch(/attempt 1\)$/);
    await h.advance(1);
    expect(h.plugin('start-flaky')).toMatchObject({
      state: 'failed',
      failure: { message: 'Plugin "start-flaky" failed in start(): not ready yet (attempt 2)' },
      note: 'retry 2 of 3 in 2 s',
    });

    await h.advance(1_999);
    expect(h.plugin('start-flaky').state).toBe('failed');
    await h.advance(1);
    expect(h.plugin('start-flaky').state).toBe('running');
    expect(h.plugin('start-flaky').failure).toBeUndefined();
    expect(h.plugin('start-flaky').note).toBeUndefined();
    // after-flaky's module is imported for the first time now: real I/O, not fake time.
    await vi.waitFor(() => expect(h.plugin('after-flaky').state).toBe('running'));
    expect(h.plugin('after-flaky').failure).toBeUndefined();
    await expectDoorStillOpensIn(h);
  });

  it('gives up after maxAttempts retries, waiting 1 s, 2 s, 4 s; then nothing more happens', async () => {
    const h = await boot(['start-throws']);
    expect(h.plugin('start-throws').note).toBe('retry 1 of 3 in 1 s');
    await h.advance(1_000);
    expect(h.plugin('start-throws').note).toBe('retry 2 of 3 in 2 s');
    await h.advance(2_000);
    expect(h.plugin('start-throws').note).toBe('retry 3 of 3 in 4 s');
    await h.advance(3_999);
    expect(h.plugin('start-throws').note).toBe('retry 3 of 3 in 4 s');
    await h.advance(1);
    expect(h.plugin('start-throws')).toMatchObject({
      state: 'failed',
      failure: { code: 'PLUGIN_START_FAILED', message: 'Plugin "start-throws" failed in start(): boom' },
      note: 'gave up after 3 retries; fix the cause and start it again',
    });
    const changes = stateChanges(h, 'start-throws').length;
    await h.advance(600_000);
    expect(stateChanges(h, 'start-throws')).toHaveLength(changes);

    // Starting it by hand tries once more and counts afresh.
    await h.kernel.host.start('start-throws');
    expect(h.plugin('start-throws').note).toBe('retry 1 of 3 in 1 s');
    await expectDoorStillOpensIn(h);
  });

  it('the delay doubles up to maxDelayMs', async () => {
    const h = await boot(['start-throws'], { firstDelayMs: 1_000, maxDelayMs: 3_000, maxAttempts: 5 });
    const notes = [h.plugin('start-throws').note];
    for (const delay of [1_000, 2_000, 3_000, 3_000, 3_000]) {
      await h.advance(delay);
      notes.push(h.plugin('start-throws').note);
    }
    expect(notes).toEqual([
      'retry 1 of 5 in 1 s',
      'retry 2 of 5 in 2 s',
      'retry 3 of 5 in 3 s',
      'retry 4 of 5 in 3 s',
      'retry 5 of 5 in 3 s',
      'gave up after 5 retries; fix the cause and start it again',
    ]);
  });

  it('a plugin that faults soon after every start backs off and gives up too', async () => {
    // `faulty` set to "timer" throws 5 s after each start.
    const h = await boot(['faulty'], RETRY, { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault: 'timer' } });
    const notes: (string | undefined)[] = [];
    await h.advance(5_000);
    notes.push(h.plugin('faulty').note);
    for (const delay of [1_000, 2_000, 4_000]) {
      await h.advance(delay);
      expect(h.plugin('faulty').state).toBe('running');
      await h.advance(5_000);
      notes.push(h.plugin('faulty').note);
    }
    expect(notes).toEqual([
      'retry 1 of 3 in 1 s',
      'retry 2 of 3 in 2 s',
      'retry 3 of 3 in 4 s',
      'gave up after 3 retries; fix the cause and start it again',
    ]);
    expect(h.plugin('faulty')).toMatchObject({ state: 'failed', failure: { code: 'PLUGIN_FAULT', message: 'Plugin "faulty" failed in timer: boom' } });
    expect(h.relay('relay-2')).toEqual({ active: false, contactClosed: false });
    await expectDoorStillOpensIn(h);
  });

  it('a plugin that ran a good while before a fault counts its retries afresh', async () => {
    const h = await boot(['faulty'], RETRY, { io: IO_LEAVES_RELAY_2_AND_IO_4, faulty: { fault: 'event-listener' } });
    h.setInput('io-2', true);
    await h.advance(0);
    expect(h.plugin('faulty').note).toBe('retry 1 of 3 in 1 s');
    h.setInput('io-2', false);
    await h.advance(1_000);
    expect(h.plugin('faulty').state).toBe('running');

    await h.advance(60_000); // longer than maxDelayMs: the last run was a good one
    h.setInput('io-2', true);
    await h.advance(0);
    expect(h.plugin('faulty')).toMatchObject({ state: 'failed', note: 'retry 1 of 3 in 1 s' });
  });

  it('a permanent failure (PORT_CLAIMED) is not retried', async () => {
    const h = await boot(['relay-thief']);
    expect(h.plugin('relay-thief')).toMatchObject({ state: 'failed', failure: { code: 'PORT_CLAIMED', transient: false } });
    expect(h.plugin('relay-thief').note).toBeUndefined();
    const changes = stateChanges(h, 'relay-thief').length;
    await h.advance(600_000);
    expect(stateChanges(h, 'relay-thief')).toHaveLength(changes);
    expect(h.plugin('relay-thief').state).toBe('failed');
    await expectDoorStillOpensIn(h);
  });
});
