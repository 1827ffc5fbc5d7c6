import {
  type Clock,
  type EventsApi,
  type HttpApi,
  IO_SERVICE,
  type IoService,
  type Logger,
  type Plugin,
  PortierError,
  type PortsApi,
  type RulesApi,
  type ServicesApi,
  type SettingsApi,
  type SettingsHandle,
  TOKENS,
  inject,
  injectable,
  z,
} from 'portier/sdk';
import { IoActions } from './io-actions.js';
import { IoPortSet } from './io-ports.js';
import { serveIoRoutes, manualTriggerNumber } from './io-routes.js';
import { type IoSettings, ioSettingsSchema } from './io-settings.js';

const portPayload = z.object({ port: z.string(), name: z.string(), active: z.boolean() });
const manualTriggerPayload = z.object({ trigger: z.number().int(), active: z.boolean() });

/**
 * The built-in I/O plugin: relays and configurable I/O as named ports, with
 * the manual's I/O conditions and actions. Written against the SDK only,
 * exactly as a third party would write it.
 */
@injectable()
export default class IoPlugin implements Plugin {
  private settings!: SettingsHandle<IoSettings>;
  private portSet!: IoPortSet;

  constructor(
    @inject(TOKENS.ports) private readonly ports: PortsApi,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.rules) private readonly rules: RulesApi,
    @inject(TOKENS.settings) private readonly settingsApi: SettingsApi,
    @inject(TOKENS.services) private readonly services: ServicesApi,
    @inject(TOKENS.clock) private readonly clock: Clock,
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.http) private readonly http: HttpApi,
  ) {}

  start(): void {
    this.settings = this.settingsApi.use(ioSettingsSchema);
    const input = this.events.stateful('input', portPayload);
    const output = this.events.stateful('output', portPayload);
    const manualTrigger = this.events.stateful('manual-trigger', manualTriggerPayload);

    this.portSet = new IoPortSet(this.ports, input, output);
    this.portSet.apply(this.settings.value);
    this.settings.onChange((value) => this.portSet.apply(value));

    const actions = new IoActions(this.portSet, this.clock);
    const portState = z
      .object({ port: z.string().refine((p) => this.portSet.find(p) !== undefined, 'expected the id or name of a port in use'), active: z.boolean().default(true) })
      .strict();

    // A port renamed or given up in the settings is announced before the rules
    // naming it are checked again: until then such a rule's condition does not
    // hold, rather than throw (which would fail this plugin and drop every port).
    const portIs = (p: z.output<typeof portState>): boolean => this.portSet.find(p.port)?.active === p.active;
    this.rules.condition('input-active', {
      params: portState,
      watches: ['input'],
      test: portIs,
    });
    this.rules.condition('output-active', {
      params: portState,
      watches: ['output'],
      test: portIs,
    });
    this.rules.condition('manual-trigger-active', {
      params: z.object({ trigger: manualTriggerNumber, active: z.boolean().default(true) }).strict(),
      watches: ['manual-trigger'],
      test: (p) => (manualTrigger.get({ trigger: p.trigger })?.active ?? false) === p.active,
    });
    this.rules.action('toggle-once', {
      params: actions.toggleOnceParams,
      run: (p, context) => actions.toggleOnce(p, context),
    });
    this.rules.action('toggle-while-active', {
      params: actions.toggleWhileParams,
      run: (p, context) => actions.toggleWhileActive(p, context),
    });

    const portSet = this.portSet;
    const service: IoService = {
      ports: () => portSet.list(),
      find: (idOrName) => portSet.find(idOrName),
      setOutput: (idOrName, active) => portSet.set(idOrName, active),
      setManualTrigger: (trigger, active) => {
        if (!manualTriggerNumber.safeParse(trigger).success) {
          throw new PortierError('IO_TRIGGER_INVALID', `There is no manual trigger ${String(trigger)}; manual triggers are numbered 1 to 32.`);
        }
        manualTrigger.set({ trigger, active });
      },
    };
    this.services.provide(IO_SERVICE, service);
    serveIoRoutes(this.http, portSet, manualTrigger);
    this.logger.info('I/O ports ready', { ports: portSet.list().map((p) => `${p.name} (${p.id})`) });
  }

  stop(): void {
    // Relays go back to their normal state as their claims are released.
    this.portSet?.releaseAll();
  }
}
