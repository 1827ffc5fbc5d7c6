import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PortierError } from '../../sdk/errors.js';
import { migrations, type Migration } from './migrations.js';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) Portier's SQLite database and brings its schema
 * up to date. `file` may be ':memory:' for tests.
 */
export function openDatabase(file: string): Database.Database {
  const inMemory = file === ':memory:';
  if (!inMemory) ensureFolder(dirname(resolve(file)));

  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw openFailed(file, error);
  }
  try {
    configure(db, inMemory);
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof PortierError ? error : openFailed(file, error);
  }
}

function configure(db: Database.Database, inMemory: boolean): void {
  // WAL lets readers (the HTTP API) run while the kernel writes.
  if (!inMemory) db.pragma('journal_mode = WAL');
  // NORMAL would survive a process crash but may lose the last commits on a
  // power cut; every acknowledged write must survive both.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

/**
 * All pending migrations run in one IMMEDIATE transaction: a crash mid-upgrade
 * leaves the old schema intact, and two processes opening the same file at
 * once cannot both apply the same step.
 */
export function migrate(db: Database.Database, file: string, list: readonly Migration[]): void {
  const latest = list.at(-1)?.version ?? 0;
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > latest) {
      throw new PortierError(
        'STORE_TOO_NEW',
        `The database ${file} has schema version ${current}, but this Portier only knows versions up to ${latest}. ` +
          'It was written by a newer Portier: run that version again, or restore a backup made with this one.',
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of list) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }
  });
  run.immediate();
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

function ensureFolder(folder: string): void {
  const firstCreated = mkdirSync(folder, { recursive: true });
  if (firstCreated === undefined || process.platform === 'win32') return;
  // SQLite syncs its own files, not the folders we just made for them; without
  // this a power cut could forget the folder and everything acknowledged in it.
  for (let dir = folder; ; dir = dirname(dir)) {
    fsyncFolder(dirname(dir));
    if (dir === firstCreated) break;
  }
}

function fsyncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function openFailed(file: string, error: unknown): PortierError {
  const reason = error instanceof Error ? error.message : String(error);
  return new PortierError(
    'STORE_OPEN_FAILED',
    `Could not open the database ${file}: ${reason}. Check that the data folder is writable and the file is a Portier database.`,
    [],
    { cause: error },
  );
}
