import type { Clock, MicrophonePort, SpeakerPort } from 'portier/sdk';
import { AUDIO_FRAME_SAMPLES } from 'portier/sdk';
import {
  PCMA,
  PCMU,
  RtpReceiver,
  RtpSender,
  bindRtpSocket,
  udpTransport,
  type AudioCodec,
  type BoundRtpSocket,
  type PacketTransport,
  type PeerAddress,
} from './media/index.js';
import { MicrophoneFrames } from './microphone-frames.js';
import type { AudioSession } from './stack/sdp/index.js';

export interface MediaStats {
  codec: string | null;
  localPort: number;
  remote: string | null;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
}

/**
 * One call's audio: an RTP port of our own, the microphone encoded and sent
 * to the peer, the peer's audio decoded to the speaker, and RFC 4733 digits
 * handed up. A TURN relay can replace the socket as the packet transport.
 */
export class MediaSession {
  private sender: RtpSender | undefined;
  private receiver: RtpReceiver | undefined;
  private frames: MicrophoneFrames | undefined;
  private session: AudioSession | undefined;
  private transport: PacketTransport;
  private closedStats: MediaStats | undefined;
  private relay: { addPeer(peer: PeerAddress): Promise<void>; close(): Promise<void> | void } | undefined;

  private constructor(
    private readonly bound: BoundRtpSocket,
    private readonly clock: Clock,
    private readonly microphone: MicrophonePort | undefined,
    private readonly speaker: SpeakerPort | undefined,
    private readonly onDigit: (digit: string) => void,
  ) {
    this.transport = udpTransport(bound.socket);
  }

  static async open(options: {
    address: string;
    rtpStartPort: number;
    clock: Clock;
    microphone?: MicrophonePort;
    speaker?: SpeakerPort;
    onDigit(digit: string): void;
  }): Promise<MediaSession> {
    const bound = await bindRtpSocket({ address: options.address, startPort: options.rtpStartPort });
    return new MediaSession(bound, options.clock, options.microphone, options.speaker, options.onDigit);
  }

  get localPort(): number {
    return this.bound.port;
  }

  /** The RTP socket, for a STUN binding or a TURN allocation made from it. */
  get socket(): BoundRtpSocket['socket'] {
    return this.bound.socket;
  }

  /** Sends and receives through a TURN relay instead of straight from the socket; the relay is freed with the call. */
  useRelay(relay: PacketTransport & { addPeer(peer: PeerAddress): Promise<void>; close(): Promise<void> | void }): void {
    this.transport = relay;
    this.relay = relay;
  }

  /** With a relay, lets the peer's packets in (a TURN permission) before the streams start. */
  async permit(peer: PeerAddress): Promise<void> {
    await this.relay?.addPeer(peer);
  }

  /** Starts (or, after a re-INVITE, retargets) the streams the offer/answer agreed. */
  start(session: AudioSession): void {
    const codec = codecOf(session.codec.encoding);
    const peer: PeerAddress = { address: session.remote.address, port: session.remote.rtpPort };
    const telephoneEvent = session.telephoneEvent?.payloadType;
    const previous = this.session;
    // The same streams to a new address (a re-INVITE that moved the peer): only the destination changes.
    if (previous !== undefined && this.sender !== undefined && previous.codec.encoding === session.codec.encoding && previous.direction === session.direction && previous.remoteHold === session.remoteHold) {
      this.session = session;
      this.sender.setPeer(peer);
      return;
    }
    this.stopStreams();
    this.session = session;
    const receiving = session.direction === 'sendrecv' || session.direction === 'recvonly';
    const sending = session.direction === 'sendrecv' || session.direction === 'sendonly';
    this.receiver = new RtpReceiver({
      transport: this.transport,
      codecs: [codec],
      ...(telephoneEvent === undefined ? {} : { telephoneEventPayloadType: telephoneEvent }),
      onAudio: (samples) => {
        if (receiving) this.play(samples);
      },
      onDigit: (digit) => this.onDigit(digit.digit),
    });
    this.receiver.start();
    if (this.microphone !== undefined && sending && !session.remoteHold) {
      this.frames = new MicrophoneFrames(this.microphone, codec);
      this.sender = new RtpSender({
        transport: this.transport,
        peer,
        clock: this.clock,
        source: this.frames,
        payloadType: codec.payloadType,
        ...(telephoneEvent === undefined ? {} : { telephoneEventPayloadType: telephoneEvent }),
      });
      this.sender.start();
    }
  }

  /** Sends DTMF as RFC 4733 events; false when the peer did not agree to telephone-events. */
  sendDigits(digits: string): boolean {
    if (this.sender === undefined || this.session?.telephoneEvent === undefined) return false;
    this.sender.sendDigits(digits);
    return true;
  }

  get stats(): MediaStats {
    if (this.closedStats !== undefined) return this.closedStats;
    const remote = this.session === undefined ? null : `${this.session.remote.address}:${this.session.remote.rtpPort}`;
    return {
      codec: this.session?.codec.encoding ?? null,
      localPort: this.bound.port,
      remote,
      packetsSent: this.sender?.stats.packetsSent ?? 0,
      packetsReceived: this.receiver?.stats.packetsReceived ?? 0,
      packetsLost: this.receiver?.stats.packetsLost ?? 0,
    };
  }

  close(): void {
    if (this.closedStats !== undefined) return;
    // What the call did stays readable after it ended.
    this.closedStats = this.stats;
    this.stopStreams();
    const relay = this.relay;
    this.relay = undefined;
    // The relay is given back (Refresh, lifetime 0) before the socket it was allocated from closes.
    void Promise.resolve(relay?.close())
      .catch(() => undefined)
      .finally(() => this.closeSocket());
  }

  private closeSocket(): void {
    try {
      this.bound.socket.close();
    } catch {
      // Already closed.
    }
  }

  private stopStreams(): void {
    this.sender?.stop();
    this.receiver?.stop();
    this.frames?.close();
    this.sender = undefined;
    this.receiver = undefined;
    this.frames = undefined;
  }

  /** The speaker takes 20 ms frames; a peer sending 30 ms packets is re-cut. */
  private pending = new Int16Array(0);
  private play(samples: Int16Array): void {
    if (this.speaker === undefined) return;
    const joined = new Int16Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    let offset = 0;
    for (; offset + AUDIO_FRAME_SAMPLES <= joined.length; offset += AUDIO_FRAME_SAMPLES) this.speaker.play(joined.slice(offset, offset + AUDIO_FRAME_SAMPLES));
    this.pending = joined.slice(offset);
  }
}

function codecOf(encoding: string): AudioCodec {
  return encoding.toUpperCase() === 'PCMA' ? PCMA : PCMU;
}
