import type { ZodType } from 'zod';
import type { Unsubscribe } from './ports.js';

export interface SettingsHandle<T> {
  readonly value: T;
  /**
   * Validates, applies (the onChange listeners run) and stores a change.
   * Throws SETTINGS_INVALID with field paths, or SETTINGS_NOT_APPLIED when a
   * listener threw; either way nothing is stored and the previous value stays.
   */
  update(patch: Partial<T>): T;
  /**
   * Called when the settings change, from the web interface or `update`. To
   * refuse a change it cannot apply, throw: the listeners are called again
   * with the previous value to undo what they did, and nothing is stored.
   */
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
