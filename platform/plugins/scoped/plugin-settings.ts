import type { ZodType } from 'zod';
import { PortierError, describeError, isPortierError } from '../../../sdk/errors.js';
import type { SettingsApi, SettingsHandle } from '../../../sdk/settings.js';
import type { Unsubscribe } from '../../../sdk/ports.js';
import { ListenerSet } from '../../events/listener-set.js';
import type { SettingsService } from '../settings-service.js';
import type { PluginScope } from './plugin-scope.js';

export class PluginSettings implements SettingsApi {
  private bound = false;

  constructor(
    private readonly service: SettingsService,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => service.detach(scope.name));
  }

  use<T>(schema: ZodType<T>): SettingsHandle<T> {
    const plugin = this.scope.name;
    this.scope.assertOpen('read its settings');
    if (this.scope.manifest.contributes.settings === undefined) {
      throw new PortierError(
        'CONTRIBUTION_UNDECLARED',
        `Plugin "${plugin}" uses settings, which its manifest does not declare; add "settings": {} to "contributes" in manifest.json.`,
      );
    }
    if (this.bound) throw new PortierError('SETTINGS_BOUND', `Plugin "${plugin}" called settings.use() twice; call it once and keep the handle.`);
    this.bound = true;

    const service = this.service;
    service.learn(plugin, schema);
    let value = service.validate(plugin, schema, service.stored(plugin));
    const listeners = new ListenerSet<[T, T]>();
    const replace = (next: unknown): T => {
      const valid = service.validate(plugin, schema, next);
      const previous = value;
      value = valid;
      // Stored only once the plugin has applied them: settings it cannot apply
      // (a port another plugin holds) must not fail it now and at every boot.
      try {
        listeners.emit(valid, previous);
        service.save(plugin, valid);
      } catch (error) {
        value = previous;
        try {
          listeners.emit(previous, valid);
        } catch (again) {
          this.scope.fault(again, 'settings listener');
        }
        throw new PortierError(
          'SETTINGS_NOT_APPLIED',
          `Plugin "${plugin}" could not apply the new settings, so they were not stored and the previous ones stay: ${describeError(error)}`,
          isPortierError(error) ? error.details : [],
          { cause: error },
        );
      }
      service.changed(plugin);
      return valid;
    };
    service.attach(plugin, schema, { replace });
    const scope = this.scope;
    return {
      get value() {
        return value;
      },
      update(patch: Partial<T>): T {
        return replace({ ...(value as object), ...(patch as object) });
      },
      onChange(listener: (value: T, previous: T) => void): Unsubscribe {
        return listeners.add((now, before) => {
          if (scope.closed) return;
          // A throw refuses the change (see replace); a rejection comes too late for that and fails the plugin.
          const result: unknown = listener(now, before);
          if (result instanceof Promise) result.then(undefined, (error: unknown) => scope.fault(error, 'settings listener'));
        });
      },
    };
  }
}
