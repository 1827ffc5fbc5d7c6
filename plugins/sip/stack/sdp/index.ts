/**
 * SDP (RFC 4566) parsing and writing, and RFC 3264 offer/answer for the
 * intercom's audio stream (PCMU, PCMA, telephone-event). Pure: no I/O.
 */
export {
  acceptAudioAnswer,
  answerAudioOffer,
  createAudioOffer,
  DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE,
  isHold,
  isRemoteHold,
  STATIC_PAYLOAD_TYPES,
  type AudioCodec,
  type AudioSession,
  type LocalAudio,
} from './audio-offer-answer.js';
export { connectionAddress, fmtp, mediaDirection, ptime, rtcpAddress, rtpMaps, STATIC_AUDIO, type RtpMap } from './media-attributes.js';
export { SdpError, type SdpErrorCode } from './sdp-error.js';
export { MAX_MEDIA_SECTIONS, parseSdp } from './sdp-parser.js';
export { serializeSdp } from './sdp-serializer.js';
export {
  MEDIA_DIRECTIONS,
  type MediaDirection,
  type SdpAttribute,
  type SdpConnection,
  type SdpLine,
  type SdpMedia,
  type SdpOrigin,
  type SdpTiming,
  type SessionDescription,
} from './session-description.js';
export { commonEvents, formatEventList, INTERCOM_EVENTS, parseEventList } from './telephone-events.js';
