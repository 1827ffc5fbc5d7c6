import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIO_SAMPLE_RATE } from '../../sdk/audio-ports.js';
import { PortierError } from '../../sdk/errors.js';

export interface DecodeOptions {
  /** Longer clips are refused (AUDIO_CLIP_TOO_LONG) rather than cut. */
  maxSeconds: number;
  ffmpegPath?: string;
  timeoutMs?: number;
}

/**
 * Decodes an audio file of any format ffmpeg reads into the intercom's audio
 * format (16-bit PCM, 8 kHz, mono). The file goes through a temporary file,
 * not a pipe: MP4 and some WAV variants need a seekable input.
 */
export async function decodeAudioClip(bytes: Uint8Array, options: DecodeOptions): Promise<Int16Array> {
  const dir = await mkdtemp(join(tmpdir(), 'portier-clip-'));
  try {
    const input = join(dir, 'clip');
    await writeFile(input, bytes);
    const pcm = await runFfmpeg(input, options);
    return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1).slice();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runFfmpeg(input: string, options: DecodeOptions): Promise<Buffer> {
  const maxBytes = options.maxSeconds * AUDIO_SAMPLE_RATE * 2;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', input, '-map', '0:a:0', '-f', 's16le', '-acodec', 'pcm_s16le', '-ac', '1', '-ar', String(AUDIO_SAMPLE_RATE), 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let refused: PortierError | undefined;
    const timer = setTimeout(() => {
      refused = new PortierError('AUDIO_CLIP_UNREADABLE', `ffmpeg took longer than ${options.timeoutMs ?? 20_000} ms to decode the clip; send a shorter or simpler file.`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes && refused === undefined) {
        refused = new PortierError('AUDIO_CLIP_TOO_LONG', `The clip is longer than ${options.maxSeconds} s; cut it shorter.`);
        child.kill('SIGKILL');
      } else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new PortierError('FFMPEG_MISSING', 'ffmpeg is not installed on this device, so audio clips cannot be decoded; install ffmpeg (Debian package "ffmpeg").')
          : error,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (refused !== undefined) return reject(refused);
      if (code !== 0) {
        const why = stderr.trim().split('\n').at(-1) ?? `exit code ${code}`;
        return reject(new PortierError('AUDIO_CLIP_UNREADABLE', `The clip is not audio ffmpeg can read: ${why}.`));
      }
      if (size === 0) return reject(new PortierError('AUDIO_CLIP_UNREADABLE', 'The clip decodes to no audio at all.'));
      resolve(Buffer.concat(chunks));
    });
  });
}
