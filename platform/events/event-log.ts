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
  /** How many of the latest events are kept at least (and at most one batch more); older ones are deleted. */
  capacity: number;
  flushEveryMs?: number;
  /** Where a failed background write is reported; that batch is lost. */
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

/** An event as a chunk stores it: seq, time, type, source, stateful (0/1), payload. */
type StoredEvent = [number, number, string, string, 0 | 1, unknown];

interface ChunkRow {
  seq_first: number;
  seq_last: number;
  events: string;
}

/**
 * The bounded, persistent history of events. Appending only buffers, because
 * it sits on the event hot path; each batch is written as one chunk row in one
 * transaction (and one fsync). Events keep the bus's `seq`, which continues
 * from the log's last one after a restart, so a client can page from the log
 * into the live stream without a gap. Queries read the chunks that can hold
 * matches and filter their events; the log is bounded, so that is cheap.
 */
export class EventLog {
  private buffer: PortierEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  private lastWritten: number;
  private readonly capacity: number;
  private readonly flushEveryMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly writeChunk: (events: readonly PortierEvent[]) => void;
  /** Stored chunks, oldest first: trimming counts events, since seq has gaps after a restart. */
  private readonly chunks: { first: number; count: number }[];
  private stored = 0;
  private readonly queries = new Map<string, Database.Statement<unknown[], ChunkRow>>();

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
    this.lastWritten = (db.prepare('SELECT max(seq_last) FROM event_log').pluck().get() as number | null) ?? 0;

    this.chunks = db.prepare<[], { first: number; count: number }>('SELECT seq_first AS first, count FROM event_log ORDER BY seq_first').all();
    for (const chunk of this.chunks) this.stored += chunk.count;
    const insert = db.prepare<[number, number, number, number, number, string]>(
      'INSERT OR REPLACE INTO event_log (seq_first, seq_last, time_first, time_last, count, events) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const drop = db.prepare<[number]>('DELETE FROM event_log WHERE seq_first <= ?');
    this.writeChunk = db.transaction((events: readonly PortierEvent[]) => {
      const first = events[0]!;
      const last = events.at(-1)!;
      insert.run(first.seq, last.seq, first.time, last.time, events.length, serialise(events));
      this.chunks.push({ first: first.seq, count: events.length });
      this.stored += events.length;
      // Whole chunks go while the rest still holds `capacity` events.
      let dropUpTo: number | undefined;
      while (this.chunks.length > 1 && this.stored - this.chunks[0]!.count >= this.capacity) {
        const oldest = this.chunks.shift()!;
        this.stored -= oldest.count;
        dropUpTo = oldest.first;
      }
      if (dropUpTo !== undefined) drop.run(dropUpTo);
    });
  }

  /** The highest seq stored; the bus continues from it after a restart. */
  lastSeq(): number {
    return this.lastWritten;
  }

  /** O(1); never touches SQLite unless a burst starves the event loop (see FORCE_FLUSH_AT). */
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
    this.writeChunk(batch);
    this.lastWritten = batch.at(-1)!.seq;
  }

  /** Resolves once every event appended so far is in the database. */
  whenWritten(): Promise<void> {
    this.flush();
    return Promise.resolve();
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
    const max = Math.min(limit, MAX_LIMIT);
    const after = query.afterSeq ?? 0;
    const conditions = ['seq_last > ?'];
    const params: unknown[] = [after];
    if (query.from !== undefined) {
      conditions.push('time_last >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      conditions.push('time_first <= ?');
      params.push(query.to);
    }
    const sql = `SELECT seq_first, seq_last, events FROM event_log WHERE ${conditions.join(' AND ')} ORDER BY seq_first ${order.toUpperCase()}`;

    const out: PortierEvent[] = [];
    for (const chunk of this.statement(sql).iterate(...params)) {
      const events = JSON.parse(chunk.events) as StoredEvent[];
      if (order === 'desc') events.reverse();
      for (const stored of events) {
        const event = toEvent(stored);
        if (event.seq <= after || !matches(event, query)) continue;
        out.push(event);
        if (out.length === max) return out;
      }
    }
    return out;
  }

  /** Writes what is buffered, stops the timer, and ignores later appends. */
  close(): Promise<void> {
    if (!this.closed) {
      this.flush();
      this.closed = true;
    }
    return Promise.resolve();
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

  private statement(sql: string): Database.Statement<unknown[], ChunkRow> {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], ChunkRow>(sql);
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
function serialise(events: readonly PortierEvent[]): string {
  const rows: StoredEvent[] = events.map((e) => [e.seq, e.time, e.type, e.source, e.stateful ? 1 : 0, e.payload]);
  try {
    return JSON.stringify(rows);
  } catch {
    return JSON.stringify(rows.map((row) => [...row.slice(0, 5), safePayload(row[5])]));
  }
}

function safePayload(payload: unknown): unknown {
  try {
    JSON.stringify(payload);
    return payload;
  } catch (error) {
    return { $unserialisable: error instanceof Error ? error.message : String(error) };
  }
}

function matches(event: PortierEvent, query: EventLogQuery): boolean {
  return (
    (query.from === undefined || event.time >= query.from) &&
    (query.to === undefined || event.time <= query.to) &&
    (query.type === undefined || event.type === query.type) &&
    (query.source === undefined || event.source === query.source)
  );
}

function toEvent([seq, time, type, source, stateful, payload]: StoredEvent): PortierEvent {
  return { seq, time, type, source, stateful: stateful === 1, payload: (payload ?? {}) as Record<string, unknown> };
}
