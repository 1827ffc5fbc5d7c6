/**
 * Offer/answer (RFC 3264) for a door intercom's one audio stream: G.711
 * µ-law (PCMU, payload type 0) and A-law (PCMA, 8), and DTMF as
 * telephone-event (RFC 4733, a dynamic payload type, 101 by habit).
 *
 * The answerer takes the first offered codec it supports (the offerer lists
 * them by preference, RFC 3264 §5.1) and the offerer's payload type numbers
 * (§6.1), answers every m= line (rejected ones with port 0, §6), and sets its
 * direction from the offer's: sendonly ↔ recvonly, inactive stays inactive
 * (§6.1). An offer with c=0.0.0.0 is the RFC 2543 way to put a call on hold
 * (§8.4) and is treated as "do not send".
 */
import { commonEvents, INTERCOM_EVENTS } from './telephone-events.js';
import { connectionAddress, fmtp, mediaDirection, ptime, rtcpAddress, rtpMaps, type RtpMap } from './media-attributes.js';
import { SdpError } from './sdp-error.js';
import type { MediaDirection, SdpAttribute, SdpMedia, SessionDescription } from './session-description.js';

export type AudioCodec = 'PCMU' | 'PCMA';

export const STATIC_PAYLOAD_TYPES: Readonly<Record<AudioCodec, number>> = { PCMU: 0, PCMA: 8 };
export const DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

export interface LocalAudio {
  /** The address RTP should be sent to (c= and o=); IPv4 or IPv6. */
  address: string;
  port: number;
  /** o= session id: fixed for the whole session (RFC 4566 §5.2). */
  sessionId: string | number;
  /** o= version: one more for every new description of the session (RFC 3264 §8). */
  sessionVersion: string | number;
  /** Codecs this side takes, in its order of preference. Default PCMU, PCMA. */
  codecs?: readonly AudioCodec[];
  /** Payload type offered for telephone-event, or false for no DTMF events. Default 101. */
  telephoneEvent?: number | false;
  /** What this side wants to do. Default sendrecv. */
  direction?: MediaDirection;
  /** Packet time in ms. Default 20. */
  ptime?: number;
  /** o= username. Default "-". */
  username?: string;
}

export interface AudioSession {
  codec: RtpMap;
  telephoneEvent: { payloadType: number; events: string } | undefined;
  /** Where to send RTP and RTCP. */
  remote: { address: string; rtpPort: number; rtcpPort: number; rtcpAddress: string };
  /** What this side does, as written in (or read from) its own description. */
  direction: MediaDirection;
  /** The other side has put the call on hold (a=sendonly/inactive, or c=0.0.0.0). */
  remoteHold: boolean;
  /** Index of the audio m= line in the description. */
  mediaIndex: number;
  /** The peer's a=ptime, when it gave one. */
  remotePtime: number | undefined;
}

const DEFAULT_CODECS: readonly AudioCodec[] = ['PCMU', 'PCMA'];

function addrType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function description(local: LocalAudio, media: SdpMedia[]): SessionDescription {
  return {
    version: 0,
    origin: {
      username: local.username ?? '-',
      sessionId: String(local.sessionId),
      sessionVersion: String(local.sessionVersion),
      netType: 'IN',
      addrType: addrType(local.address),
      address: local.address,
    },
    sessionName: '-',
    connection: { netType: 'IN', addrType: addrType(local.address), address: local.address },
    timing: [{ start: '0', stop: '0' }],
    attributes: [],
    media,
    extraLines: [],
  };
}

