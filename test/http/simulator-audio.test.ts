import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toneShare } from '../support/tone-analysis.js';
import { ADMIN, portierPerTest } from '../support/test-portier.js';

const portier = portierPerTest();
const dir = mkdtempSync(join(tmpdir(), 'portier-clip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real audio file, made by ffmpeg itself: 1.5 s of 600 Hz at 44.1 kHz stereo. */
function wavClip(): Buffer {
  const file = join(dir, 'tone.wav');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=600:duration=1.5:sample_rate=44100', '-ac', '2', file]);
  return readFileSync(file);
}

describe('the simulated intercom\'s audio over the API', () => {
  it('shows both microphones silent and the speaker unplayed at start', async () => {
    const p = await portier.start();
    const reply = await p.request('GET', '/api/v1/simulator/audio', { user: ADMIN });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      microphones: [
        { port: 'microphone-1', source: { kind: 'silence' } },
        { port: 'microphone-2', source: { kind: 'silence' } },
      ],
      speakers: [{ port: 'speaker', framesPlayed: 0, levelDbfs: null, lastPlayedAt: null }],
    });
  });

  it('makes a microphone hear a tone, and refuses one outside the telephone band with the field', async () => {
    const p = await portier.start();
    const set = await p.request('PUT', '/api/v1/simulator/microphones/microphone-1', { user: ADMIN, body: { kind: 'tone', frequencyHz: 1000 } });
    expect(set.status).toBe(200);
    expect(set.body.microphones[0]).toEqual({ port: 'microphone-1', source: { kind: 'tone', frequencyHz: 1000, levelDbfs: -12 } });
    const bad = await p.request('PUT', '/api/v1/simulator/microphones/microphone-1', { user: ADMIN, body: { kind: 'tone', frequencyHz: 5000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('/body/frequencyHz');
    const unknown = await p.request('PUT', '/api/v1/simulator/microphones/speaker', { user: ADMIN, body: { kind: 'silence' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PORT_NOT_FOUND');
  });

  it('decodes an uploaded clip with ffmpeg to 8 kHz mono, and the microphone hears it', async () => {
    const p = await portier.start();
    const reply = await p.request('PUT', '/api/v1/simulator/microphones/microphone-2/clip?loop=false&name=doorbell', {
      user: ADMIN,
      raw: wavClip(),
      headers: { 'content-type': 'audio/wav' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.microphones[1]).toEqual({ port: 'microphone-2', source: { kind: 'clip', name: 'doorbell', seconds: 1.5, loop: false } });
    const sim = p.kernel.simulator!;
    const heard: number[] = [];
    const stop = sim.onMicrophoneFrame('microphone-2', (frame) => heard.push(...frame));
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    expect(heard.length).toBeGreaterThan(1600);
    expect(toneShare(Int16Array.from(heard.slice(0, 1600)), 600)).toBeGreaterThan(0.9);
  });

  it('refuses a file that is not audio with 422, leaving the microphone as it was', async () => {
    const p = await portier.start();
    const reply = await p.request('PUT', '/api/v1/simulator/microphones/microphone-1/clip', {
      user: ADMIN,
      raw: Buffer.from('this is not a sound'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('AUDIO_CLIP_UNREADABLE');
    expect(reply.body.message).toMatch(/not audio ffmpeg can read/);
    const view = await p.request('GET', '/api/v1/simulator/audio', { user: ADMIN });
    expect(view.body.microphones[0].source).toEqual({ kind: 'silence' });
  });
});
