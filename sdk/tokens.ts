import type { InjectionToken } from 'tsyringe';
import type { Clock } from './clock.js';
import type { EventsApi } from './events.js';
import type { HttpApi } from './http.js';
import type { Logger } from './logger.js';
import type { PluginInfo } from './plugin.js';
import type { PortsApi } from './ports.js';
import type { RulesApi } from './rules.js';
import type { SchedulesApi } from './schedules.js';
import type { ServicesApi } from './services-api.js';
import type { SettingsApi } from './settings.js';
import type { PluginStore } from './store.js';

/*
 * Tokens are registered symbols (Symbol.for) so that a token an app bundles by
 * mistake still matches the platform's; apps get the platform's SDK anyway.
 */
function token<T>(name: string): InjectionToken<T> {
  return Symbol.for(name) as InjectionToken<T>;
}

/** Tokens of the services the kernel gives every plugin, scoped to it. */
export const TOKENS = {
  plugin: token<PluginInfo>('portier.plugin'),
  logger: token<Logger>('portier.logger'),
  clock: token<Clock>('portier.clock'),
  store: token<PluginStore>('portier.store'),
  settings: token<SettingsApi>('portier.settings'),
  ports: token<PortsApi>('portier.ports'),
  events: token<EventsApi>('portier.events'),
  rules: token<RulesApi>('portier.rules'),
  schedules: token<SchedulesApi>('portier.schedules'),
  services: token<ServicesApi>('portier.services'),
  http: token<HttpApi>('portier.http'),
} as const;

/** Makes a token for a service one plugin provides to others (see `sdk/services/`). */
export function serviceToken<T>(name: string): InjectionToken<T> {
  return token<T>(name);
}

/** The name a service token is declared under in a manifest's `provides`. */
export function serviceTokenName(t: InjectionToken<unknown>): string | undefined {
  return typeof t === 'symbol' ? Symbol.keyFor(t) : undefined;
}