function audioMedia(local: LocalAudio, codecs: readonly RtpMap[], telephoneEvent: { payloadType: number; events: string } | undefined, direction: MediaDirection): SdpMedia {
  const attributes: SdpAttribute[] = codecs.map((c) => ({ name: 'rtpmap', value: `${c.payloadType} ${c.encoding}/${c.clockRate}` }));
  if (telephoneEvent !== undefined) {
    attributes.push({ name: 'rtpmap', value: `${telephoneEvent.payloadType} telephone-event/8000` });
    attributes.push({ name: 'fmtp', value: `${telephoneEvent.payloadType} ${telephoneEvent.events}` });
  }
  attributes.push({ name: 'ptime', value: String(local.ptime ?? 20) });
  attributes.push({ name: direction, value: undefined });
  const formats = codecs.map((c) => String(c.payloadType));
  if (telephoneEvent !== undefined) formats.push(String(telephoneEvent.payloadType));
  return { type: 'audio', port: local.port, portCount: undefined, protocol: 'RTP/AVP', formats, connection: undefined, attributes, extraLines: [] };
}

function staticMap(codec: AudioCodec): RtpMap {
  return { payloadType: STATIC_PAYLOAD_TYPES[codec], encoding: codec, clockRate: 8000, channels: undefined };
}

/** An offer of one audio stream with the local codecs and, unless disabled, telephone-event. */
export function createAudioOffer(local: LocalAudio): SessionDescription {
  const codecs = (local.codecs ?? DEFAULT_CODECS).map(staticMap);
  const te = local.telephoneEvent ?? DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE;
  if (te !== false && (!Number.isInteger(te) || te < 96 || te > 127)) {
    throw new RangeError(`telephoneEvent payload type ${te} must be a dynamic payload type, 96 to 127`);
  }
  const telephoneEvent = te === false ? undefined : { payloadType: te, events: INTERCOM_EVENTS };
  return description(local, [audioMedia(local, codecs, telephoneEvent, local.direction ?? 'sendrecv')]);
}

function isUsableAudio(media: SdpMedia): boolean {
  return media.type.toLowerCase() === 'audio' && media.port !== 0 && media.protocol.toUpperCase() === 'RTP/AVP';
}

function findCodec(media: SdpMedia, accepted: readonly AudioCodec[]): RtpMap | undefined {
  return rtpMaps(media).find(
    (m) => accepted.some((c) => c.toLowerCase() === m.encoding.toLowerCase()) && m.clockRate === 8000 && (m.channels === undefined || m.channels === 1),
  );
}

function findTelephoneEvent(media: SdpMedia): { payloadType: number; events: string } | undefined {
  const map = rtpMaps(media).find((m) => m.encoding.toLowerCase() === 'telephone-event' && m.clockRate === 8000);
  if (map === undefined) return undefined;
  const events = commonEvents(fmtp(media, map.payloadType));
  return events === null ? undefined : { payloadType: map.payloadType, events };
}

/** The other side is on hold: it only sends or does nothing (a=sendonly, a=inactive), or it gave c=0.0.0.0. */
export function isRemoteHold(sdp: SessionDescription, media: SdpMedia): boolean {
  const direction = mediaDirection(sdp, media);
  return direction === 'sendonly' || direction === 'inactive' || connectionAddress(sdp, media) === '0.0.0.0';
}

/** Whether the description puts its first audio stream on hold (see isRemoteHold). */
export function isHold(sdp: SessionDescription): boolean {
  const media = sdp.media.find((m) => m.type.toLowerCase() === 'audio' && m.port !== 0);
  return media !== undefined && isRemoteHold(sdp, media);
}

