import type { InjectionToken } from 'tsyringe';
import { PortierError } from '../../../sdk/errors.js';
import type { ServicesApi } from '../../../sdk/services-api.js';
import { serviceTokenName } from '../../../sdk/tokens.js';
import type { PluginScope } from './plugin-scope.js';

/** Services a plugin offers to the plugins that require it, withdrawn when it stops. */
export class PluginServices implements ServicesApi {
  constructor(
    private readonly provided: Map<string, { token: InjectionToken<unknown>; implementation: unknown; plugin: string }>,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => {
      for (const [name, entry] of [...provided]) if (entry.plugin === scope.name) provided.delete(name);
    });
  }

  provide<T>(token: InjectionToken<T>, implementation: T): void {
    this.scope.assertOpen('provide a service');
    const name = serviceTokenName(token);
    if (name === undefined || !this.scope.manifest.provides.includes(name)) {
      throw new PortierError(
        'CONTRIBUTION_UNDECLARED',
        `Plugin "${this.scope.name}" tried to provide the service "${name ?? String(token)}", which its manifest does not declare; add it to "provides" in manifest.json.`,
      );
    }
    const holder = this.provided.get(name);
    if (holder !== undefined && holder.plugin !== this.scope.name) {
      throw new PortierError(
        'SERVICE_PROVIDED',
        `Plugin "${this.scope.name}" cannot provide the service "${name}": plugin "${holder.plugin}" provides it already. Only one plugin may provide a service.`,
      );
    }
    this.provided.set(name, { token, implementation, plugin: this.scope.name });
  }
}
