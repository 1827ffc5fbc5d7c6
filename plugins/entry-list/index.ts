import {
  type Clock,
  CREDENTIALS_SERVICE,
  type CredentialsService,
  type EventsApi,
  type HttpApi,
  type Logger,
  type Plugin,
  type PluginStore,
  type SchedulesApi,
  type SettingsApi,
  type SettingsHandle,
  TOKENS,
  type Unsubscribe,
  inject,
  injectable,
} from 'portier/sdk';
import { AccessGate } from './access-gate.js';
import { accessDeniedPayload, accessGrantedPayload } from './access-events.js';
import { serveEntryListRoutes } from './entry-list-routes.js';
import { type EntryListSettings, entryListSettingsSchema } from './entry-list-settings.js';
import { HolderStore } from './holder-store.js';

/**
 * The entry list: up to fifty credential holders the intercom decides for
 * itself (the manual's "Use Entry list"), forwarding the credentials it does
 * not know to the connected door controller when asked to. Written against
 * the SDK only; the reader provides the credentials.
 */
@injectable()
export default class EntryListPlugin implements Plugin {
  private settings!: SettingsHandle<EntryListSettings>;
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    @inject(CREDENTIALS_SERVICE) private readonly credentials: CredentialsService,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.settings) private readonly settingsApi: SettingsApi,
    @inject(TOKENS.store) private readonly store: PluginStore,
    @inject(TOKENS.schedules) private readonly schedules: SchedulesApi,
    @inject(TOKENS.clock) private readonly clock: Clock,
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.http) private readonly http: HttpApi,
  ) {}

  start(): void {
    this.settings = this.settingsApi.use(entryListSettingsSchema);
    const granted = this.events.stateless('access-granted', accessGrantedPayload);
    const denied = this.events.stateless('access-denied', accessDeniedPayload);
    const holders = new HolderStore(this.store, this.clock);
    const gate = new AccessGate(holders, this.credentials, this.schedules, this.clock, this.logger, () => this.settings.value, granted, denied);
    this.unsubscribe = this.credentials.onPresented((credential) => {
      // A decision waiting on the door controller must not become an unhandled rejection.
      gate.onPresented(credential).catch((error: unknown) => this.logger.error('deciding on a credential failed', { error: String(error) }));
    });
    serveEntryListRoutes(this.http, holders, this.credentials);
  }

  stop(): void {
    this.unsubscribe?.();
  }
}
