import { PortierError, type Clock, type Logger, type MicrophonePort, type SchedulesApi, type SpeakerPort } from 'portier/sdk';
import { Call, endReasonText } from './call.js';
import { dialContact } from './contact-dialer.js';
import { dtmfFromInfo } from './dtmf-info.js';
import { CallKeys } from './call-keys.js';
import { MediaSession } from './media-session.js';
import type { MediaAddress } from './nat-traversal.js';
import { accountIdentity, p2pIdentity, type AccountIdentity } from './sip-identity.js';
import { P2P_ACCOUNT, type DtmfSequenceSettings, type SipSettings } from './sip-settings.js';
import { parseSipUri, type NameAddr } from './stack/message/index.js';
import {
  acceptAudioAnswer,
  answerAudioOffer,
  createAudioOffer,
  parseSdp,
  serializeSdp,
  type AudioSession,
  type LocalAudio,
  type SessionDescription,
} from './stack/sdp/index.js';
import type { CallSession } from './stack/ua/call-session.js';
import type { IncomingInvite } from './stack/ua/incoming-invite.js';
import { OutgoingInvite } from './stack/ua/outgoing-invite.js';
import { resolveTarget } from './stack/ua/target-resolver.js';
import type { UserAgentCore } from './stack/ua/user-agent-core.js';

export interface CallManagerDeps {
  ua: UserAgentCore;
  clock: Clock;
  logger: Logger;
  settings: () => SipSettings;
  schedules: SchedulesApi;
  microphone: MicrophonePort | undefined;
  speaker: SpeakerPort | undefined;
  /** The address in our SDP and the P2P account's SIP address. */
  mediaAddress: () => string;
  /** The address RTP sockets bind to. */
  bindAddress: () => string;
  /** NAT traversal for a call's RTP port (see nat-traversal.ts). */
  prepareMedia(media: MediaSession, direct: MediaAddress): Promise<MediaAddress>;
  changed(call: Call): void;
  sequence(sequence: DtmfSequenceSettings, call: Call): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The calls of the intercom, one at a time as on the device: calling a
 * contact (with its availability and fallbacks), calling an address,
 * answering or refusing incoming calls, hanging up, and DTMF both ways.
 */
export class CallManager {
  private readonly calls = new Map<string, Call>();
  private readonly keys: CallKeys;
  /** Calls that ended, for the API; the newest few. */
  private readonly recent: Call[] = [];
  private setups = 0;

  constructor(private readonly deps: CallManagerDeps) {
    this.keys = new CallKeys(deps.clock, deps.settings, (sequence, call) => deps.sequence(sequence, call));
  }

  get current(): Call | undefined {
    return [...this.calls.values()].find((call) => call.live);
  }

  /** A call is going on, or one is being set up (its RTP port, its NAT mapping): a second one must wait. */
  private get busy(): boolean {
    return this.setups > 0 || this.current !== undefined;
  }

  list(): Call[] {
    return [...this.calls.values(), ...this.recent];
  }

  find(id: string): Call | undefined {
    return this.calls.get(id) ?? this.recent.find((call) => call.id === id);
  }

  /** Calls a contact from the contact list, down its fallbacks (see contact-dialer.ts). */
  callContact(contactId: string): Promise<Call | undefined> {
    return dialContact(contactId, {
      contacts: this.deps.settings().contacts,
      available: (schedule) => this.deps.schedules.isActive(schedule),
      call: (contact) => this.callAddress(contact.sipAddress, contact.account, contact.id),
      logger: this.deps.logger,
    });
  }

