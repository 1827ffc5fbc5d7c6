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

      -- The event log is stored in chunks: one row per written batch, its
      -- events a JSON array. Every event the kernel publishes lands here, so
      -- a row (and index entries) per event would cost more than the rules
      -- engine itself; chunks cost one INSERT per batch.
      CREATE TABLE event_log (
        seq_first INTEGER PRIMARY KEY,
        seq_last INTEGER NOT NULL,
        time_first INTEGER NOT NULL,
        time_last INTEGER NOT NULL,
        count INTEGER NOT NULL,
        events TEXT NOT NULL
      );

      CREATE TABLE system_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'users',
    sql: `
      -- Usernames are unique regardless of case, as people type them.
      CREATE TABLE users (
        username TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'trusted app signing keys',
    sql: `
      -- The Ed25519 public keys whose signatures an admin trusts for installing apps.
      CREATE TABLE trusted_keys (
        key_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        added_by TEXT
      );
    `,
  },
];
