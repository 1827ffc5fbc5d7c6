/**
 * The media path of the sip plugin: RTP (RFC 3550) with G.711 audio
 * (RFC 3551, ITU-T G.711) and DTMF as telephone-events (RFC 4733), over any
 * PacketTransport — a UDP socket or a TURN relay (../nat). Only node builtins
 * are used; nothing here knows SIP or the platform.
 */
export { FRAME_MS, PCMA, PCMU, SAMPLES_PER_FRAME, type AudioCodec } from './audio-codec.js';
export type { FrameSource } from './frame-source.js';
export { ALAW_SILENCE, ULAW_SILENCE, alawToLinear, decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';
export { udpTransport, type PacketListener, type PacketTransport, type PeerAddress } from './packet-transport.js';
export { RtpLossCounter } from './rtp-loss-counter.js';
export { RTP_HEADER_LENGTH, decodeRtpPacket, encodeRtpPacket, type RtpDecodeResult, type RtpHeaderExtension, type RtpMalformedReason, type RtpPacket, type RtpPacketSpec } from './rtp-packet.js';
export { MAX_RTP_PORT, MIN_RTP_PORT, bindRtpSocket, type BoundRtpSocket, type RtpPortRange } from './rtp-port-allocator.js';
export { RtpReceiver, type RtpReceiverOptions, type RtpReceiverStats } from './rtp-receiver.js';
export { RtpSender, type RtpSenderOptions, type RtpSenderStats } from './rtp-sender.js';
export {
  DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE,
  END_PACKET_COPIES,
  decodeTelephoneEvent,
  digitToEvent,
  encodeTelephoneEvent,
  eventToDigit,
  planTelephoneEvent,
  type EventPacket,
  type EventPlan,
  type TelephoneEvent,
} from './telephone-event.js';
export { TelephoneEventReceiver, type ReceivedDigit } from './telephone-event-receiver.js';
