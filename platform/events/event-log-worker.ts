/*
 * The event log's writer thread. Writing every event to SQLite costs a few
 * microseconds, which the kernel's thread cannot spare at hundreds of
 * thousands of events a second; here it runs on the other core, with its own
 * connection to the same WAL database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type EventLogRow, createBatchWriter } from './event-log-batch.js';

export type WorkerRequest = { kind: 'write'; rows: EventLogRow[] } | { kind: 'close' };
export type WorkerReply = { kind: 'written'; upTo: number } | { kind: 'failed'; upTo: number; message: string } | { kind: 'closed' };

const { file, capacity } = workerData as { file: string; capacity: number };
const db = new Database(file, { timeout: 5_000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const write = createBatchWriter(db, capacity);
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'close') {
    db.close();
    port.postMessage({ kind: 'closed' } satisfies WorkerReply);
    return;
  }
  const upTo = request.rows.at(-1)?.[0] ?? 0;
  try {
    write(request.rows);
    port.postMessage({ kind: 'written', upTo } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ kind: 'failed', upTo, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  }
});
