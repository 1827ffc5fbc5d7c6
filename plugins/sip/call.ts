import type { Clock, TimerHandle } from 'portier/sdk';
import type { MediaSession } from './media-session.js';
import type { AudioSession, LocalAudio, SessionDescription } from './stack/sdp/index.js';
import type { CallEndReason, CallSession } from './stack/ua/call-session.js';
import type { IncomingInvite } from './stack/ua/incoming-invite.js';
import type { OutgoingInvite } from './stack/ua/outgoing-invite.js';

export type CallDirection = 'outgoing' | 'incoming';
export type CallState = 'calling' | 'ringing' | 'answered' | 'ended' | 'failed';

export interface CallView {
  call: string;
  direction: CallDirection;
  state: CallState;
  /** The contact called (outgoing, from the contact list). */
  contact: string | null;
  account: string;
  /** The other side's SIP address. */
  remote: string;
  startedAt: number;
  answeredAt: number | null;
  /** Why it ended or failed, in words; the SIP status when the peer gave one. */
  reason: string | null;
  status: number | null;
  media: { codec: string | null; localPort: number; remote: string | null; packetsSent: number; packetsReceived: number; packetsLost: number } | null;
}

let counter = 0;

/** One call: its signalling (an INVITE, then a session), its audio, its timer, and what the API and events show of it. */
export class Call {
  readonly id = `call-${Date.now().toString(36)}-${(++counter).toString(36)}`;
  state: CallState;
  reason: string | null = null;
  status: number | null = null;
  answeredAt: number | null = null;
  readonly startedAt: number;
  session: CallSession | undefined;
  outgoing: OutgoingInvite | undefined;
  incoming: IncomingInvite | undefined;
  /** An incoming call's SDP answer, worked out while it rings, sent when it is answered. */
  pendingAnswer: { answer: SessionDescription; session: AudioSession; local: LocalAudio } | undefined;
  private timer: TimerHandle | undefined;
  private readonly settledListeners: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    readonly direction: CallDirection,
    readonly account: string,
    readonly remote: string,
    readonly contact: string | null,
    readonly media: MediaSession,
  ) {
    this.state = direction === 'outgoing' ? 'calling' : 'ringing';
    this.startedAt = clock.now();
  }

  get live(): boolean {
    return this.state !== 'ended' && this.state !== 'failed';
  }

  /** Runs `expire` after `ms` unless the call is answered or over first. */
  startTimeout(ms: number, expire: () => void): void {
    this.stopTimeout();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'calling' || this.state === 'ringing') expire();
    }, ms);
  }

  stopTimeout(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves once the call is answered or over. */
  whenSettled(): Promise<void> {
    if (this.state === 'answered' || !this.live) return Promise.resolve();
    return new Promise((resolve) => this.settledListeners.push(resolve));
  }

  answered(session: CallSession): void {
    this.stopTimeout();
    this.session = session;
    this.state = 'answered';
    this.answeredAt = this.clock.now();
    this.pendingAnswer = undefined;
    for (const listener of this.settledListeners.splice(0)) listener();
  }

  finish(state: 'ended' | 'failed', reason: string, status?: number): void {
    if (!this.live) return;
    this.stopTimeout();
    this.state = state;
    this.reason = reason;
    this.status = status ?? null;
    this.pendingAnswer = undefined;
    this.media.close();
    for (const listener of this.settledListeners.splice(0)) listener();
  }

  view(): CallView {
    return {
      call: this.id,
      direction: this.direction,
      state: this.state,
      contact: this.contact,
      account: this.account,
      remote: this.remote,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      reason: this.reason,
      status: this.status,
      media: this.live || this.answeredAt !== null ? this.media.stats : null,
    };
  }
}

export function endReasonText(reason: CallEndReason): string {
  switch (reason) {
    case 'local-hangup':
      return 'hung up here';
    case 'remote-hangup':
      return 'the other side hung up';
    case 'no-ack':
      return 'the caller never confirmed the answer (no ACK)';
    case 'transport-error':
      return 'the connection to the other side failed';
    case 'shutdown':
      return 'SIP was stopped';
  }
}
