import type { Clock, Logger, MicrophonePort, PluginStore, SchedulesApi, SpeakerPort } from 'portier/sdk';
import type { Call } from './call.js';
import { CallManager } from './call-manager.js';
import { deviceAddress } from './device-address.js';
import type { MatchableSequence } from './dtmf-sequence-matcher.js';
import { NatTraversal } from './nat-traversal.js';
import { Registrations } from './registrations.js';
import type { SipSettings } from './sip-settings.js';
import { tlsIdentity } from './tls-identity.js';
import { TransportLayer } from './stack/transport/transport-layer.js';
import type { RegistrationStatus } from './stack/ua/registration.js';
import { UserAgentCore } from './stack/ua/user-agent-core.js';

export interface SipRuntimeDeps {
  clock: Clock;
  logger: Logger;
  store: PluginStore;
  schedules: SchedulesApi;
  settings: () => SipSettings;
  microphone: MicrophonePort | undefined;
  speaker: SpeakerPort | undefined;
  userAgent: string;
  callChanged(call: Call): void;
  sequence(sequence: MatchableSequence & { description: string }, call: Call): void;
  registrationChanged(account: string, status: RegistrationStatus): void;
}

/**
 * SIP while it is enabled: the listeners (UDP and TCP on the SIP port, TLS
 * on the TLS port), the UA core, the calls and the registrations. Made anew
 * when the settings that shape it change.
 */
export class SipRuntime {
  private constructor(
    readonly transport: TransportLayer,
    readonly ua: UserAgentCore,
    readonly calls: CallManager,
    readonly registrations: Registrations,
    readonly address: string,
    readonly nat: NatTraversal,
  ) {}

  static async start(deps: SipRuntimeDeps): Promise<SipRuntime> {
    const settings = deps.settings();
    let address = deviceAddress(settings.listenAddress, settings.advertisedAddress);
    const identity = await tlsIdentity(deps.store);
    const transport = await TransportLayer.start({
      host: settings.listenAddress,
      advertisedHost: address,
      udpPort: settings.ports.sip,
      tcpPort: settings.ports.sip,
      tls: { port: settings.ports.tls, server: { cert: identity.cert, key: identity.key }, client: tlsClientOptions(settings) },
      onDropped: (why, source) => deps.logger.warn('SIP message dropped', { why, from: `${source.transport} ${source.host}:${source.port}` }),
    });
    const nat = new NatTraversal(() => deps.settings().nat, deps.clock, deps.logger);
    const mapped = await nat.mapSipSocket(transport.udpSocket);
    if (mapped !== undefined) {
      address = mapped.address;
      transport.advertise(mapped.address, mapped.port);
    }
    let calls: CallManager | undefined;
    const ua = new UserAgentCore({
      transport,
      clock: deps.clock,
      userAgent: deps.userAgent,
      // Not `calls?.incoming(invite) ?? reject`: incoming() returns nothing, so every call would also get 503.
      onIncomingInvite: (invite) => (calls === undefined ? invite.reject(503) : calls.incoming(invite)),
      onError: (where, error) => deps.logger.warn('SIP stack error', { where, error: String(error) }),
    });
    calls = new CallManager({
      ua,
      clock: deps.clock,
      logger: deps.logger,
      settings: deps.settings,
      schedules: deps.schedules,
      microphone: deps.microphone,
      speaker: deps.speaker,
      mediaAddress: () => address,
      bindAddress: () => deps.settings().listenAddress,
      prepareMedia: (media, direct) => nat.prepareMedia(media, direct),
      changed: deps.callChanged,
      sequence: deps.sequence,
    });
    const registrations = new Registrations(ua, deps.clock, deps.logger, deps.registrationChanged);
    registrations.start(settings.accounts);
    return new SipRuntime(transport, ua, calls, registrations, address, nat);
  }

  async stop(): Promise<void> {
    await this.calls.close();
    await this.registrations.stop();
    await this.ua.close();
    await this.transport.close();
  }
}

/** TLS to a registrar: verified unless an account turned it off; when accounts give CAs, those are what the registrar's certificate must chain to. */
function tlsClientOptions(settings: SipSettings): { ca?: string[]; rejectUnauthorized: boolean } {
  const tls = settings.accounts.filter((a) => a.transport === 'tls');
  const cas = tls.flatMap((a) => (a.ca === undefined ? [] : [a.ca]));
  return { rejectUnauthorized: tls.every((a) => a.verifyCertificate), ...(cas.length === 0 ? {} : { ca: cas }) };
}
