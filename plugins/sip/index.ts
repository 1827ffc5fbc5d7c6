import {
  type ButtonPort,
  type Clock,
  type EventsApi,
  type HttpApi,
  type Logger,
  type MicrophonePort,
  type Plugin,
  type PluginStore,
  PortierError,
  type PortsApi,
  type RulesApi,
  type SchedulesApi,
  type SettingsApi,
  type SettingsHandle,
  type SpeakerPort,
  type StatefulEvent,
  TOKENS,
  inject,
  injectable,
  z,
} from 'portier/sdk';
import type { Call } from './call.js';
import { registrationView, serveSipRoutes, type SipStatus } from './sip-routes.js';
import type { SipRuntime } from './sip-runtime.js';
import { type SipSettings, sipSettingsSchema } from './sip-settings.js';
import type { RegistrationStatus } from './stack/ua/registration.js';

const callPayload = z.object({
  call: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  state: z.enum(['calling', 'ringing', 'answered', 'ended', 'failed']),
  contact: z.string().nullable(),
  account: z.string(),
  remote: z.string(),
  reason: z.string().nullable(),
  status: z.number().nullable(),
});
const registrationPayload = z.object({ account: z.string(), state: z.enum(['unregistered', 'registering', 'registered', 'failed']), reason: z.string().nullable() });
const dtmfPayload = z.object({ sequence: z.string(), description: z.string(), active: z.boolean(), call: z.string().nullable() });

/** Settings that change the listeners, addresses or accounts: SIP is restarted for them; the rest apply to the next call. */
const RESTART_ON = ['enabled', 'listenAddress', 'advertisedAddress', 'ports', 'nat', 'accounts'] as const;

/**
 * The built-in SIP plugin: calls peer to peer or through a PBX, the contact
 * list, the call button, DTMF. Its SIP stack (./stack) is Portier's own,
 * written from RFC 3261 and friends; it talks to the platform through the SDK
 * only, as a third party's plugin would.
 */
@injectable()
export default class SipPlugin implements Plugin {
  private settings!: SettingsHandle<SipSettings>;
  private runtime: SipRuntime | undefined;
  private problem: string | null = null;
  private restarting: Promise<void> = Promise.resolve();
  private callEvent!: StatefulEvent<z.output<typeof callPayload>>;
  private registrationEvent!: StatefulEvent<z.output<typeof registrationPayload>>;
  private dtmfEvent!: StatefulEvent<z.output<typeof dtmfPayload>>;
  private microphone: MicrophonePort | undefined;
  private speaker: SpeakerPort | undefined;
  private callButton: ButtonPort | undefined;
  private stopping = false;

  constructor(
    @inject(TOKENS.ports) private readonly ports: PortsApi,
    @inject(TOKENS.events) private readonly events: EventsApi,
    @inject(TOKENS.rules) private readonly rules: RulesApi,
    @inject(TOKENS.settings) private readonly settingsApi: SettingsApi,
    @inject(TOKENS.schedules) private readonly schedules: SchedulesApi,
    @inject(TOKENS.clock) private readonly clock: Clock,
    @inject(TOKENS.logger) private readonly logger: Logger,
    @inject(TOKENS.http) private readonly http: HttpApi,
    @inject(TOKENS.store) private readonly store: PluginStore,
  ) {}

  async start(): Promise<void> {
    this.settings = this.settingsApi.use(sipSettingsSchema);
    this.callEvent = this.events.stateful('call', callPayload);
    this.registrationEvent = this.events.stateful('registration', registrationPayload);
    this.dtmfEvent = this.events.stateful('dtmf', dtmfPayload);

    this.microphone = this.claim('microphone', 'Call audio to the other side');
    this.speaker = this.claim('speaker', 'Call audio from the other side');
    this.callButton = this.claim('call-button', 'Calls the call button contact; answers and ends calls');
    this.callButton?.onChange((pressed) => {
      if (pressed) this.callButtonPressed().catch((error: unknown) => this.logger.warn('Call button: nothing happened', { error: String(error) }));
    });

    this.defineRules();
    serveSipRoutes(this.http, {
      status: () => this.status(),
      calls: () => this.running().calls.list(),
      find: (id) => this.runtime?.calls.find(id),
      callContact: (contact) => this.running().calls.callContact(contact),
      callAddress: (address, account) => this.running().calls.callAddress(address, account),
      answer: (id) => this.running().calls.answer(id),
      hangUp: (id) => this.running().calls.hangUp(id),
      sendDtmf: (id, digits) => this.running().calls.sendDtmf(digits, id),
    });

    this.settings.onChange((value, previous) => {
      if (RESTART_ON.some((key) => JSON.stringify(value[key]) !== JSON.stringify(previous[key]))) this.restart();
    });
    if (this.settings.value.enabled) await this.startRuntime();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.runtime?.stop();
    this.runtime = undefined;
  }

