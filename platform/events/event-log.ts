import type Database from 'better-sqlite3';
import { PortierError } from '../../sdk/errors.js';
import type { PortierEvent } from '../../sdk/events.js';

const DEFAULT_FLUSH_EVERY_MS = 100;
/** A batch this big is written on the next turn of the event loop instead of waiting for the timer. */
const FLUSH_AT = 1_000;
/**
 * If a synchronous burst keeps the event loop from turning, append writes
 * itself at this size rather than letting the buffer grow without bound.
 */
const FORCE_FLUSH_AT = 10 * FLUSH_AT;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

export interface EventLogOptions {
  /** The most events kept; older ones are deleted after each flush. */
  capacity: number;
  flushEveryMs?: number;
  /** Where a failed background flush is reported; that batch is lost. */
  onError?: (error: unknown) => void;
}

export interface EventLogQuery {
  /** Earliest `time`, inclusive. */
  from?: number;
  /** Latest `time`, inclusive. */
  to?: number;
  type?: string;
  source?: string;
  /** Only events with a larger `seq`, for paging. */
  afterSeq?: number;
  /** Default 100, at most 1000. */
  limit?: number;
  /** By `seq`; default 'asc'. */
  order?: 'asc' | 'desc';
}

interface EventRow {
  seq: number;
  time: number;
  type: string;
  source: string;
  stateful: number;
  payload: string;
}

/**
 * The bounded, persistent history of events. Appending only buffers, because
 * it sits on the event hot path; writes happen in batches, one transaction
 * (and one fsync) each. The stored `seq` is SQLite's rowid, not the kernel's
 * per-run counter, so it keeps increasing across restarts.
 */
export class EventLog {
  private buffer: PortierEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly capacity: number;
  private readonly flushEveryMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly insert: Database.Statement<[number, string, string, number, string]>;
  private readonly trim: Database.Statement<[number]>;
  private readonly writeBatch: (events: PortierEvent[]) => void;
  private readonly queries = new Map<string, Database.Statement<unknown[], EventRow>>();

  constructor(
    private readonly db: Database.Database,
    options: EventLogOptions,
  ) {
    if (!Number.isSafeInteger(options.capacity) || options.capacity < 1) {
      throw new PortierError('EVENT_LOG_OPTIONS_INVALID', `The event log capacity must be a positive integer, not ${options.capacity}.`);
    }
    this.capacity = options.capacity;
    this.flushEveryMs = options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
    this.onError = options.onError ?? ((error) => console.error('Portier event log: a batch of events could not be written.', error));
    this.insert = db.prepare('INSERT INTO event_log (time, type, source, stateful, payload) VALUES (?, ?, ?, ?, ?)');
    // Rowids are contiguous (only the oldest are ever deleted), so this keeps
    // exactly `capacity` rows, using the primary key instead of counting.
    this.trim = db.prepare('DELETE FROM event_log WHERE seq <= ?');
    this.writeBatch = db.transaction((events: PortierEvent[]) => {
      let last = 0;
      for (const event of events) {
        last = Number(
          this.insert.run(event.time, event.type, event.source, event.stateful ? 1 : 0, serialisePayload(event.payload)).lastInsertRowid,
        );
      }
      if (last > this.capacity) this.trim.run(last - this.capacity);
    });
  }

  /** O(1), never touches SQLite unless a burst starves the event loop (see FORCE_FLUSH_AT). */
  append(event: PortierEvent): void {
    if (this.closed) return;
    this.buffer.push(event);
    const size = this.buffer.length;
    if (size === 1) {
      this.timer = setTimeout(() => this.flushQuietly(), this.flushEveryMs);
      this.timer.unref();
    } else if (size === FLUSH_AT) {
      this.immediate = setImmediate(() => this.flushQuietly());
      this.immediate.unref();
    } else if (size >= FORCE_FLUSH_AT) {
      this.flushQuietly();
    }
  }

  /** Writes every buffered event now; throws if the write fails (that batch is lost). */
  flush(): void {
    this.cancelScheduled();
    if (this.buffer.length === 0) return;
    // Swap before writing so a failure cannot make the buffer grow forever.
    const batch = this.buffer;
    this.buffer = [];
    this.writeBatch(batch);
  }

  query(query: EventLogQuery = {}): PortierEvent[] {
    this.flush();
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new PortierError('EVENT_LOG_QUERY_INVALID', `The event log limit must be a positive integer, not ${limit}.`);
    }
    const order = query.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') {
      throw new PortierError('EVENT_LOG_QUERY_INVALID', `The event log order must be 'asc' or 'desc', not ${String(order)}.`);
    }
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown): void => {
      if (value === undefined) return;
      conditions.push(condition);
      params.push(value);
    };
    add('time >= ?', query.from);
    add('time <= ?', query.to);
    add('type = ?', query.type);
    add('source = ?', query.source);
    add('seq > ?', query.afterSeq);
    params.push(Math.min(limit, MAX_LIMIT));

    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const sql = `SELECT seq, time, type, source, stateful, payload FROM event_log ${where} ORDER BY seq ${order.toUpperCase()} LIMIT ?`;
    return this.statement(sql).all(...params).map(toEvent);
  }

  /** Writes what is buffered and stops the timer; later appends are ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      this.onError(error);
    }
  }

  private cancelScheduled(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** At most 2^5 × 2 query shapes exist, so caching them all is bounded. */
  private statement(sql: string): Database.Statement<unknown[], EventRow> {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], EventRow>(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Payloads were validated against their schemas, so this should not fail; if
 * one still cannot be serialised, the event is kept with a note rather than
 * failing the whole batch.
 */
function serialisePayload(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'null';
  } catch (error) {
    return JSON.stringify({ $unserialisable: error instanceof Error ? error.message : String(error) });
  }
}

function toEvent(row: EventRow): PortierEvent {
  return {
    seq: row.seq,
    time: row.time,
    type: row.type,
    source: row.source,
    stateful: row.stateful !== 0,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}
