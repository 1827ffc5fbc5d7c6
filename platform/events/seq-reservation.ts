import type Database from 'better-sqlite3';

/** Sequence numbers reserved per durable write; a restart skips at most this many. */
const BLOCK = 100_000;
const KEY = 'event_seq_reserved';

/**
 * Event sequence numbers that are never handed out twice, even after a
 * crash that lost the event log's last unwritten batch: numbers are
 * reserved in blocks with one durable write per block, and a restart
 * continues after the last reservation. A client resuming the live stream
 * with Last-Event-ID therefore never mistakes a new event for one it saw.
 */
export class SeqReservation {
  private current: number;
  private reservedUpTo: number;
  private readonly read: Database.Statement<[string], string>;
  private readonly write: Database.Statement<[string, string]>;

  constructor(db: Database.Database, lastLogged: number) {
    this.read = db.prepare<[string], string>('SELECT value FROM system_settings WHERE key = ?').pluck();
    this.write = db.prepare('INSERT INTO system_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    const stored = Number(this.read.get(KEY) ?? 0);
    this.current = Math.max(lastLogged, Number.isSafeInteger(stored) ? stored : 0);
    this.reservedUpTo = this.current;
    this.reserve();
  }

  next(): number {
    this.current++;
    if (this.current > this.reservedUpTo) this.reserve();
    return this.current;
  }

  private reserve(): void {
    this.reservedUpTo = this.current + BLOCK;
    this.write.run(KEY, String(this.reservedUpTo));
  }
}