  /** The first free port of a kind; calls still work without one (no audio that way, no button), which the log says. */
  private claim<K extends 'microphone' | 'speaker' | 'call-button'>(kind: K, purpose: string) {
    const port = this.ports.list().find((p) => p.kind === kind && p.claim === undefined);
    if (port === undefined) {
      this.logger.warn(`No free ${kind} port: SIP works without it`, { kind });
      return undefined;
    }
    return this.ports.claim(port.id, kind, purpose);
  }

  private running(): SipRuntime {
    if (this.runtime === undefined) {
      throw new PortierError('SIP_NOT_RUNNING', this.problem ?? 'SIP is not enabled: turn on "enabled" in the SIP settings.');
    }
    return this.runtime;
  }

  private restart(): void {
    this.restarting = this.restarting.then(async () => {
      if (this.stopping) return;
      await this.runtime?.stop();
      this.runtime = undefined;
      if (this.settings.value.enabled) await this.startRuntime();
    });
  }

  private async startRuntime(): Promise<void> {
    try {
      // The SIP stack loads when SIP is first enabled: an intercom that never calls does not pay for it at start.
      const { SipRuntime } = await import('./sip-runtime.js');
      this.runtime = await SipRuntime.start({
        clock: this.clock,
        logger: this.logger,
        store: this.store,
        schedules: this.schedules,
        settings: () => this.settings.value,
        microphone: this.microphone,
        speaker: this.speaker,
        userAgent: 'Portier/1.0',
        callChanged: (call) => this.callChanged(call),
        sequence: (sequence, call) => {
          const payload = { sequence: sequence.id, description: sequence.description, call: call.id };
          this.logger.info('DTMF sequence typed', { sequence: sequence.id, description: sequence.description, call: call.id });
          // A moment, not a state: rules on "Call > DTMF" act on the edge.
          this.dtmfEvent.set({ ...payload, active: true });
          this.dtmfEvent.set({ ...payload, active: false });
        },
        registrationChanged: (account, status) => this.registrationChanged(account, status),
      });
      this.problem = null;
      const listening = (['UDP', 'TCP', 'TLS'] as const).map((t) => this.runtime!.transport.localAddress(t)).filter((a) => a !== undefined);
      this.logger.info('SIP running', { address: this.runtime.address, listening: listening.map((a) => `${a.transport} ${a.port}`) });
    } catch (error) {
      this.problem = `SIP could not start: ${(error as Error).message}`;
      this.logger.error('SIP could not start', { error: String(error) });
    }
  }

  private callChanged(call: Call): void {
    const view = call.view();
    this.callEvent.set({ call: view.call, direction: view.direction, state: view.state, contact: view.contact, account: view.account, remote: view.remote, reason: view.reason, status: view.status });
    // A call that is over is an event in the log, not a state that lasts.
    if (!call.live) this.callEvent.clear({ call: call.id });
  }

  private registrationChanged(account: string, status: RegistrationStatus): void {
    const current = this.registrationEvent.get({ account });
    const reason = status.reason ?? null;
    if (current?.state === status.state && current.reason === reason) return;
    this.registrationEvent.set({ account, state: status.state, reason });
  }

