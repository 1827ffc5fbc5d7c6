import type { TimerHandle } from '../../sdk/clock.js';
import type { Plugin } from '../../sdk/plugin.js';
import type { Manifest } from '../../manifest-schema/schema.js';
import type { PluginScope } from './scoped/plugin-scope.js';

export const PLUGIN_STATES = ['installed', 'resolved', 'starting', 'running', 'stopping', 'stopped', 'failed'] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

export interface PluginFailure {
  code: string;
  message: string;
  /** Where in the plugin the error came from: constructor, start(), a listener… */
  where: string;
  at: number;
  /** Worth retrying: the same code may work next time (not a load error). */
  transient: boolean;
}

/** One installed plugin as the host tracks it. */
export interface PluginRecord {
  manifest: Manifest;
  directory: string;
  file: string;
  builtin: boolean;
  enabled: boolean;
  state: PluginState;
  failure?: PluginFailure;
  /** Why a plugin that is not failed is not running (disabled, a dependency stopped). */
  note?: string;
  /** Set when the platform refuses the plugin outright (its platform range). */
  refused?: PluginFailure;
  /** Retries since the last good run (one that lasted the longest retry delay), for back-off. */
  attempts: number;
  /** When the current run reached `running`. */
  runningSince?: number;
  retry?: TimerHandle;
  scope?: PluginScope;
  instance?: Plugin;
}

/** What the API and CLI show of a plugin. */
export interface PluginSummary {
  name: string;
  displayName: string;
  version: string;
  vendor: string;
  description: string;
  builtin: boolean;
  enabled: boolean;
  state: PluginState;
  failure?: PluginFailure;
  note?: string;
  requires: Record<string, string>;
}

export function summarize(record: PluginRecord): PluginSummary {
  const m = record.manifest;
  const summary: PluginSummary = {
    name: m.name,
    displayName: m.displayName,
    version: m.version,
    vendor: m.vendor,
    description: m.description,
    builtin: record.builtin,
    enabled: record.enabled,
    state: record.state,
    requires: { ...m.requires },
  };
  if (record.failure !== undefined) summary.failure = { ...record.failure };
  if (record.note !== undefined) summary.note = record.note;
  return summary;
}