  /** Calls a SIP address from an account (p2p or a registered one). */
  async callAddress(address: string, accountId: string, contact: string | null = null): Promise<Call> {
    if (this.busy) throw new PortierError('SIP_BUSY', `A call is already going on${this.current === undefined ? '' : ` (${this.current.id})`}; hang it up first.`);
    const settings = this.deps.settings();
    const identity = this.identity(accountId, settings);
    const uri = parseSipUri(address);
    const [media, belongsTo] = await this.settingUp(() => this.openMedia());
    const call = new Call(this.deps.clock, 'outgoing', accountId, address, contact, media);
    belongsTo(call);
    this.track(call);
    let local: LocalAudio;
    try {
      local = await this.localAudio(media);
    } catch (error) {
      this.fail(call, `no media path: ${(error as Error).message}`);
      return call;
    }
    const offer = createAudioOffer(local);
    const offerBytes = encoder.encode(serializeSdp(offer));
    let target;
    try {
      target = await resolveTarget(identity.registrar ?? uri, identity.transport);
    } catch (error) {
      this.fail(call, (error as Error).message);
      return call;
    }
    const to: NameAddr = { displayName: undefined, uri, params: [] };
    const invite = new OutgoingInvite(
      this.deps.ua,
      {
        uri: address,
        from: identity.from,
        to,
        target,
        sdp: offerBytes,
        ...(identity.contactUser === undefined ? {} : { contactUser: identity.contactUser }),
        ...(identity.credentials === undefined ? {} : { credentials: identity.credentials }),
      },
      {
        provisional: (response) => {
          if (response.status >= 180 && call.state === 'calling') {
            call.state = 'ringing';
            this.deps.changed(call);
          }
        },
      },
    );
    call.outgoing = invite;
    call.startTimeout(settings.callingTimeoutSeconds * 1000, () => {
      call.reason = `no answer within the calling timeout (${settings.callingTimeoutSeconds} s)`;
      invite.cancel();
    });
    invite.start();
    void invite.outcome.then((outcome) => {
      if (outcome.kind === 'answered') {
        let session: AudioSession;
        try {
          session = acceptAudioAnswer(offer, parseSdp(decoder.decode(outcome.response.body)));
        } catch (error) {
          void outcome.session.hangUp();
          return this.fail(call, `the answer's SDP is not usable: ${(error as Error).message}`);
        }
        this.established(call, outcome.session, session, local);
      } else if (outcome.kind === 'cancelled') {
        this.fail(call, call.reason ?? 'cancelled here', outcome.status);
      } else {
        this.fail(call, describeRefusal(outcome.status, outcome.reason), outcome.status);
      }
    });
    return call;
  }

  /** A new INVITE from the network. */
  incoming(invite: IncomingInvite): void {
    const settings = this.deps.settings();
    if (!settings.allowIncomingCalls) {
      this.deps.logger.info('Incoming call refused: incoming calls are off', { from: invite.request.headers.get('From'), source: invite.source });
      return invite.reject(403, 'Incoming Calls Not Allowed');
    }
    if (this.busy) return invite.reject(486);
    let offer: SessionDescription;
    try {
      offer = parseSdp(decoder.decode(invite.request.body));
    } catch {
      // An INVITE without an offer (the answer in the ACK) is not supported: a door station needs the caller's codecs up front.
      return invite.reject(488, 'SDP Offer Required');
    }
    void this.settingUp(() => this.ring(invite, offer, settings));
  }

  /** Answers the ringing incoming call. */
  answer(callId?: string): Call {
    const call = this.pick(callId);
    if (call.direction !== 'incoming' || call.state !== 'ringing' || call.incoming === undefined) {
      throw new PortierError('SIP_NOTHING_TO_ANSWER', `Call ${call.id} is ${call.direction} and ${call.state}; only a ringing incoming call can be answered.`);
    }
    this.answerIncoming(call);
    return call;
  }

  /** Ends a call: CANCEL while it rings, BYE once answered, refusal for an incoming one still ringing. */
  async hangUp(callId?: string): Promise<Call> {
    const call = this.pick(callId);
    if (call.state === 'answered') {
      await call.session?.hangUp();
      this.end(call, 'hung up here');
    } else if (call.direction === 'outgoing') {
      call.reason = 'hung up here before the answer';
      call.outgoing?.cancel();
    } else {
      call.incoming?.reject(603);
      this.fail(call, 'declined here');
    }
    return call;
  }

