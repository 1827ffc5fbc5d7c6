import type { ZodType } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import type { EventListener, EventsApi, StatefulEvent, StatelessEvent } from '../../../sdk/events.js';
import type { Unsubscribe } from '../../../sdk/ports.js';
import type { EventBus } from '../../events/event-bus.js';
import type { ContributionCatalog } from '../../rules/contribution-catalog.js';
import type { PluginScope } from './plugin-scope.js';

/** Events as one plugin sees them: it defines its own, and listens to anyone's. */
export class PluginEvents implements EventsApi {
  constructor(
    private readonly bus: EventBus,
    private readonly catalog: ContributionCatalog,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => bus.undefineSource(scope.name));
  }

  stateless<P extends Record<string, unknown>>(name: string, payload: ZodType<P>): StatelessEvent<P> {
    const type = this.define(name, payload, false);
    return {
      type,
      emit: (value: P) => {
        this.scope.assertOpen(`emit ${type}`);
        this.bus.emit(type, value);
      },
    };
  }

  stateful<P extends Record<string, unknown>>(name: string, payload: ZodType<P>): StatefulEvent<P> {
    const type = this.define(name, payload, true);
    return {
      type,
      set: (value: P) => {
        this.scope.assertOpen(`set ${type}`);
        this.bus.emit(type, value);
      },
      get: (key: Partial<P>) => this.bus.getState(type, key) as P | undefined,
      all: () => this.bus.statesOf(type) as P[],
      clear: (key: Partial<P>) => this.bus.clearState(type, key),
    };
  }

  on(type: string, listener: EventListener): Unsubscribe {
    this.scope.assertOpen(`listen to ${type}`);
    const unsubscribe = this.bus.on(type, this.scope.wrap(`listener of ${type}`, listener));
    this.scope.onClose(unsubscribe);
    return unsubscribe;
  }

  states(type: string): Record<string, unknown>[] {
    return this.bus.statesOf(type);
  }

  private define(name: string, payload: ZodType, stateful: boolean): string {
    this.scope.assertOpen(`define event ${name}`);
    const declaration = this.catalog.requireDeclared(this.scope.name, 'event', name);
    if (declaration.stateful !== stateful) {
      throw new PortierError(
        'CONTRIBUTION_MISMATCH',
        `Plugin "${this.scope.name}" defined event "${name}" as ${stateful ? 'stateful' : 'stateless'}, but its manifest declares it ${declaration.stateful ? 'stateful' : 'stateless'}.`,
      );
    }
    this.bus.define({
      type: declaration.type,
      source: this.scope.name,
      stateful,
      key: declaration.key ?? [],
      payload: payload as ZodType<Record<string, unknown>>,
    });
    this.catalog.defineEventSchema(declaration.type, payload);
    return declaration.type;
  }
}