  /** Idle: call the call button's contact. Ringing in: answer. Calling out: stop. In a call: hang up. */
  private async callButtonPressed(): Promise<void> {
    const runtime = this.runtime;
    if (runtime === undefined) return;
    const call = runtime.calls.current;
    if (call === undefined) {
      const contact = this.settings.value.callButton.contact;
      if (contact === null) return this.logger.info('Call button pressed, but no contact is set for it (SIP settings, callButton.contact)');
      await runtime.calls.callContact(contact);
    } else if (call.direction === 'incoming' && call.state === 'ringing') runtime.calls.answer(call.id);
    else await runtime.calls.hangUp(call.id);
  }

  private defineRules(): void {
    const sequenceIds = () => this.settings.value.dtmf.sequences.map((s) => s.id);
    this.rules.condition('dtmf', {
      params: z
        .object({ sequence: z.string().refine((id) => sequenceIds().includes(id), { message: 'expected the id of a DTMF sequence (Communication > SIP > DTMF)' }) })
        .strict(),
      watches: ['dtmf'],
      test: (p) => this.dtmfEvent.get({ sequence: p.sequence })?.active === true,
    });
    this.rules.condition('call-state', {
      params: z.object({ state: z.enum(['calling', 'ringing', 'answered']) }).strict(),
      watches: ['call'],
      test: (p) => this.callEvent.all().some((c) => c.state === p.state),
    });
    this.rules.action('call-contact', {
      params: z
        .object({ contact: z.string().refine((id) => this.settings.value.contacts.some((c) => c.id === id), { message: 'expected the id of a contact in the contact list' }) })
        .strict(),
      run: async (p) => {
        await this.running().calls.callContact(p.contact);
      },
    });
    this.rules.action('hang-up', {
      params: z.object({}).strict(),
      run: async () => {
        const call = this.runtime?.calls.current;
        if (call !== undefined) await this.running().calls.hangUp(call.id);
      },
    });
    this.rules.action('answer', {
      params: z.object({}).strict(),
      run: () => {
        const call = this.runtime?.calls.current;
        if (call?.direction === 'incoming' && call.state === 'ringing') this.running().calls.answer(call.id);
      },
    });
    this.rules.action('send-dtmf', {
      params: z.object({ digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, 'expected 1-32 DTMF keys: 0-9, *, #, A-D') }).strict(),
      run: async (p) => {
        await this.running().calls.sendDtmf(p.digits.toUpperCase());
      },
    });
  }

  private status(): SipStatus {
    const settings = this.settings.value;
    const runtime = this.runtime;
    const notUsed: SipStatus['notUsed'] = [];
    if (settings.nat.ice.enabled) {
      notUsed.push({ setting: 'nat.ice.enabled', why: 'ICE is stored but not used yet: calls offer one address (the TURN relay, else the STUN-mapped one, else the device\'s), with no candidate checks.' });
    }
    if (settings.nat.stun.enabled && settings.nat.stun.server === undefined) notUsed.push({ setting: 'nat.stun', why: 'STUN is on but no server is set.' });
    if (settings.nat.turn.enabled && settings.nat.turn.server === undefined) notUsed.push({ setting: 'nat.turn', why: 'TURN is on but no server is set.' });
    return {
      enabled: settings.enabled,
      running: runtime !== undefined,
      problem: this.problem,
      address: runtime?.address ?? null,
      listening:
        runtime === undefined
          ? []
          : (['UDP', 'TCP', 'TLS'] as const).flatMap((t) => {
              const a = runtime.transport.localAddress(t);
              return a === undefined ? [] : [{ transport: t, address: settings.listenAddress, port: a.port }];
            }),
      accounts: settings.accounts.map((a) => registrationView(a.id, runtime?.registrations.status(a.id))),
      nat: { stun: { enabled: settings.nat.stun.enabled, mappedAddress: runtime?.nat.mappedSip === undefined ? null : `${runtime.nat.mappedSip.address}:${runtime.nat.mappedSip.port}` }, turn: { enabled: settings.nat.turn.enabled }, ice: { enabled: settings.nat.ice.enabled } },
      notUsed,
      calls: runtime === undefined ? 0 : runtime.calls.list().filter((c) => c.live).length,
    };
  }
}
