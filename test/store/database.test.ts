import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../platform/store/database.js';
import { migrations } from '../../platform/store/migrations.js';

const folders: string[] = [];
function tempFile(name = 'portier.db'): string {
  const folder = mkdtempSync(join(tmpdir(), 'portier-db-'));
  folders.push(folder);
  return join(folder, name);
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function columns(db: ReturnType<typeof openDatabase>, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('openDatabase', () => {
  it('creates the parent folder and the schema', () => {
    const file = join(tempFile(), 'nested', 'data.db');
    const db = openDatabase(file);
    expect(columns(db, 'plugin_kv')).toEqual(['plugin', 'key', 'value']);
    expect(columns(db, 'plugin_state')).toEqual(['name', 'enabled', 'settings']);
    expect(columns(db, 'rules')).toEqual(['id', 'definition', 'created_at', 'updated_at']);
    expect(columns(db, 'schedules')).toEqual(['id', 'definition', 'created_at', 'updated_at']);
    expect(columns(db, 'event_log')).toEqual(['seq_first', 'seq_last', 'time_first', 'time_last', 'count', 'events']);
    expect(columns(db, 'system_settings')).toEqual(['key', 'value']);
    const indexes = (db.prepare("PRAGMA index_list('event_log')").all() as { name: string }[]).map((i) => i.name);
    expect(indexes).toEqual([]);
    db.close();
  });

  it('sets durable pragmas', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('opens an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version);
    db.close();
  });

  it('runs migrations once, however often the file is opened', () => {
    const file = tempFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    db.prepare("INSERT INTO system_settings (key, value) VALUES ('a', '1')").run();
    db.close();
    const again = openDatabase(file);
    const applied = again.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(migrations.map(({ version, name }) => ({ version, name })));
    expect(again.prepare('SELECT value FROM system_settings').pluck().get()).toBe('1');
    again.close();
  });

  it('keeps migration versions strictly increasing', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions[0]).toBe(1);
    versions.slice(1).forEach((v, i) => expect(v).toBe((versions[i] ?? 0) + 1));
  });

  it('refuses a database written by a newer Portier', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)").run();
    db.close();
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'STORE_TOO_NEW', message: expect.stringContaining('999') }));
  });

  it('reports a file that is not a database', async () => {
    const file = tempFile();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not sqlite, '.repeat(100));
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'STORE_OPEN_FAILED' }));
  });
});
