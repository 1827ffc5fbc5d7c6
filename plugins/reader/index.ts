import {
  CHIP_TYPE_NAMES,
  CREDENTIALS_SERVICE,
  type Clock,
  type CredentialsService,
  type EventsApi,
  type HttpApi,
  LED_COLORS,
  type Logger,
  type Plugin,
  type PluginStore,
  type PortsApi,
  type PresentedCard,
  type PresentedCredential,
  READER_BEEPS,
  type RfidReaderPort,
  type RulesApi,
  type ServicesApi,
  type SettingsApi,
  type SettingsHandle,
  type StatelessEvent,
  TOKENS,
  type Unsubscribe,
  inject,
  injectable,
  z,
} from 'portier/sdk';
import { cardCredential } from './card-credential.js';
import { OsdpConnection } from './osdp-connection.js';
import { NetworkConnection, NoConnection, type ReaderConnection } from './reader-connection.js';
import { type LedEvent, ReaderFeedback } from './reader-feedback.js';
import { serveReaderRoutes } from './reader-routes.js';
import { type ReaderSettings, readerSettingsSchema } from './reader-settings.js';
import { WiegandConnection } from './wiegand-connection.js';

const presentedPayload = z.object({
  kind: z.enum(['card', 'pin']),
  credential: z.string().describe('The card number, UID/CSN or secure data; for a PIN **** (its digits are a secret)'),
  chipType: z.enum(CHIP_TYPE_NAMES).optional(),
});
type PresentedPayload = z.output<typeof presentedPayload>;

/** What the credential-presented event shows instead of a PIN, as the entry list's routes do. */
const PIN_MASK = '****';

const ledPayload = z.object({ reader: z.string(), color: z.enum(LED_COLORS) });

const feedbackParams = z
  .object({
    led: z.enum(LED_COLORS).optional(),
    beep: z.enum([...READER_BEEPS, 'none']).default('none'),
    duration: z.number().positive().max(3600).optional().describe('Seconds the LED shows the colour; without it the colour stays'),
  })
  .strict()
  .refine((p) => p.led !== undefined || p.beep !== 'none', { message: 'give an LED colour, a beep, or both', path: ['led'] });

/**
 * The built-in card reader: the RFID reader's cards (chip types on or off,
 * protected data read through data sets) and the PINs typed on the display
 * become credentials — an event, the credentials service the entry list
 * listens to, and the connected door controller (Wiegand, OSDP, or one on
 * the network the entry list asks). Written against the SDK only, as a third
 * party would.
 */
@injectable()
export default class ReaderPlugin implements Plugin {
  private settings!: SettingsHandle<ReaderSettings>;
  private rfid!: RfidReaderPort;
  private feedback!: ReaderFeedback;
  private presented!: StatelessEvent<PresentedPayload>;
  private connection: ReaderConnection = new NoConnection();
  /** The settings the open connection was made from, to tell a change that needs a new one. */
  private connectionKey = '';
  private latest: PresentedCredential | undefined;
  private readonly listeners = new Set<(credential: PresentedCredential) => void>();
  private readonly unsubscribes: Unsubscribe[] = [];

