import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SeqReservation } from '../../platform/events/seq-reservation.js';
import { openDatabase } from '../../platform/store/database.js';
import { Kernel } from '../../platform/kernel.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';

describe('event sequence numbers', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
  });

  it('are never handed out twice, even when a crash lost the last unwritten events', () => {
    const folder = mkdtempSync(join(tmpdir(), 'portier-seq-'));
    folders.push(folder);
    const file = join(folder, 'portier.db');
    let db = openDatabase(file);
    let seq = new SeqReservation(db, 0);
    const handedOut = Array.from({ length: 250_001 }, () => seq.next());
    expect(handedOut.at(-1)).toBe(250_001);
    // A crash: the process dies; nothing was logged.
    db.close();

    db = openDatabase(file);
    seq = new SeqReservation(db, 0);
    expect(seq.next()).toBeGreaterThan(250_001);
    db.close();
  });

  it('continue across a clean restart of the kernel, so the log and the live stream never overlap', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portier-seq-'));
    folders.push(dataDir);
    let kernel = await Kernel.create({ dataDir, clock: new FakeClock(), only: ['io'] });
    await kernel.start();
    const before = kernel.eventLog.query({ order: 'desc', limit: 1 })[0]!.seq;
    await kernel.stop();

    kernel = await Kernel.create({ dataDir, clock: new FakeClock(), only: ['io'] });
    await kernel.start();
    const after = kernel.eventLog.query({ afterSeq: before, limit: 1 })[0]!;
    expect(after.seq).toBeGreaterThan(before);
    expect(kernel.eventLog.query({ limit: 1000 }).map((e) => e.seq)).toEqual(
      [...kernel.eventLog.query({ limit: 1000 }).map((e) => e.seq)].sort((a, b) => a - b),
    );
    await kernel.stop();
  });
});
