import type Database from 'better-sqlite3';

/** One event as the log stores it: seq, time, type, source, stateful (0/1), payload JSON. */
export type EventLogRow = [number, number, string, string, number, string];

/** Rows per INSERT statement: better-sqlite3 pays about 1 µs per statement run, not per row. */
const ROWS_PER_INSERT = 64;

/**
 * Writes batches of rows in one transaction (one fsync) each, with
 * multi-row INSERTs, then trims the log to its capacity. Used on the kernel's
 * thread for an in-memory store and in the writer thread for a file store.
 */
export function createBatchWriter(db: Database.Database, capacity: number): (rows: readonly EventLogRow[]) => number {
  const values = (n: number): string => Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
  const insertMany = db.prepare(`INSERT OR REPLACE INTO event_log (seq, time, type, source, stateful, payload) VALUES ${values(ROWS_PER_INSERT)}`);
  const insertOne = db.prepare('INSERT OR REPLACE INTO event_log (seq, time, type, source, stateful, payload) VALUES (?, ?, ?, ?, ?, ?)');
  const trim = db.prepare('DELETE FROM event_log WHERE seq <= ?');
  return db.transaction((rows: readonly EventLogRow[]): number => {
    let i = 0;
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      insertMany.run(rows.slice(i, i + ROWS_PER_INSERT).flat());
    }
    for (; i < rows.length; i++) insertOne.run(rows[i]!);
    const last = rows.at(-1)?.[0] ?? 0;
    if (last > capacity) trim.run(last - capacity);
    return last;
  });
}
