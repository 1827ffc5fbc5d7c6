/**
 * Turns any audio file ffmpeg can read (a doorbell chime, a recorded
 * announcement) into G.711 at 8 kHz mono, streamed as 160-byte frames —
 * one 20 ms RTP payload each. ffmpeg runs as a child process with an
 * argument array (no shell, so a file name is never interpreted); its
 * stderr is kept to explain a failure.
 */
import { spawn } from 'node:child_process';

import { PortierError } from 'portier/sdk';

import { SAMPLES_PER_FRAME } from './audio-codec.js';
import { ALAW_SILENCE, ULAW_SILENCE } from './g711.js';

export type G711Law = 'ulaw' | 'alaw';

export interface TranscodeOptions {
  law: G711Law;
  /** Default 'ffmpeg' from PATH. */
  ffmpegPath?: string;
  /** Aborting stops ffmpeg and ends the stream with the signal's reason. */
  signal?: AbortSignal;
}

const STDERR_KEPT = 4000;

/** The arguments given to ffmpeg, exposed so a test or a log can show them. */
export function transcodeArguments(inputPath: string, law: G711Law): string[] {
  const format = law === 'ulaw' ? 'mulaw' : 'alaw';
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', inputPath, '-vn', '-ac', '1', '-ar', '8000', '-acodec', `pcm_${format}`, '-f', format, 'pipe:1'];
}

/**
 * Yields the file as 160-byte G.711 frames; the last one is padded with
 * silence. Throws FFMPEG_MISSING when ffmpeg cannot be started and
 * FFMPEG_FAILED (with ffmpeg's own words) when it exits with an error.
 */
export async function* transcodeToG711Frames(inputPath: string, options: TranscodeOptions): AsyncGenerator<Uint8Array, void, undefined> {
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
  const child = spawn(ffmpegPath, transcodeArguments(inputPath, options.law), { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  // Observed here so a spawn failure is not an unhandled rejection while stdout is read.
  exited.catch(() => undefined);

  let finished = false;
  try {
    let pending: Buffer = Buffer.alloc(0);
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      for (; offset + SAMPLES_PER_FRAME <= pending.length; offset += SAMPLES_PER_FRAME) {
        yield new Uint8Array(pending.subarray(offset, offset + SAMPLES_PER_FRAME));
      }
      pending = pending.subarray(offset);
    }
    const result = await exited.catch((error: NodeJS.ErrnoException) => {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error.code === 'ENOENT') {
        throw new PortierError('FFMPEG_MISSING', `ffmpeg was not found (${ffmpegPath}); install ffmpeg to play audio files in calls.`, [], { cause: error });
      }
      throw new PortierError('FFMPEG_FAILED', `ffmpeg could not be started: ${error.message}.`, [], { cause: error });
    });
    if (result.code !== 0) {
      const why = stderr.trim().split('\n').slice(-3).join(' ') || `exit ${result.code ?? result.signal}`;
      throw new PortierError('FFMPEG_FAILED', `ffmpeg could not convert ${inputPath} to G.711: ${why}`);
    }
    if (pending.length > 0) {
      const last = new Uint8Array(SAMPLES_PER_FRAME).fill(options.law === 'ulaw' ? ULAW_SILENCE : ALAW_SILENCE);
      last.set(pending);
      yield last;
    }
    finished = true;
  } finally {
    // The consumer stopped early (a call hung up mid-announcement): ffmpeg is not needed any more.
    if (!finished && child.exitCode === null) child.kill('SIGKILL');
  }
}
