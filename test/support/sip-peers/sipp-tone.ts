/**
 * The audio sipp streams with `rtp_stream`: raw G.711 A-law (payload type 8),
 * which sipp sends from an ordinary UDP socket — unlike pcap replay, which
 * needs a raw socket and so root or CAP_NET_RAW. The file is written once per
 * machine under the temp dir (atomically, as parallel test workers race).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** ITU-T G.711 A-law of one 16-bit linear sample. */
export function linearToAlaw(sample: number): number {
  let value = sample >> 3;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = SEGMENT_ENDS.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  const quantised = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | quantised) ^ mask;
}

/** Path of a 440 Hz, 5 s A-law tone at 8 kHz (sipp loops it for as long as a call lasts). */
export function alawTonePath(frequency = 440, seconds = 5): string {
  const dir = join(tmpdir(), 'portier-sipp-media');
  const path = join(dir, `tone-${frequency}hz-${seconds}s.alaw`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const samples = 8000 * seconds;
  const audio = Buffer.alloc(samples);
  for (let i = 0; i < samples; i += 1) {
    audio[i] = linearToAlaw(Math.round(Math.sin((2 * Math.PI * frequency * i) / 8000) * 0.5 * 32767));
  }
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, audio);
  renameSync(partial, path);
  return path;
}
