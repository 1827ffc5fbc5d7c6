/**
 * Sends one RTP stream: a packet every 20 ms, paced on the injected clock
 * from the start time (tick n goes out at start + n·20 ms, so a slow tick
 * does not push every later one back). Each tick takes one frame from the
 * source; while a DTMF digit plays, the tick sends the digit's next
 * telephone-event packet instead and the audio frame is dropped, as the
 * far end would play the tone in its place (RFC 4733 §2.5.1.1).
 */
import { randomBytes } from 'node:crypto';

import type { Clock, TimerHandle } from 'portier/sdk';

import { FRAME_MS, SAMPLES_PER_FRAME } from './audio-codec.js';
import type { FrameSource } from './frame-source.js';
import type { PacketTransport, PeerAddress } from './packet-transport.js';
import { encodeRtpPacket } from './rtp-packet.js';
import { DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE, type EventPacket, planTelephoneEvent } from './telephone-event.js';

export interface RtpSenderOptions {
  transport: PacketTransport;
  peer: PeerAddress;
  clock: Clock;
  source: FrameSource;
  /** The audio payload type (0 PCMU, 8 PCMA). */
  payloadType: number;
  /** Negotiated in SDP; default 101. */
  telephoneEventPayloadType?: number;
  /** Random when not given (RFC 3550 §5.1 wants random starts). */
  ssrc?: number;
  initialSequenceNumber?: number;
  initialTimestamp?: number;
  /** Timestamp units per packet (default 160). */
  samplesPerFrame?: number;
  /** Default 20. */
  frameMs?: number;
}

export interface RtpSenderStats {
  packetsSent: number;
  /** Payload octets, as an RTCP sender report counts them. */
  bytesSent: number;
}

interface PlayingDigit {
  packets: EventPacket[];
  next: number;
  timestamp: number;
}

export class RtpSender {
  readonly ssrc: number;
  readonly stats: RtpSenderStats = { packetsSent: 0, bytesSent: 0 };
  /** Resolves when the source has ended and the last digit is sent, or stop() is called. */
  readonly done: Promise<void>;

  private readonly options: RtpSenderOptions;
  private readonly samplesPerFrame: number;
  private readonly frameMs: number;
  private peer: PeerAddress;
  private sequenceNumber: number;
  private timestamp: number;
  private startedAt = 0;
  private tick = 0;
  private timer: TimerHandle | null = null;
  private running = false;
  private firstAudio = true;
  private sourceEnded = false;
  private readonly digits: Array<{ digit: string; durationMs: number }> = [];
  private playing: PlayingDigit | null = null;
  private resolveDone!: () => void;

  constructor(options: RtpSenderOptions) {
    this.options = options;
    this.peer = options.peer;
    this.samplesPerFrame = options.samplesPerFrame ?? SAMPLES_PER_FRAME;
    this.frameMs = options.frameMs ?? FRAME_MS;
    const random = randomBytes(10);
    this.ssrc = options.ssrc ?? random.readUInt32BE(0);
    this.sequenceNumber = options.initialSequenceNumber ?? random.readUInt16BE(4);
    this.timestamp = options.initialTimestamp ?? random.readUInt32BE(6);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.options.clock.now();
    this.tick = 0;
    void this.sendTick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.resolveDone();
  }

  /** Redirects the stream (e.g. after a re-INVITE or once a TURN relay is ready). */
  setPeer(peer: PeerAddress): void {
    this.peer = peer;
  }

  /** Queues DTMF digits ('0'–'9', '*', '#', 'A'–'D') to go out as telephone-events. */
  sendDigits(digits: string, durationMs = 100): void {
    for (const digit of digits) {
      planTelephoneEvent(digit, { durationMs }); // refuses a bad digit now, not at send time
      this.digits.push({ digit, durationMs });
    }
  }

  private async sendTick(): Promise<void> {
    if (!this.running) return;
    const frame = this.sourceEnded ? null : await this.options.source.nextFrame();
    if (!this.running) return;
    if (frame === null) this.sourceEnded = true;

    const digit = this.playing ?? this.startDigit();
    if (digit) {
      const packet = digit.packets[digit.next++]!;
      this.send(this.options.telephoneEventPayloadType ?? DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE, packet.marker, digit.timestamp, packet.payload);
      if (digit.next >= digit.packets.length) {
        this.playing = null;
        // The next audio starts a new talkspurt.
        this.firstAudio = true;
      }
    } else if (frame) {
      this.send(this.options.payloadType, this.firstAudio, this.timestamp, frame);
      this.firstAudio = false;
    } else {
      this.stop();
      return;
    }
    this.timestamp = (this.timestamp + this.samplesPerFrame) >>> 0;

    this.tick++;
    const due = this.startedAt + this.tick * this.frameMs;
    this.timer = this.options.clock.setTimeout(() => void this.sendTick(), Math.max(0, due - this.options.clock.now()));
  }

  private startDigit(): PlayingDigit | null {
    const queued = this.digits.shift();
    if (queued === undefined) return null;
    this.playing = {
      packets: planTelephoneEvent(queued.digit, { durationMs: queued.durationMs, samplesPerPacket: this.samplesPerFrame }),
      next: 0,
      timestamp: this.timestamp,
    };
    return this.playing;
  }

  private send(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    const packet = encodeRtpPacket({ payloadType, marker, sequenceNumber: this.sequenceNumber, timestamp, ssrc: this.ssrc, payload });
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.options.transport.send(packet, this.peer);
    this.stats.packetsSent++;
    this.stats.bytesSent += payload.length;
  }
}
