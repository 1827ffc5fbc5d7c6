import type Database from 'better-sqlite3';
import type { RuleDefinition } from './rule-schema.js';

export interface StoredRule {
  id: string;
  definition: RuleDefinition;
}

/** Rules as rows; each write is its own durable transaction. */
export class RuleRepository {
  private readonly selectAll: Database.Statement<[], { id: string; definition: string }>;
  private readonly upsert: Database.Statement<[string, string, number, number]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.selectAll = db.prepare('SELECT id, definition FROM rules ORDER BY created_at, rowid');
    this.upsert = db.prepare(
      `INSERT INTO rules (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM rules WHERE id = ?');
  }

  all(): StoredRule[] {
    return this.selectAll.all().map((row) => ({ id: row.id, definition: JSON.parse(row.definition) as RuleDefinition }));
  }

  save(id: string, definition: RuleDefinition, now: number): void {
    this.upsert.run(id, JSON.stringify(definition), now, now);
  }

  delete(id: string): boolean {
    return this.remove.run(id).changes > 0;
  }
}