function answerDirection(sdp: SessionDescription, media: SdpMedia, wanted: MediaDirection): MediaDirection {
  const theirs = mediaDirection(sdp, media);
  const theySend = theirs === 'sendrecv' || theirs === 'sendonly';
  const theyReceive = (theirs === 'sendrecv' || theirs === 'recvonly') && connectionAddress(sdp, media) !== '0.0.0.0';
  const send = theyReceive && (wanted === 'sendrecv' || wanted === 'sendonly');
  const receive = theySend && (wanted === 'sendrecv' || wanted === 'recvonly');
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

function remoteOf(sdp: SessionDescription, media: SdpMedia): AudioSession['remote'] {
  const address = connectionAddress(sdp, media);
  if (address === undefined) throw new SdpError('SDP_MALFORMED', 'The audio stream has no connection address (c=) at media or session level.');
  const rtcp = rtcpAddress(media);
  return { address, rtpPort: media.port, rtcpPort: rtcp?.port ?? media.port + 1, rtcpAddress: rtcp?.address ?? address };
}

/**
 * Answers an offer: the first audio stream with a codec in common is taken,
 * every other m= line is rejected. Throws SDP_NO_COMMON_CODEC when none
 * fits (answer 488 Not Acceptable Here).
 */
export function answerAudioOffer(offer: SessionDescription, local: LocalAudio): { answer: SessionDescription; session: AudioSession } {
  const accepted = local.codecs ?? DEFAULT_CODECS;
  let chosen: { index: number; codec: RtpMap } | undefined;
  for (const [index, media] of offer.media.entries()) {
    if (!isUsableAudio(media)) continue;
    const codec = findCodec(media, accepted);
    if (codec !== undefined) {
      chosen = { index, codec };
      break;
    }
  }
  if (chosen === undefined) {
    throw new SdpError('SDP_NO_COMMON_CODEC', `The offer has no RTP/AVP audio stream with ${accepted.join(' or ')}; answer 488 Not Acceptable Here.`);
  }
  const offered = offer.media[chosen.index]!;
  const remote = remoteOf(offer, offered);
  const telephoneEvent = local.telephoneEvent === false ? undefined : findTelephoneEvent(offered);
  const direction = answerDirection(offer, offered, local.direction ?? 'sendrecv');
  const media = offer.media.map((m, index): SdpMedia =>
    index === chosen.index
      ? audioMedia(local, [chosen.codec], telephoneEvent, direction)
      : { type: m.type, port: 0, portCount: undefined, protocol: m.protocol, formats: m.formats.length > 0 ? m.formats : ['0'], connection: undefined, attributes: [], extraLines: [] },
  );
  return {
    answer: description(local, media),
    session: {
      codec: chosen.codec,
      telephoneEvent,
      remote,
      direction,
      remoteHold: isRemoteHold(offer, offered),
      mediaIndex: chosen.index,
      remotePtime: ptime(offered),
    },
  };
}

/** Reads the answer to an offer this side made: what was chosen, where to send. */
export function acceptAudioAnswer(offer: SessionDescription, answer: SessionDescription): AudioSession {
  if (answer.media.length !== offer.media.length) {
    throw new SdpError('SDP_ANSWER_MISMATCH', `The answer has ${answer.media.length} media lines for the offer's ${offer.media.length} (RFC 3264 §6).`);
  }
  for (const [index, media] of answer.media.entries()) {
    const offered = offer.media[index]!;
    if (!isUsableAudio(media) || !isUsableAudio(offered)) continue;
    const offeredCodecs = rtpMaps(offered)
      .map((m) => m.encoding.toUpperCase())
      .filter((e): e is AudioCodec => e === 'PCMU' || e === 'PCMA');
    const codec = findCodec(media, offeredCodecs);
    if (codec === undefined) continue;
    const theirs = mediaDirection(answer, media);
    const ours = mediaDirection(offer, offered);
    return {
      codec,
      telephoneEvent: findTelephoneEvent(media),
      remote: remoteOf(answer, media),
      direction: narrowed(ours, theirs),
      remoteHold: isRemoteHold(answer, media),
      mediaIndex: index,
      remotePtime: ptime(media),
    };
  }
  throw new SdpError('SDP_NO_COMMON_CODEC', 'The answer accepted no offered audio codec.');
}

/** What this side does, given what it offered and what the answer says the peer does. */
function narrowed(ours: MediaDirection, theirs: MediaDirection): MediaDirection {
  const send = (ours === 'sendrecv' || ours === 'sendonly') && (theirs === 'sendrecv' || theirs === 'recvonly');
  const receive = (ours === 'sendrecv' || ours === 'recvonly') && (theirs === 'sendrecv' || theirs === 'sendonly');
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}