  /** Sends DTMF in the answered call: RFC 4733 events when agreed, else SIP INFO. */
  async sendDtmf(digits: string, callId?: string): Promise<void> {
    const call = this.pick(callId);
    if (call.state !== 'answered' || call.session === undefined) throw new PortierError('SIP_NOT_IN_CALL', `Call ${call.id} is ${call.state}; DTMF goes only into an answered call.`);
    if (call.media.sendDigits(digits)) return;
    for (const digit of digits) await call.session.sendInfo('application/dtmf-relay', encoder.encode(`Signal=${digit}\r\nDuration=160\r\n`));
  }

  async close(): Promise<void> {
    await Promise.all([...this.calls.values()].filter((call) => call.live).map((call) => this.hangUp(call.id).catch(() => undefined)));
    this.keys.close();
  }

  // ---- incoming ------------------------------------------------------------

  private async ring(invite: IncomingInvite, offer: SessionDescription, settings: SipSettings): Promise<void> {
    let media: MediaSession;
    let belongsTo: (call: Call) => void;
    try {
      [media, belongsTo] = await this.openMedia();
    } catch (error) {
      this.deps.logger.error('No RTP port for an incoming call', { error: String(error) });
      return invite.reject(503);
    }
    let answer;
    let local: LocalAudio;
    try {
      local = await this.localAudio(media);
    } catch (error) {
      this.deps.logger.error('No media path for an incoming call', { error: String(error) });
      media.close();
      return invite.reject(503);
    }
    try {
      answer = answerAudioOffer(offer, local);
    } catch {
      media.close();
      return invite.reject(488);
    }
    await media.permit({ address: answer.session.remote.address, port: answer.session.remote.rtpPort }).catch((error: unknown) => this.deps.logger.warn('TURN: no permission for the caller', { error: String(error) }));
    if (invite.state !== 'offered') {
      // The caller cancelled while the media was set up; the UA core has answered 487.
      media.close();
      return;
    }
    const from = invite.request.headers.get('From') ?? '';
    const remote = /<([^>]+)>/.exec(from)?.[1] ?? from.split(';')[0]!.trim();
    const call = new Call(this.deps.clock, 'incoming', this.accountOf(invite), remote, null, media);
    belongsTo(call);
    call.incoming = invite;
    call.pendingAnswer = { ...answer, local };
    this.track(call);
    invite.onCancelled(() => this.fail(call, 'the caller hung up before the answer', 487));
    invite.ringing();
    call.startTimeout(settings.incomingCallTimeoutSeconds * 1000, () => {
      invite.reject(480, 'No Answer');
      this.fail(call, `not answered within the incoming call timeout (${settings.incomingCallTimeoutSeconds} s)`, 480);
    });
    if (settings.autoAnswerSeconds !== null) {
      this.deps.clock.setTimeout(() => {
        if (call.state === 'ringing') this.answerIncoming(call);
      }, settings.autoAnswerSeconds * 1000);
    }
  }

  private answerIncoming(call: Call): void {
    const pending = call.pendingAnswer;
    if (pending === undefined || call.incoming === undefined) return;
    const session = call.incoming.accept(encoder.encode(serializeSdp(pending.answer)));
    this.established(call, session, pending.session, pending.local);
  }

  // ---- both ways -----------------------------------------------------------

  private established(call: Call, session: CallSession, audio: AudioSession, local: LocalAudio): void {
    call.answered(session);
    // Through a TURN relay the peer needs a permission first; without one, media.permit resolves at once.
    void call.media
      .permit({ address: audio.remote.address, port: audio.remote.rtpPort })
      .catch((error: unknown) => this.deps.logger.warn('TURN: no permission for the other side', { error: String(error) }))
      .then(() => {
        if (call.live) call.media.start(audio);
      });
    let version = Number(local.sessionVersion);
    session.on({
      ended: (reason) => this.end(call, endReasonText(reason)),
      info: (contentType, body) => {
        const key = dtmfFromInfo(contentType, body);
        if (key === undefined) throw new Error('not DTMF');
        this.key(call, key);
      },
      reinvite: (offerBytes) => {
        const { answer, session: renewed } = answerAudioOffer(parseSdp(decoder.decode(offerBytes)), { ...local, sessionVersion: ++version });
        call.media.start(renewed);
        return encoder.encode(serializeSdp(answer));
      },
    });
    this.deps.changed(call);
  }

