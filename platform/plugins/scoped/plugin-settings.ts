import type { ZodType } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import type { SettingsApi, SettingsHandle } from '../../../sdk/settings.js';
import type { Unsubscribe } from '../../../sdk/ports.js';
import { ListenerSet } from '../../hardware/listener-set.js';
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
    let value = service.validate(plugin, schema, service.stored(plugin));
    const listeners = new ListenerSet<[T, T]>();
    const replace = (next: unknown): T => {
      const valid = service.validate(plugin, schema, next);
      service.save(plugin, valid);
      const previous = value;
      value = valid;
      listeners.emit(valid, previous);
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
        return listeners.add(scope.wrap('settings listener', listener));
      },
    };
  }
}
