/**
 * A tone as 16-bit PCM frames: the sum of one or more sines (a dial tone,
 * a DTMF pair, a 1 kHz test tone), with the phase carried from frame to
 * frame so consecutive frames join without clicks.
 */
import { PortierError } from 'portier/sdk';

import { SAMPLES_PER_FRAME } from '../audio-codec.js';

export interface ToneOptions {
  /** Hz; each must be below half the sample rate. */
  frequencies: readonly number[];
  /** Peak of the summed signal, 0–32767 (default 8000, about −12 dBFS). */
  amplitude?: number;
  /** Default 8000. */
  sampleRate?: number;
  /** Samples per frame (default 160: 20 ms at 8 kHz). */
  frameSamples?: number;
}

export class ToneGenerator {
  private readonly frequencies: readonly number[];
  private readonly amplitude: number;
  private readonly sampleRate: number;
  private readonly frameSamples: number;
  private sampleIndex = 0;

  constructor(options: ToneOptions) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.frameSamples = options.frameSamples ?? SAMPLES_PER_FRAME;
    this.amplitude = options.amplitude ?? 8000;
    this.frequencies = options.frequencies;
    if (this.frequencies.length === 0) throw new PortierError('TONE_INVALID', 'A tone needs at least one frequency.');
    for (const frequency of this.frequencies) {
      if (!(frequency > 0 && frequency < this.sampleRate / 2)) {
        throw new PortierError('TONE_INVALID', `A tone frequency of ${frequency} Hz cannot be played at ${this.sampleRate} Hz; use 1–${this.sampleRate / 2 - 1} Hz.`);
      }
    }
    if (!(this.amplitude >= 0 && this.amplitude <= 32767)) throw new PortierError('TONE_INVALID', `A tone amplitude of ${this.amplitude} is outside 0–32767.`);
  }

  /** The next frame of samples. */
  nextFrame(): Int16Array {
    const frame = new Int16Array(this.frameSamples);
    const scale = this.amplitude / this.frequencies.length;
    for (let i = 0; i < frame.length; i++) {
      const t = (this.sampleIndex + i) / this.sampleRate;
      let value = 0;
      for (const frequency of this.frequencies) value += Math.sin(2 * Math.PI * frequency * t);
      frame[i] = Math.round(value * scale);
    }
    // Wrapping at a whole second keeps t exact for integer frequencies, however long the tone plays.
    this.sampleIndex = (this.sampleIndex + frame.length) % this.sampleRate;
    return frame;
  }
}