  private key(call: Call, key: string): void {
    this.deps.logger.debug('DTMF key', { call: call.id, key });
    this.keys.key(call, key);
  }

  private end(call: Call, reason: string): void {
    if (!call.live) return;
    call.finish('ended', reason);
    this.retire(call);
  }

  private fail(call: Call, reason: string, status?: number): void {
    if (!call.live) return;
    call.finish(call.answeredAt === null ? 'failed' : 'ended', reason, status);
    this.retire(call);
  }

  private retire(call: Call): void {
    this.keys.forget(call);
    this.calls.delete(call.id);
    this.recent.unshift(call);
    this.recent.splice(20);
    this.deps.changed(call);
  }

  private track(call: Call): void {
    this.calls.set(call.id, call);
    this.deps.changed(call);
  }

  private async settingUp<T>(work: () => Promise<T>): Promise<T> {
    this.setups++;
    try {
      return await work();
    } finally {
      this.setups--;
    }
  }

  private pick(callId?: string): Call {
    const call = callId === undefined ? this.current : this.calls.get(callId);
    if (call === undefined) {
      throw new PortierError('SIP_NO_CALL', callId === undefined ? 'There is no call going on.' : `There is no call "${callId}" going on.`);
    }
    return call;
  }

  private identity(accountId: string, settings: SipSettings): AccountIdentity {
    if (accountId === P2P_ACCOUNT) return p2pIdentity(this.deps.mediaAddress());
    const account = settings.accounts.find((a) => a.id === accountId);
    if (account === undefined) throw new PortierError('SIP_ACCOUNT_UNKNOWN', `There is no SIP account "${accountId}".`);
    return accountIdentity(account);
  }

  /** The account an incoming call came in on: the registered account whose user it was sent to, else peer-to-peer. */
  private accountOf(invite: IncomingInvite): string {
    const user = /^sips?:([^@;>]+)@/i.exec(invite.request.uri)?.[1];
    return this.deps.settings().accounts.find((a) => a.userId === user)?.id ?? P2P_ACCOUNT;
  }

  /** An RTP port for a new call, and a way to tell it which call its digits belong to. */
  private async openMedia(): Promise<[MediaSession, (call: Call) => void]> {
    let owner: Call | undefined;
    const media = await MediaSession.open({
      address: this.deps.bindAddress(),
      rtpStartPort: this.deps.settings().ports.rtpStart,
      clock: this.deps.clock,
      ...(this.deps.microphone === undefined ? {} : { microphone: this.deps.microphone }),
      ...(this.deps.speaker === undefined ? {} : { speaker: this.deps.speaker }),
      onDigit: (digit) => {
        if (owner?.live === true) this.key(owner, digit);
      },
    });
    return [media, (call) => (owner = call)];
  }

  /** Our side of the offer/answer: the relay or mapped address when NAT traversal gives one, else the device's. */
  private async localAudio(media: MediaSession): Promise<LocalAudio> {
    const { address, port } = await this.deps.prepareMedia(media, { address: this.deps.mediaAddress(), port: media.localPort, via: 'direct' });
    return { address, port, sessionId: this.deps.clock.now(), sessionVersion: 1 };
  }
}

function describeRefusal(status: number, reason: string): string {
  if (status === 486 || status === 600) return `busy (${status} ${reason})`;
  if (status === 603) return `declined (${status} ${reason})`;
  if (status === 408) return `no answer (${reason})`;
  if (status === 503) return `could not reach the other side (${reason})`;
  return `refused: ${status} ${reason}`;
}
