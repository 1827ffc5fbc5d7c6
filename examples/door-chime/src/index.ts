import {
  type ActionContext,
  type Clock,
  type EventsApi,
  type HttpApi,
  type Logger,
  type Plugin,
  type PortsApi,
  type RulesApi,
  type SettingsApi,
  TOKENS,
  inject,
  injectable,
} from 'portier/sdk';
import { ChimePlayer } from './chime-player.js';
import { ChimeRelay } from './chime-relay.js';
import { serveChimeRoutes } from './chime-routes.js';
import { chimeSettingsSchema } from './chime-settings.js';
import { type RingCause, Ringer, chimeRangPayload, ringParamsSchema } from './ring-action.js';

/**
 * Door chime: rings a chime wired to a relay as a potential-free contact (the
 * manual's wiring example for relay 2). A third party's app, written against
 * `portier/sdk` only.
 */
@injectable()
export default class DoorChimePlugin implements Plugin {
  private relay: ChimeRelay | undefined;
  private stopping = false;

  constructor(
    @inject(TOKENS.ports) private readonly ports: PortsApi,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.rules) private readonly rules: RulesApi,
    @inject(TOKENS.settings) private readonly settingsApi: SettingsApi,
    @inject(TOKENS.clock) private readonly clock: Clock,
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.http) private readonly http: HttpApi,
  ) {}

  start(): void {
    const settings = this.settingsApi.use(chimeSettingsSchema);
    const player = new ChimePlayer(this.clock);
    const relay = new ChimeRelay(this.ports, player);
    this.relay = relay;
    relay.use(settings.value.relay);
    // Moving the chime to another relay: throwing (that relay is taken) refuses the change.
    settings.onChange((value) => relay.use(value.relay));

    const ringer = new Ringer({
      player,
      settings: () => settings.value,
      relay: () => relay.id,
      rang: this.events.stateless('chime-rang', chimeRangPayload),
      logger: this.logger,
      stopping: () => this.stopping,
    });
    const params = ringParamsSchema(() => settings.value);
    this.rules.action('ring-chime', {
      params,
      run: async (p, context) => {
        await ringer.ring(p, ruleCause(context), context.signal);
      },
    });
    serveChimeRoutes(this.http, ringer, params, () => relay.id, this.logger);
    this.logger.info('door chime ready', { relay: relay.id, pattern: settings.value.defaultPattern });
  }

  stop(): void {
    // A ring in progress stops with the contact open, then the relay is given back.
    this.stopping = true;
    this.relay?.release();
  }
}

function ruleCause(context: ActionContext): RingCause {
  const cause: RingCause = { source: 'rule', rule: context.ruleName };
  if (context.trigger !== undefined) cause.trigger = context.trigger.type;
  return cause;
}
