/**
 * A session description (RFC 4566) as far as a door intercom's audio needs:
 * origin, connection, timing, attributes, media. Lines the stack does not use
 * (i= u= e= p= b= r= z= k=) are kept as `extraLines` and written back in the
 * place RFC 4566 §5 orders them.
 */

export interface SdpOrigin {
  username: string;
  /** Digits, kept as text: RFC 4566 only asks for a numeric string, often wider than 2^53. */
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

export interface SdpConnection {
  netType: string;
  /** IP4 or IP6. */
  addrType: string;
  /** An address, possibly with /ttl or /count for multicast. */
  address: string;
}

export interface SdpAttribute {
  name: string;
  /** undefined for a property attribute such as `a=sendrecv`. */
  value: string | undefined;
}

export interface SdpLine {
  /** One letter: i, u, e, p, b, r, z, k, or another the parser met. */
  type: string;
  value: string;
}

export interface SdpTiming {
  start: string;
  stop: string;
}

export interface SdpMedia {
  /** audio, video, application, … */
  type: string;
  /** 0 marks a rejected or disabled stream (RFC 3264 §5.1, §6). */
  port: number;
  portCount: number | undefined;
  /** RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, … */
  protocol: string;
  /** Payload type numbers for RTP profiles, as text in offer order. */
  formats: string[];
  connection: SdpConnection | undefined;
  attributes: SdpAttribute[];
  extraLines: SdpLine[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  connection: SdpConnection | undefined;
  timing: SdpTiming[];
  attributes: SdpAttribute[];
  media: SdpMedia[];
  extraLines: SdpLine[];
}

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const MEDIA_DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
