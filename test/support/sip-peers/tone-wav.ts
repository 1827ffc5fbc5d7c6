/**
 * A sine tone as a WAV file (PCM S16LE, mono, 8 kHz by default): what
 * baresip's aufile and ffmpeg read as a microphone, and a signal whose
 * frequency a test can look for at the far end.
 */
import { writeFileSync } from 'node:fs';

export interface ToneOptions {
  seconds?: number;
  frequency?: number;
  sampleRate?: number;
  /** 0..1 of full scale; default 0.5. */
  amplitude?: number;
}

export function toneWav(options: ToneOptions = {}): Buffer {
  const { seconds = 5, frequency = 440, sampleRate = 8000, amplitude = 0.5 } = options;
  const samples = Math.round(seconds * sampleRate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i += 1) {
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * amplitude * 32767), 44 + i * 2);
  }
  return wav;
}

/** Writes `toneWav(options)` to `path` and returns the path. */
export function writeToneWav(path: string, options: ToneOptions = {}): string {
  writeFileSync(path, toneWav(options));
  return path;
}
