import { PortierError } from '../../../sdk/errors.js';
import type { SchedulesApi } from '../../../sdk/schedules.js';
import type { ScheduleService } from '../../schedules/schedule-service.js';
import type { PluginScope } from './plugin-scope.js';

/** Read-only schedules for plugins whose manifest asks for `schedules:read`. */
export class PluginSchedules implements SchedulesApi {
  constructor(
    private readonly service: ScheduleService,
    private readonly scope: PluginScope,
  ) {}

  list(): ReturnType<SchedulesApi['list']> {
    this.allowed();
    return this.service.list();
  }

  get(id: string): ReturnType<SchedulesApi['get']> {
    this.allowed();
    return this.service.get(id);
  }

  isActive(id: string): boolean {
    this.allowed();
    return this.service.isActive(id);
  }

  onChange(listener: (id: string, active: boolean) => void): () => void {
    this.allowed();
    const unsubscribe = this.service.onChange(this.scope.wrap('schedule listener', listener));
    this.scope.onClose(unsubscribe);
    return unsubscribe;
  }

  private allowed(): void {
    if (!this.scope.manifest.permissions.includes('schedules:read')) {
      throw new PortierError(
        'PERMISSION_MISSING',
        `Plugin "${this.scope.name}" reads schedules without the permission; add "schedules:read" to "permissions" in manifest.json.`,
      );
    }
  }
}
