import { AUDIO_FRAME_MS, AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE } from '../../sdk/audio-ports.js';
import type { Clock, TimerHandle } from '../../sdk/clock.js';
import type { Unsubscribe } from '../../sdk/ports.js';
import { ListenerSet } from '../events/listener-set.js';

/** What the simulated microphone hears. */
export type MicrophoneSource =
  | { kind: 'silence' }
  | { kind: 'tone'; frequencyHz: number; levelDbfs: number }
  /** Decoded samples (8 kHz mono), e.g. an audio clip ffmpeg decoded; played once or looped. */
  | { kind: 'clip'; name: string; samples: Int16Array; loop: boolean };

export type MicrophoneSourceView =
  | { kind: 'silence' }
  | { kind: 'tone'; frequencyHz: number; levelDbfs: number }
  | { kind: 'clip'; name: string; seconds: number; loop: boolean };

const FULL_SCALE = 32767;

/**
 * A microphone in memory. Frames come every 20 ms of the injected clock while
 * someone listens, each due time counted from the first, so a late timer does
 * not make the stream drift; a timer that fires very late (a blocked event
 * loop) catches up by at most a few frames, like a real ADC's ring buffer.
 */
export class SimulatedMicrophone {
  private source: MicrophoneSource = { kind: 'silence' };
  private readonly listeners = new ListenerSet<[Int16Array]>();
  private timer: TimerHandle | undefined;
  private startedAt = 0;
  private framesSent = 0;
  /** Position in the source: the tone's phase in samples, or the clip's offset. */
  private position = 0;

  constructor(private readonly clock: Clock) {}

  get view(): MicrophoneSourceView {
    const s = this.source;
    if (s.kind === 'clip') return { kind: 'clip', name: s.name, seconds: s.samples.length / AUDIO_SAMPLE_RATE, loop: s.loop };
    return { ...s };
  }

  setSource(source: MicrophoneSource): void {
    this.source = source;
    this.position = 0;
  }

  onFrame(listener: (samples: Int16Array) => void): Unsubscribe {
    const unsubscribe = this.listeners.add(listener);
    if (this.timer === undefined) {
      this.startedAt = this.clock.now();
      this.framesSent = 0;
      this.schedule();
    }
    return () => {
      unsubscribe();
      if (this.listeners.size === 0 && this.timer !== undefined) {
        this.clock.clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    const due = this.startedAt + (this.framesSent + 1) * AUDIO_FRAME_MS;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, due - this.clock.now()));
  }

  private tick(): void {
    const owed = Math.floor((this.clock.now() - this.startedAt) / AUDIO_FRAME_MS) - this.framesSent;
    // A blocked loop owes many frames; a real ring buffer would have overwritten all but the last few.
    const skipped = Math.max(0, owed - 5);
    this.framesSent += skipped;
    for (let i = skipped; i < owed && this.listeners.size > 0; i++) {
      this.framesSent++;
      this.listeners.emit(this.nextFrame());
    }
    if (this.listeners.size > 0) this.schedule();
    else this.timer = undefined;
  }

  private nextFrame(): Int16Array {
    const frame = new Int16Array(AUDIO_FRAME_SAMPLES);
    const s = this.source;
    if (s.kind === 'tone') {
      const amplitude = FULL_SCALE * 10 ** (s.levelDbfs / 20);
      const step = (2 * Math.PI * s.frequencyHz) / AUDIO_SAMPLE_RATE;
      for (let i = 0; i < frame.length; i++) frame[i] = Math.round(amplitude * Math.sin(step * (this.position + i)));
      // Wrap the phase where the sine repeats exactly enough, so a long call does not lose precision.
      this.position = (this.position + frame.length) % (AUDIO_SAMPLE_RATE * 100);
    } else if (s.kind === 'clip') {
      for (let i = 0; i < frame.length; i++) {
        if (this.position >= s.samples.length) {
          if (!s.loop || s.samples.length === 0) break;
          this.position = 0;
        }
        frame[i] = s.samples[this.position++]!;
      }
    }
    return frame;
  }
}

export interface SpeakerView {
  framesPlayed: number;
  /** RMS level of the last 200 ms played, in dBFS; null before anything played. */
  levelDbfs: number | null;
  lastPlayedAt: number | null;
}

const KEEP_SECONDS = 10;

/** A speaker in memory: it keeps the last seconds it played, so a test or the web interface can tell what came out. */
export class SimulatedSpeaker {
  private readonly ring = new Int16Array(AUDIO_SAMPLE_RATE * KEEP_SECONDS);
  private written = 0;
  private framesPlayed = 0;
  private lastPlayedAt: number | null = null;

  constructor(private readonly clock: Clock) {}

  play(samples: Int16Array): void {
    for (const sample of samples) this.ring[this.written++ % this.ring.length] = sample;
    this.framesPlayed++;
    this.lastPlayedAt = this.clock.now();
  }

  /** The last `ms` milliseconds played (at most what is kept), oldest first. */
  recent(ms: number): Int16Array {
    const count = Math.min(this.written, this.ring.length, Math.round((ms * AUDIO_SAMPLE_RATE) / 1000));
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = this.ring[(this.written - count + i) % this.ring.length]!;
    return out;
  }

  get view(): SpeakerView {
    return { framesPlayed: this.framesPlayed, levelDbfs: this.framesPlayed === 0 ? null : rmsDbfs(this.recent(200)), lastPlayedAt: this.lastPlayedAt };
  }
}

function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  return rms === 0 ? -96 : Math.max(-96, Math.round(20 * Math.log10(rms / FULL_SCALE) * 10) / 10);
}
