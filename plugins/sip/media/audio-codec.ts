/**
 * The audio codecs the intercom speaks, with their static RTP payload types
 * (RFC 3551 §6, table 4): PCMU = 0, PCMA = 8, both 8000 Hz, one channel.
 */
import { ALAW_SILENCE, ULAW_SILENCE, decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';

export interface AudioCodec {
  /** The encoding name used in SDP's a=rtpmap. */
  name: 'PCMU' | 'PCMA';
  payloadType: number;
  clockRate: number;
  /** One encoded byte of silence, for padding a short frame. */
  silence: number;
  encode(samples: Int16Array): Uint8Array;
  decode(payload: Uint8Array): Int16Array;
}

export const PCMU: AudioCodec = { name: 'PCMU', payloadType: 0, clockRate: 8000, silence: ULAW_SILENCE, encode: encodeUlaw, decode: decodeUlaw };
export const PCMA: AudioCodec = { name: 'PCMA', payloadType: 8, clockRate: 8000, silence: ALAW_SILENCE, encode: encodeAlaw, decode: decodeAlaw };

/** 20 ms at 8 kHz: one G.711 packet's samples (and bytes). */
export const SAMPLES_PER_FRAME = 160;
export const FRAME_MS = 20;
