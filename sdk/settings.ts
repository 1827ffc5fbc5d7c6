import type { ZodType } from 'zod';
import type { Unsubscribe } from './ports.js';

export interface SettingsHandle<T> {
  readonly value: T;
  /** Validates and stores a change; throws SETTINGS_INVALID with field paths and changes nothing on error. */
  update(patch: Partial<T>): T;
  onChange(listener: (value: T, previous: T) => void): Unsubscribe;
}

export interface SettingsApi {
  /**
   * Binds this plugin's settings to their zod schema (declared in the
   * manifest's `contributes.settings`). Stored settings are validated against
   * it; defaults come from the schema.
   */
  use<T>(schema: ZodType<T>): SettingsHandle<T>;
}
