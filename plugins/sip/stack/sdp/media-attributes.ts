/**
 * Reads the attributes of a media section that audio negotiation needs:
 * rtpmap and fmtp (RFC 4566 §6), the direction (§6, RFC 3264 §5.1, with the
 * session-level value as default), ptime and rtcp (RFC 3605).
 */
import { MEDIA_DIRECTIONS, type MediaDirection, type SdpAttribute, type SdpMedia, type SessionDescription } from './session-description.js';

export interface RtpMap {
  payloadType: number;
  /** As written (compare case-insensitively, RFC 4855 §3). */
  encoding: string;
  clockRate: number;
  channels: number | undefined;
}

/** Static payload types of RFC 3551 table 4 that a door intercom can use. */
export const STATIC_AUDIO: Readonly<Record<number, RtpMap>> = {
  0: { payloadType: 0, encoding: 'PCMU', clockRate: 8000, channels: 1 },
  8: { payloadType: 8, encoding: 'PCMA', clockRate: 8000, channels: 1 },
};

function attributeValues(attributes: readonly SdpAttribute[], name: string): string[] {
  return attributes.filter((a) => a.name.toLowerCase() === name && a.value !== undefined).map((a) => a.value!);
}

/** The rtpmap of each payload type in the m= line; static types without one get their RFC 3551 meaning. */
export function rtpMaps(media: SdpMedia): RtpMap[] {
  const declared = new Map<number, RtpMap>();
  for (const value of attributeValues(media.attributes, 'rtpmap')) {
    const match = /^(\d{1,3})\s+([^/\s]+)\/(\d+)(?:\/(\d+))?\s*$/.exec(value);
    if (match === null) continue;
    const payloadType = Number(match[1]);
    declared.set(payloadType, {
      payloadType,
      encoding: match[2]!,
      clockRate: Number(match[3]),
      channels: match[4] === undefined ? undefined : Number(match[4]),
    });
  }
  const maps: RtpMap[] = [];
  for (const format of media.formats) {
    if (!/^\d{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    const map = declared.get(payloadType) ?? STATIC_AUDIO[payloadType];
    if (map !== undefined) maps.push(map);
  }
  return maps;
}

/** The fmtp parameters of one payload type, e.g. "0-16" for telephone-event. */
export function fmtp(media: SdpMedia, payloadType: number): string | undefined {
  for (const value of attributeValues(media.attributes, 'fmtp')) {
    const match = /^(\d{1,3})\s+(.*)$/.exec(value);
    if (match !== null && Number(match[1]) === payloadType) return match[2]!.trim();
  }
  return undefined;
}

/** The stream's direction: its own attribute, else the session's, else sendrecv (RFC 3264 §5.1). */
export function mediaDirection(sdp: SessionDescription, media: SdpMedia): MediaDirection {
  const find = (attributes: readonly SdpAttribute[]): MediaDirection | undefined =>
    MEDIA_DIRECTIONS.find((d) => attributes.some((a) => a.name === d && a.value === undefined));
  return find(media.attributes) ?? find(sdp.attributes) ?? 'sendrecv';
}

/** a=ptime in milliseconds, when present and sane. */
export function ptime(media: SdpMedia): number | undefined {
  const [value] = attributeValues(media.attributes, 'ptime');
  if (value === undefined || !/^\d{1,4}(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** a=rtcp (RFC 3605): the RTCP port, and address when given; undefined means RTP port + 1. */
export function rtcpAddress(media: SdpMedia): { port: number; address: string | undefined } | undefined {
  const [value] = attributeValues(media.attributes, 'rtcp');
  if (value === undefined) return undefined;
  const match = /^(\d{1,5})(?:\s+IN\s+IP[46]\s+(\S+))?\s*$/.exec(value);
  if (match === null || Number(match[1]) > 65535) return undefined;
  return { port: Number(match[1]), address: match[2] };
}

/** The address RTP for this stream goes to: the media's c= line, else the session's. */
export function connectionAddress(sdp: SessionDescription, media: SdpMedia): string | undefined {
  const address = (media.connection ?? sdp.connection)?.address;
  return address?.split('/')[0];
}
