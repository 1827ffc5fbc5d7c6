import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { PortierError, describeError } from '../../sdk/errors.js';
import type { Plugin, PluginClass } from '../../sdk/plugin.js';

/**
 * Resolves the plugin class in its own container, turning tsyringe's errors
 * into ones that tell a plugin author what to change.
 */
export function instantiatePlugin(container: DependencyContainer, pluginClass: PluginClass, plugin: string): Plugin {
  checkEveryParameterInjected(pluginClass, plugin);
  try {
    return container.resolve(pluginClass as unknown as InjectionToken<Plugin>);
  } catch (error) {
    throw explainResolveError(error, pluginClass, plugin);
  }
}

/**
 * Without decorator metadata tsyringe silently passes `undefined` for a
 * parameter that lacks @inject; refuse that instead.
 */
function checkEveryParameterInjected(pluginClass: PluginClass, plugin: string): void {
  const tokens = (Reflect.getOwnMetadata('injectionTokens', pluginClass) ?? {}) as Record<string, unknown>;
  for (let i = 0; i < pluginClass.length; i++) {
    if (tokens[String(i)] === undefined) {
      throw new PortierError(
        'PLUGIN_INJECTION_FAILED',
        `Plugin "${plugin}": parameter ${i} of ${pluginClass.name || 'the plugin class'}'s constructor has no @inject(TOKEN) decorator; Portier builds without decorator metadata, so every parameter needs one.`,
      );
    }
  }
}

function explainResolveError(error: unknown, pluginClass: PluginClass, plugin: string): PortierError {
  const text = describeError(error);
  const className = pluginClass.name || 'the plugin class';
  if (/TypeInfo not known for "?\w*"?$/.test(text) && !/at position/.test(text)) {
    return new PortierError(
      'PLUGIN_NOT_INJECTABLE',
      `Plugin "${plugin}": ${className} takes constructor parameters but is not decorated with @injectable(); add @injectable() from portier/sdk and @inject(TOKEN) on every parameter.`,
    );
  }
  const position = /at position #(\d+)/.exec(text);
  if (position !== null) {
    const unregistered = /unregistered dependency token: "?([^"]+)"?/.exec(text);
    const why = unregistered !== null
      ? `its token ${unregistered[1]} is not available to this plugin (a service token needs the providing plugin in "requires")`
      : 'it has no @inject(TOKEN) decorator (Portier builds without decorator metadata, so every parameter needs one)';
    return new PortierError('PLUGIN_INJECTION_FAILED', `Plugin "${plugin}": parameter ${position[1]} of ${className}'s constructor cannot be injected: ${why}.`);
  }
  return new PortierError('PLUGIN_CONSTRUCTOR_FAILED', `Plugin "${plugin}" failed in its constructor: ${text}`, [], { cause: error });
}
