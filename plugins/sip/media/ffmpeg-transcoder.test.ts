import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { transcodeToG711Frames } from './ffmpeg-transcoder.js';
import { decodeAlaw, decodeUlaw } from './g711.js';
import { describeWithPeer } from '../../../test/support/sip-peers/peer-binary.js';

async function collect(frames: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for await (const frame of frames) all.push(frame);
  return all;
}

it('says ffmpeg is missing, with a code, when it cannot be started', async () => {
  await expect(collect(transcodeToG711Frames('/nowhere.wav', { law: 'ulaw', ffmpegPath: '/nonexistent/ffmpeg' }))).rejects.toMatchObject({
    code: 'FFMPEG_MISSING',
    message: expect.stringContaining('install ffmpeg'),
  });
});

describeWithPeer('ffmpeg', 'transcoding with a real ffmpeg', (ffmpeg) => {
  let dir = '';
  let wav = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portier-ffmpeg-'));
    wav = join(dir, 'tone.wav');
    const made = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100:duration=1', '-ac', '2', wav]);
    expect(made.status, made.stderr?.toString()).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a 1 s 44.1 kHz stereo wav into 50 µ-law frames of a 1 kHz sine', async () => {
    const frames = await collect(transcodeToG711Frames(wav, { law: 'ulaw', ffmpegPath: ffmpeg }));
    expect(frames).toHaveLength(50);
    expect(frames.every((f) => f.length === 160)).toBe(true);
    const samples = decodeUlaw(frames[25]!);
    // 8 samples per period at 8 kHz: a sine correlates with itself 8 samples on and anti-correlates 4 on.
    let same = 0;
    let opposite = 0;
    let energy = 0;
    for (let i = 0; i < 150; i++) {
      same += samples[i]! * samples[i + 8]!;
      opposite += samples[i]! * samples[i + 4]!;
      energy += samples[i]! * samples[i]!;
    }
    expect(same / energy).toBeGreaterThan(0.95);
    expect(opposite / energy).toBeLessThan(-0.95);
    expect(Math.sqrt(energy / 150)).toBeGreaterThan(1000);
  });

  it('pads the last frame with silence and does A-law too', async () => {
    const short = join(dir, 'short.wav');
    spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000:duration=0.0125', short]);
    const frames = await collect(transcodeToG711Frames(short, { law: 'alaw', ffmpegPath: ffmpeg }));
    expect(frames).toHaveLength(1);
    const samples = decodeAlaw(frames[0]!);
    expect(samples.slice(100).every((s) => s === 8)).toBe(true);
    expect(samples.slice(0, 100).some((s) => Math.abs(s) > 1000)).toBe(true);
  });

  it('fails with FFMPEG_FAILED and ffmpeg\'s own words for a file that is not audio', async () => {
    const junk = join(dir, 'junk.wav');
    writeFileSync(junk, 'this is not a wav file');
    await expect(collect(transcodeToG711Frames(junk, { law: 'ulaw', ffmpegPath: ffmpeg }))).rejects.toMatchObject({
      code: 'FFMPEG_FAILED',
      message: expect.stringMatching(/could not convert .*junk\.wav to G\.711: .*Invalid data/),
    });
  });

  it('stops ffmpeg when the consumer stops early', async () => {
    const frames = transcodeToG711Frames(wav, { law: 'ulaw', ffmpegPath: ffmpeg });
    for await (const frame of frames) {
      expect(frame.length).toBe(160);
      break;
    }
  });
});
