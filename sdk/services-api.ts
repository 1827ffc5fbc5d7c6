import type { InjectionToken } from 'tsyringe';

/**
 * Services a plugin provides to the plugins that require it. The token and
 * interface live in `sdk/services/`; the manifest's `provides` lists the
 * token's description (`portier.io`), and the consumer's `requires` names
 * the providing plugin.
 */
export interface ServicesApi {
  provide<T>(token: InjectionToken<T>, implementation: T): void;
}