  constructor(
    @inject(TOKENS.ports) private readonly ports: PortsApi,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.rules) private readonly rules: RulesApi,
    @inject(TOKENS.settings) private readonly settingsApi: SettingsApi,
    @inject(TOKENS.services) private readonly services: ServicesApi,
    @inject(TOKENS.clock) private readonly clock: Clock,
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.http) private readonly http: HttpApi,
    @inject(TOKENS.store) private readonly store: PluginStore,
  ) {}

  start(): void {
    this.settings = this.settingsApi.use(readerSettingsSchema);
    this.presented = this.events.stateless('credential-presented', presentedPayload);
    const ledEvent: LedEvent = this.events.stateful('led', ledPayload);

    this.rfid = this.ports.claim(this.portOf('rfid-reader'), 'rfid-reader', 'Cards and PINs for access control');
    this.feedback = new ReaderFeedback(this.rfid, this.clock, ledEvent, this.settings.value.feedback.idle);
    this.applyConnection(this.settings.value);
    this.settings.onChange((value, previous) => this.settingsChanged(value, previous));

    this.unsubscribes.push(
      this.rfid.onCard((card) => {
        // The read is asynchronous, so outside the listener's error boundary: a failure is logged, never left unhandled.
        this.cardPresented(card).catch((error: unknown) => this.logger.error('Card not handled', { chipType: card.chipType, error: String(error) }));
      }),
      this.rfid.onPin((pin) => this.accept({ kind: 'pin', value: pin.digits, at: pin.at })),
    );

    this.rules.action('feedback', {
      params: feedbackParams,
      run: (p) => {
        if (p.led !== undefined) {
          if (p.duration === undefined) this.feedback.setResting(p.led);
          else this.feedback.showFor(p.led, Math.round(p.duration * 1000));
        }
        this.feedback.beep(p.beep);
      },
    });
    this.rules.condition('led-color', {
      params: z.object({ color: z.enum(LED_COLORS) }).strict(),
      watches: ['led'],
      test: (p) => ledEvent.get({ reader: this.rfid.id })?.color === p.color,
    });

    const service: CredentialsService = {
      onPresented: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      latestCard: () => (this.latest === undefined ? undefined : { ...this.latest }),
      signal: (decision) => this.feedback.signal(decision, this.settings.value.feedback),
      controller: () => {
        const connection = this.connection;
        return connection instanceof NetworkConnection ? { decide: (credential) => connection.decide(credential) } : undefined;
      },
    };
    this.services.provide(CREDENTIALS_SERVICE, service);

    serveReaderRoutes(this.http, {
      latestCard: () => this.latest,
      status: () => ({
        connection: this.connection.status(),
        chipTypesOn: CHIP_TYPE_NAMES.filter((name) => this.settings.value.chipTypes[name]),
        dataSets: this.settings.value.dataSets.length,
        led: this.rfid.feedbackState.led,
        lastBeep: this.rfid.feedbackState.lastBeep,
        latestCardAt: this.latest?.at ?? null,
      }),
    });
    this.logger.info('Reader ready', { connection: this.connection.type });
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.listeners.clear();
    this.connection.close();
    this.connection = new NoConnection();
    this.feedback?.close();
  }

  private async cardPresented(card: PresentedCard): Promise<void> {
    const value = await cardCredential(card, this.settings.value);
    if (value === undefined) {
      // Ignored on purpose (chip type off, required data missing): the manual's "silently ignored".
      this.logger.debug('Card ignored', { chipType: card.chipType });
      return;
    }
    this.accept({ kind: 'card', value, chipType: card.chipType, at: card.at });
  }

  private accept(credential: PresentedCredential): void {
    if (credential.kind === 'card') this.latest = credential;
    // A PIN is a secret: events go to every viewer and into the event log, so only the listeners get its digits.
    const payload: PresentedPayload = { kind: credential.kind, credential: credential.kind === 'pin' ? PIN_MASK : credential.value };
    if (credential.chipType !== undefined) payload.chipType = credential.chipType;
    this.presented.emit(payload);
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...credential });
      } catch (error) {
        // Another plugin's listener: its failure must not stop the reader or the listeners after it.
        this.logger.error('A credentials listener failed', { error: String(error) });
      }
    }
    try {
      if (credential.kind === 'card') this.connection.sendCard(credential.value, credential.chipType!);
      else this.connection.sendPin(credential.value);
    } catch (error) {
      // A credential the controller's format cannot carry: the reader keeps working for the next one.
      this.logger.error('Credential not sent to the door controller', { connection: this.connection.type, error: String(error) });
    }
  }

  private settingsChanged(value: ReaderSettings, previous: ReaderSettings): void {
    if (value.feedback.idle !== previous.feedback.idle) this.feedback.setResting(value.feedback.idle);
    this.applyConnection(value);
  }

  /**
   * Opens the connection the settings ask for, when it differs from the open
   * one. A connection that cannot open (a port another plugin holds) throws
   * its error: at start the plugin fails with it; on a settings change the
   * change is refused, and the settings API calls the listener again with
   * the previous settings, which opens the previous connection again.
   */
  private applyConnection(settings: ReaderSettings): void {
    const { type } = settings.connection;
    const key = JSON.stringify({ type, detail: type === 'none' ? null : settings.connection[type] });
    if (key === this.connectionKey) return;
    const previous = this.connection;
    previous.close();
    this.connection = new NoConnection();
    // A Wiegand controller's LED lines or an OSDP controller's permanent colour end with their connection.
    this.feedback.setResting(settings.feedback.idle);
    try {
      this.connection = this.open(settings);
      this.connectionKey = key;
    } catch (error) {
      this.connectionKey = JSON.stringify({ type: 'none', detail: null });
      throw error;
    }
  }

  private open(settings: ReaderSettings): ReaderConnection {
    const { connection } = settings;
    switch (connection.type) {
      case 'none':
        return new NoConnection();
      case 'wiegand':
        return WiegandConnection.open(this.ports, this.portOf('reader-connector'), connection.wiegand, this.feedback, this.logger);
      case 'osdp':
        return OsdpConnection.open(this.ports, this.portOf('reader-connector'), connection.osdp, {
          clock: this.clock,
          store: this.store,
          feedback: this.feedback,
          logger: this.logger,
        });
      case 'network':
        return new NetworkConnection(connection.network);
    }
  }

  private portOf(kind: 'rfid-reader' | 'reader-connector'): string {
    const port = this.ports.list().find((p) => p.kind === kind);
    if (port === undefined) throw new Error(`This board has no ${kind}`);
    return port.id;
  }
}
