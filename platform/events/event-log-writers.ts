import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { type EventLogRow, createBatchWriter } from './event-log-batch.js';
import type { WorkerReply, WorkerRequest } from './event-log-worker.js';

export interface WriterCallbacks {
  /** The writer thread died; rows handed to it and not reported written must be written another way. */
  dead?(error: unknown): void;
  /** Every row with seq ≤ upTo is durable. */
  written(upTo: number): void;
  /** The rows up to `upTo` could not be written; they are lost. */
  failed(upTo: number, error: unknown): void;
}

/** Takes batches of rows off the event log; `close` resolves when all are written. */
export interface EventLogWriter {
  write(rows: EventLogRow[]): void;
  close(): Promise<void>;
}

/** Writes on the calling thread: for an in-memory store, which a worker cannot share. */
export class InlineEventLogWriter implements EventLogWriter {
  private readonly writeBatch: (rows: readonly EventLogRow[]) => number;

  constructor(
    db: Database.Database,
    capacity: number,
    private readonly callbacks: WriterCallbacks,
  ) {
    this.writeBatch = createBatchWriter(db, capacity);
  }

  write(rows: EventLogRow[]): void {
    const upTo = rows.at(-1)?.[0] ?? 0;
    try {
      this.writeBatch(rows);
    } catch (error) {
      this.callbacks.failed(upTo, error);
      return;
    }
    this.callbacks.written(upTo);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Writes in a worker thread with its own connection to the database file. */
export class WorkerEventLogWriter implements EventLogWriter {
  private readonly worker: Worker;
  private closing: Promise<void> | undefined;
  private exited = false;

  constructor(file: string, capacity: number, callbacks: WriterCallbacks) {
    this.worker = startWorker({ file, capacity });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'written') callbacks.written(reply.upTo);
      else if (reply.kind === 'failed') callbacks.failed(reply.upTo, new Error(reply.message));
    });
    this.worker.on('error', (error) => callbacks.dead?.(error));
    this.worker.once('exit', () => {
      this.exited = true;
    });
  }

  write(rows: EventLogRow[]): void {
    this.worker.postMessage({ kind: 'write', rows } satisfies WorkerRequest);
  }

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve) => {
      const done = (): void => {
        void this.worker.terminate().finally(resolve);
      };
      this.worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'closed') done();
      });
      this.worker.once('exit', resolve);
      this.worker.postMessage({ kind: 'close' } satisfies WorkerRequest);
    });
    return this.closing;
  }
}

function startWorker(workerData: { file: string; capacity: number }): Worker {
  const compiled = new URL('./event-log-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData });
  // A source checkout (tests, dev tools) has only the TypeScript: the worker
  // registers tsx itself, since a worker thread does not take --import.
  const source = new URL('./event-log-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
