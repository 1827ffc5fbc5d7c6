import type { Unsubscribe } from './ports.js';

/*
 * Audio on the intercom is 16-bit linear PCM, mono, 8 kHz, in 20 ms frames:
 * telephony's own format, so a call needs no resampling and a G.711 frame is
 * one frame of samples.
 */
export const AUDIO_SAMPLE_RATE = 8000;
export const AUDIO_FRAME_MS = 20;
export const AUDIO_FRAME_SAMPLES = (AUDIO_SAMPLE_RATE * AUDIO_FRAME_MS) / 1000;

/**
 * A microphone (kind `microphone`): what it hears, one frame every 20 ms
 * while at least one listener is subscribed. Each frame is a fresh array the
 * listeners share: keep it if you like, but do not change it.
 */
export interface MicrophonePort {
  readonly id: string;
  readonly kind: 'microphone';
  onFrame(listener: (samples: Int16Array) => void): Unsubscribe;
}

/**
 * The speaker (kind `speaker`). Frames play in the order given; a frame of
 * another length than AUDIO_FRAME_SAMPLES is refused with AUDIO_FRAME_INVALID.
 */
export interface SpeakerPort {
  readonly id: string;
  readonly kind: 'speaker';
  play(samples: Int16Array): void;
}
