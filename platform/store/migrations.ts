/**
 * One step of the schema's history. Versions only ever grow, and a shipped
 * migration is never edited: databases in the field have already run it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE plugin_kv (
        plugin TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (plugin, key)
      ) WITHOUT ROWID;

      CREATE TABLE plugin_state (
        name TEXT PRIMARY KEY,
        enabled INTEGER NOT NULL,
        settings TEXT
      );

      CREATE TABLE rules (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE event_log (
        seq INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        stateful INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      -- One index only: every index is paid on each insert and each trim of
      -- a table that takes every event; filters by time or source scan at
      -- most the log's capacity.
      CREATE INDEX event_log_type ON event_log (type, seq);

      CREATE TABLE system_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
