import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { PortierError } from '../../sdk/errors.js';
import type { PortierEvent } from '../../sdk/events.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventLog } from '../events/event-log.js';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and NAT from dropping a quiet stream. */
  heartbeatMs: number;
  /**
   * A client that lets this much pile up unsent is dropped rather than let
   * the intercom's memory grow; it reconnects with Last-Event-ID and catches
   * up from the log.
   */
  maxBufferedBytes: number;
  /** How long a client waits before reconnecting (the SSE `retry:` field). */
  retryMs: number;
  /** Streams open at once; each holds a socket and a listener on every event. */
  maxClients: number;
}

const DEFAULTS: EventStreamOptions = { heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024, retryMs: 2_000, maxClients: 64 };

/** The log answers at most this many per query; a replay reads page by page. */
const REPLAY_PAGE = 1_000;

/** What a stream sends: a type filter, and where a reconnecting client left off. */
export interface StreamRequest {
  matches(type: string): boolean;
  /** The `Last-Event-ID` the client sent: replay what it missed from the log first. */
  lastEventId?: number;
}

/**
 * Live events as Server-Sent Events: `id:` is the event's seq, `event:` its
 * type, `data:` the event as JSON. The seq is the log's, so a client that
 * reconnects with Last-Event-ID gets what it missed from the log, then the
 * live events, with no gap and nothing twice.
 */
export class EventStreams {
  private readonly open = new Set<Stream>();
  private readonly options: EventStreamOptions;

  constructor(
    private readonly bus: EventBus,
    private readonly log: EventLog,
    options: Partial<EventStreamOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** How many clients are connected. */
  get size(): number {
    return this.open.size;
  }

  /** Takes the response over from fastify and streams until the client or the server goes. */
  async serve(reply: FastifyReply, request: StreamRequest): Promise<void> {
    if (this.open.size >= this.options.maxClients) {
      throw Object.assign(
        new PortierError('EVENT_STREAMS_FULL', `${this.options.maxClients} event streams are open already; close one, or try again later.`),
        { status: 503 },
      );
    }
    reply.hijack();
    const stream = new Stream(reply.raw, this.options, () => this.open.delete(stream));
    this.open.add(stream);
    await stream.run(this.bus, this.log, request);
  }

  /** Ends every stream, so the server can close (an open stream is never idle). */
  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}

class Stream {
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
    private readonly onClosed: () => void,
  ) {
    res.on('close', () => this.cleanUp());
    // A write racing a disconnect reports here; without a listener it would crash the process.
    res.on('error', () => this.cleanUp());
  }

  async run(bus: EventBus, log: EventLog, request: StreamRequest): Promise<void> {
    const { res } = this;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    this.write(`retry: ${this.options.retryMs}\n: connected\n\n`);

    // Listen before reading the log: events that arrive during the replay wait
    // here and are sent after it, skipping those the replay already covered.
    let pending: PortierEvent[] | undefined = request.lastEventId === undefined ? undefined : [];
    this.unsubscribe = bus.on('*', (event) => {
      if (!request.matches(event.type)) return;
      if (pending !== undefined) pending.push(event);
      else this.send(event);
    });
    if (this.closed) {
      this.unsubscribe();
      return;
    }

    if (request.lastEventId !== undefined) {
      let cursor = request.lastEventId;
      for (;;) {
        const page = log.query({ afterSeq: cursor, limit: REPLAY_PAGE });
        for (const event of page) {
          if (request.matches(event.type)) this.send(event);
          cursor = event.seq;
        }
        if (this.closed || page.length < REPLAY_PAGE) break;
        await this.drained();
        if (this.closed) return;
      }
      const waiting = pending ?? [];
      pending = undefined;
      for (const event of waiting) if (event.seq > cursor) this.send(event);
    }
    if (this.closed) return;
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** `graceful`: what is written still goes out; otherwise the connection is cut (a client too slow to keep up). */
  close(graceful = true): void {
    if (this.closed) return;
    if (graceful) this.res.end();
    else this.res.destroy();
    this.cleanUp();
  }

  private send(event: PortierEvent): void {
    this.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${serialise(event)}\n\n`);
  }

  private write(chunk: string): void {
    if (this.closed || this.res.writableEnded || this.res.destroyed) return;
    this.res.write(chunk);
    if (this.res.writableLength > this.options.maxBufferedBytes) this.close(false);
  }

  private drained(): Promise<void> {
    if (!this.res.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  private cleanUp(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.onClosed();
  }
}

/** Payloads passed their schemas, so this should not fail; if it does, the event still goes out. */
function serialise(event: PortierEvent): string {
  try {
    return JSON.stringify(event);
  } catch (error) {
    return JSON.stringify({ ...event, payload: { $unserialisable: error instanceof Error ? error.message : String(error) } });
  }
}
