import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { PortierEvent } from '../../sdk/events.js';
import { openDatabase } from '../../platform/store/database.js';
import { EventLog } from '../../platform/events/event-log.js';

function event(n: number, overrides: Partial<PortierEvent> = {}): PortierEvent {
  return { seq: n, time: 1_000 + n, type: 'io/input', source: 'io', stateful: true, payload: { port: n }, ...overrides };
}

function rows(db: ReturnType<typeof openDatabase>): number {
  return (db.prepare('SELECT coalesce(sum(count), 0) FROM event_log').pluck().get() as number);
}

describe('EventLog', () => {
  it('buffers appends and writes them when the timer fires', async () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 100, flushEveryMs: 20 });
    log.append(event(1));
    log.append(event(2));
    expect(rows(db)).toBe(0);
    await sleep(80);
    expect(rows(db)).toBe(2);
    log.close();
  });

  it('writes a batch of 1,000 on the next turn of the event loop, without waiting for the timer', async () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 10_000, flushEveryMs: 60_000 });
    for (let i = 0; i < 999; i++) log.append(event(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows(db)).toBe(0);
    log.append(event(999));
    expect(rows(db)).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows(db)).toBe(1_000);
    log.close();
  });

  it('writes from append itself when a synchronous burst never lets the event loop turn', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 100_000, flushEveryMs: 60_000 });
    for (let i = 0; i < 25_000; i++) log.append(event(i));
    expect(rows(db)).toBe(20_000);
    log.close();
    expect(rows(db)).toBe(25_000);
  });

  it('returns what was appended, with the bus seq', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 100 });
    log.append(event(7, { seq: 7, stateful: false, payload: { nested: { a: [1, 'b'] } } }));
    expect(log.query()).toEqual([
      { seq: 7, time: 1_007, type: 'io/input', source: 'io', stateful: false, payload: { nested: { a: [1, 'b'] } } },
    ]);
    log.close();
  });

  it('filters by time, type, source and seq, orders and limits', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 10_000 });
    for (let i = 1; i <= 30; i++) {
      log.append(event(i, { time: i * 10, type: i % 2 === 0 ? 'io/input' : 'sip/call', source: i % 3 === 0 ? 'a' : 'b' }));
    }
    const seqs = (q: Parameters<EventLog['query']>[0]) => log.query(q).map((e) => e.seq);
    expect(seqs({ from: 50, to: 80 })).toEqual([5, 6, 7, 8]);
    expect(seqs({ type: 'sip/call', to: 100 })).toEqual([1, 3, 5, 7, 9]);
    expect(seqs({ source: 'a', type: 'io/input' })).toEqual([6, 12, 18, 24, 30]);
    expect(seqs({ afterSeq: 25 })).toEqual([26, 27, 28, 29, 30]);
    expect(seqs({ order: 'desc', limit: 3 })).toEqual([30, 29, 28]);
    expect(seqs({ limit: 2, afterSeq: 10, order: 'asc' })).toEqual([11, 12]);
    expect(log.query().length).toBe(30);
    log.close();
  });

  it('defaults to 100 results and never returns more than 1,000', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 5_000 });
    for (let i = 0; i < 1_500; i++) log.append(event(i));
    expect(log.query().length).toBe(100);
    expect(log.query({ limit: 5_000 }).length).toBe(1_000);
    expect(() => log.query({ limit: 0 })).toThrow(expect.objectContaining({ code: 'EVENT_LOG_QUERY_INVALID' }));
    log.close();
  });

  it('keeps at most `capacity` events, deleting the oldest', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 50 });
    for (let i = 0; i < 30; i++) log.append(event(i));
    log.flush();
    expect(rows(db)).toBe(30);
    for (let i = 30; i < 120; i++) log.append(event(i));
    log.flush();
    // Storage drops whole chunks: the one that straddles the window's edge stays, but
    // queries never return an event older than the latest `capacity`.
    expect(rows(db)).toBe(90);
    const kept = log.query({ limit: 1_000 });
    // At least `capacity` and at most one batch more: the 90-event batch alone holds more than 50.
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: 90 }, (_, i) => 30 + i));
    expect(kept[0]?.payload).toEqual({ port: 30 });
    log.close();
  });

  it('tells the bus where seq left off, so it keeps increasing across restarts', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'portier-log-'));
    try {
      const file = join(folder, 'data.db');
      let db = openDatabase(file);
      let log = new EventLog(db, { capacity: 3 });
      expect(log.lastSeq()).toBe(0);
      for (let i = 1; i <= 5; i++) log.append(event(i));
      await log.close();
      db.close();

      db = openDatabase(file);
      log = new EventLog(db, { capacity: 3 });
      expect(log.lastSeq()).toBe(5);
      // One batch of 5 is one chunk: kept whole, as at least `capacity` (3) must stay.
      expect(log.query().map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      await log.close();
      db.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('flushes on close and ignores later appends', () => {
    const db = openDatabase(':memory:');
    const log = new EventLog(db, { capacity: 10, flushEveryMs: 60_000 });
    log.append(event(1));
    log.close();
    expect(rows(db)).toBe(1);
    log.append(event(2));
    log.flush();
    expect(rows(db)).toBe(1);
  });

  it('reports a failed background flush instead of throwing from a timer', async () => {
    const db = openDatabase(':memory:');
    const errors: unknown[] = [];
    const log = new EventLog(db, { capacity: 10, flushEveryMs: 10, onError: (error) => errors.push(error) });
    db.close();
    log.append(event(1));
    await sleep(50);
    expect(errors.length).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    const db = openDatabase(':memory:');
    expect(() => new EventLog(db, { capacity: 0 })).toThrow(expect.objectContaining({ code: 'EVENT_LOG_OPTIONS_INVALID' }));
  });
});
