/**
 * Receives one RTP stream from a transport: audio payloads are decoded to
 * PCM and handed to the sink, telephone-events become digits (once per
 * event), and everything is counted. Malformed packets and unknown payload
 * types are counted and dropped — a bad packet never ends a call.
 */
import type { AudioCodec } from './audio-codec.js';
import { PCMA, PCMU } from './audio-codec.js';
import type { PacketListener, PacketTransport, PeerAddress } from './packet-transport.js';
import { RtpLossCounter } from './rtp-loss-counter.js';
import { type RtpPacket, decodeRtpPacket } from './rtp-packet.js';
import { DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE } from './telephone-event.js';
import { type ReceivedDigit, TelephoneEventReceiver } from './telephone-event-receiver.js';

export interface RtpReceiverOptions {
  transport: PacketTransport;
  /** The codecs negotiated, by payload type (default PCMU and PCMA). */
  codecs?: readonly AudioCodec[];
  /** Default 101. */
  telephoneEventPayloadType?: number;
  /** Decoded audio of each packet, in arrival order. */
  onAudio?: (samples: Int16Array, packet: RtpPacket, from: PeerAddress) => void;
  onDigit?: (digit: ReceivedDigit) => void;
}

export interface RtpReceiverStats {
  packetsReceived: number;
  /** Payload octets of the packets accepted. */
  bytesReceived: number;
  /** From sequence-number gaps (RFC 3550 A.3). */
  packetsLost: number;
  /** Dropped as not RTP (see RtpMalformedReason). */
  malformed: number;
  /** Dropped for a payload type that was not negotiated. */
  unknownPayloadType: number;
}

export class RtpReceiver {
  private readonly options: RtpReceiverOptions;
  private readonly codecs: Map<number, AudioCodec>;
  private readonly telephoneEvents: TelephoneEventReceiver;
  private readonly loss = new RtpLossCounter();
  private readonly counts = { packetsReceived: 0, bytesReceived: 0, malformed: 0, unknownPayloadType: 0 };
  private readonly listener: PacketListener = (data, from) => this.receive(data, from);
  private listening = false;

  constructor(options: RtpReceiverOptions) {
    this.options = options;
    this.codecs = new Map((options.codecs ?? [PCMU, PCMA]).map((codec) => [codec.payloadType, codec]));
    this.telephoneEvents = new TelephoneEventReceiver((digit) => options.onDigit?.(digit));
  }

  get stats(): RtpReceiverStats {
    return { ...this.counts, packetsLost: this.loss.lost };
  }

  start(): void {
    if (this.listening) return;
    this.listening = true;
    this.options.transport.on('message', this.listener);
  }

  stop(): void {
    if (!this.listening) return;
    this.listening = false;
    this.options.transport.off('message', this.listener);
  }

  /** Handles one datagram (also usable directly, without a transport). */
  receive(data: Uint8Array, from: PeerAddress): void {
    const decoded = decodeRtpPacket(data);
    if (!decoded.ok) {
      this.counts.malformed++;
      return;
    }
    const packet = decoded.packet;
    const eventType = this.options.telephoneEventPayloadType ?? DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE;
    const codec = this.codecs.get(packet.payloadType);
    if (!codec && packet.payloadType !== eventType) {
      this.counts.unknownPayloadType++;
      return;
    }
    this.counts.packetsReceived++;
    this.counts.bytesReceived += packet.payload.length;
    this.loss.record(packet.ssrc, packet.sequenceNumber);
    if (codec) this.options.onAudio?.(codec.decode(packet.payload), packet, from);
    else this.telephoneEvents.receive(packet);
  }
}
