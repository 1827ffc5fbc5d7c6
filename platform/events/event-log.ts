import type Database from 'better-sqlite3';
import { PortierError } from '../../sdk/errors.js';
import type { PortierEvent } from '../../sdk/events.js';
import type { EventLogRow } from './event-log-batch.js';
import { type EventLogWriter, InlineEventLogWriter, WorkerEventLogWriter, type WriterCallbacks } from './event-log-writers.js';

const DEFAULT_FLUSH_EVERY_MS = 100;
/** A batch this big is written on the next turn of the event loop instead of waiting for the timer. */
const FLUSH_AT = 1_000;
/**
 * If a synchronous burst keeps the event loop from turning, append writes
 * itself at this size rather than letting the buffer grow without bound.
 */
const FORCE_FLUSH_AT = 10 * FLUSH_AT;
/**
 * Events handed to the writer thread and not yet written. A sustained flood
 * faster than the disk would otherwise grow memory without bound; past this
 * the log drops new batches and says so.
 */
const MAX_IN_FLIGHT = 200_000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

export interface EventLogOptions {
  /** The most events kept; older ones are deleted after each write. */
  capacity: number;
  flushEveryMs?: number;
  /**
   * The database file. Given, batches are written by a worker thread with its
   * own connection, off the event path; without it (an in-memory store) they
   * are written on this thread.
   */
  file?: string;
  /** Where a failed write is reported; that batch is lost. */
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
 * it sits on the event hot path; batches are handed to a writer (a worker
 * thread for a file store) and written one transaction each. Events keep the
 * bus's `seq`, which continues from the log's last one after a restart, so a
 * client can page from the log into the live stream without a gap.
 * A query sees every appended event: written rows, plus those still on
 * their way to the database.
 */
export class EventLog {
  private buffer: PortierEvent[] = [];
  /** Handed to the writer, not yet reported written. */
  private inFlight: PortierEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly flushEveryMs: number;
  private readonly onError: (error: unknown) => void;
  private writer: EventLogWriter;
  private readonly queries = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly last: number;

  constructor(
    private readonly db: Database.Database,
    options: EventLogOptions,
  ) {
    if (!Number.isSafeInteger(options.capacity) || options.capacity < 1) {
      throw new PortierError('EVENT_LOG_OPTIONS_INVALID', `The event log capacity must be a positive integer, not ${options.capacity}.`);
    }
    this.flushEveryMs = options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
    this.onError = options.onError ?? ((error) => console.error('Portier event log: a batch of events could not be written.', error));
    this.last = (db.prepare('SELECT max(seq) FROM event_log').pluck().get() as number | null) ?? 0;
    const callbacks: WriterCallbacks = {
      written: (upTo) => this.settle(upTo),
      failed: (upTo, error) => {
        this.settle(upTo);
        this.onError(error);
      },
      dead: (error) => {
        // Without its thread the log writes on this one rather than lose events.
        this.onError(error);
        this.writer = new InlineEventLogWriter(db, options.capacity, callbacks);
        const unwritten = this.inFlight;
        this.inFlight = [];
        if (unwritten.length > 0) {
          this.inFlight = unwritten;
          this.writer.write(unwritten.map(toRow));
        }
      },
    };
    this.writer =
      options.file === undefined || options.file === ':memory:'
        ? new InlineEventLogWriter(db, options.capacity, callbacks)
        : new WorkerEventLogWriter(options.file, options.capacity, callbacks);
  }

  /** The highest seq stored when the log was opened; the bus continues from it. */
  lastSeq(): number {
    return this.last;
  }

  /** O(1); never touches SQLite unless a burst starves the event loop (see FORCE_FLUSH_AT). */
  append(event: PortierEvent): void {
    if (this.closed) return;
    this.buffer.push(event);
    const size = this.buffer.length;
    if (size === 1) {
      this.timer = setTimeout(() => this.flush(), this.flushEveryMs);
      this.timer.unref();
    } else if (size === FLUSH_AT) {
      this.immediate = setImmediate(() => this.flush());
      this.immediate.unref();
    } else if (size >= FORCE_FLUSH_AT) {
      this.flush();
    }
  }

  /** Hands every buffered event to the writer. */
  flush(): void {
    this.cancelScheduled();
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    if (this.inFlight.length >= MAX_IN_FLIGHT) {
      this.onError(
        new PortierError('EVENT_LOG_BEHIND', `The event log is ${this.inFlight.length} events behind the disk; ${batch.length} events (seq ${batch[0]!.seq}–${batch.at(-1)!.seq}) were not logged.`),
      );
      return;
    }
    for (const event of batch) this.inFlight.push(event);
    this.writer.write(batch.map(toRow));
  }

  query(query: EventLogQuery = {}): PortierEvent[] {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new PortierError('EVENT_LOG_QUERY_INVALID', `The event log limit must be a positive integer, not ${limit}.`);
    }
    const order = query.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') {
      throw new PortierError('EVENT_LOG_QUERY_INVALID', `The event log order must be 'asc' or 'desc', not ${String(order)}.`);
    }
    const max = Math.min(limit, MAX_LIMIT);
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
    params.push(max);
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const sql = `SELECT seq, time, type, source, stateful, payload FROM event_log ${where} ORDER BY seq ${order.toUpperCase()} LIMIT ?`;
    const stored = this.statement(sql).all(...params).map(toEvent);

    // Events not yet in the database all come after the stored ones.
    const storedMax = stored.reduce((m, e) => Math.max(m, e.seq), 0);
    const unwritten = [...this.inFlight, ...this.buffer].filter((e) => e.seq > storedMax && matches(e, query)).map(copy);
    if (order === 'asc') return [...stored, ...unwritten].slice(0, max);
    return [...unwritten.reverse(), ...stored].slice(0, max);
  }

  /** Writes what is buffered, waits for the writer, and ignores later appends. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await this.writer.close();
  }

  private settle(upTo: number): void {
    let drop = 0;
    while (drop < this.inFlight.length && this.inFlight[drop]!.seq <= upTo) drop++;
    if (drop > 0) this.inFlight = this.inFlight.slice(drop);
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

function toRow(event: PortierEvent): EventLogRow {
  return [event.seq, event.time, event.type, event.source, event.stateful ? 1 : 0, serialisePayload(event.payload)];
}

function matches(event: PortierEvent, query: EventLogQuery): boolean {
  return (
    (query.from === undefined || event.time >= query.from) &&
    (query.to === undefined || event.time <= query.to) &&
    (query.type === undefined || event.type === query.type) &&
    (query.source === undefined || event.source === query.source) &&
    (query.afterSeq === undefined || event.seq > query.afterSeq)
  );
}

/** Callers get their own copy, as they would from the database. */
function copy(event: PortierEvent): PortierEvent {
  return { ...event, payload: JSON.parse(serialisePayload(event.payload)) as Record<string, unknown> };
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
