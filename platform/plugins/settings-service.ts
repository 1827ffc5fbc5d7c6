import type Database from 'better-sqlite3';
import type { ZodType } from 'zod';
import { PortierError } from '../../sdk/errors.js';
import { formatZodIssues, zodDetails } from '../validation/zod-issues.js';

/** What a running plugin's settings handle does when settings change from outside. */
export interface LiveSettings {
  replace(value: unknown): unknown;
}

/**
 * Every plugin's settings, stored as JSON beside its enabled flag. The zod
 * schema comes from the plugin's code; it is remembered after the plugin
 * stops, so settings can still be validated and changed while it is off.
 */
export class SettingsService {
  private readonly schemas = new Map<string, ZodType>();
  private readonly live = new Map<string, LiveSettings>();
  private readonly saved: ((plugin: string) => void)[] = [];
  private readonly read: Database.Statement<[string], { settings: string | null }>;
  private readonly write: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT settings FROM plugin_state WHERE name = ?');
    this.write = db.prepare(
      `INSERT INTO plugin_state (name, enabled, settings) VALUES (?, 1, ?)
       ON CONFLICT(name) DO UPDATE SET settings = excluded.settings`,
    );
  }

  stored(plugin: string): unknown {
    const row = this.read.get(plugin);
    return row?.settings == null ? {} : (JSON.parse(row.settings) as unknown);
  }

  schema(plugin: string): ZodType | undefined {
    return this.schemas.get(plugin);
  }

  /**
   * Remembers a plugin's schema before its stored settings are checked, so
   * settings that stop the plugin from starting can still be fixed (API, import).
   */
  learn(plugin: string, schema: ZodType): void {
    this.schemas.set(plugin, schema);
  }

  attach(plugin: string, schema: ZodType, live: LiveSettings): void {
    this.schemas.set(plugin, schema);
    this.live.set(plugin, live);
  }

  detach(plugin: string): void {
    this.live.delete(plugin);
  }

  /** Validates with the plugin's schema; throws SETTINGS_INVALID with field paths, changing nothing. */
  validate<T>(plugin: string, schema: ZodType<T>, value: unknown): T {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new PortierError(
        'SETTINGS_INVALID',
        `Settings of plugin "${plugin}" are not valid: ${formatZodIssues(result.error.issues)}`,
        zodDetails(result.error.issues),
      );
    }
    return result.data;
  }

  save(plugin: string, value: unknown): void {
    this.write.run(plugin, JSON.stringify(value));
  }

  /** After new settings are stored and the running plugin has applied them. */
  changed(plugin: string): void {
    for (const listener of this.saved) listener(plugin);
  }

  /** Called after any plugin's settings were stored (rules that name a renamed port are checked again). */
  onSaved(listener: (plugin: string) => void): void {
    this.saved.push(listener);
  }

  /** Replaces a plugin's settings from outside (API, site import). */
  replace(plugin: string, value: unknown): unknown {
    const live = this.live.get(plugin);
    if (live !== undefined) return live.replace(value);
    const schema = this.schemas.get(plugin);
    if (schema === undefined) {
      throw new PortierError(
        'SETTINGS_SCHEMA_UNKNOWN',
        `Plugin "${plugin}" has not run since the platform started, so its settings schema is unknown; start it once, then change its settings.`,
      );
    }
    const valid = this.validate(plugin, schema, value);
    this.save(plugin, valid);
    this.changed(plugin);
    return valid;
  }
}
