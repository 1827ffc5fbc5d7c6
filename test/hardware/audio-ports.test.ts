import { beforeEach, describe, expect, it } from 'vitest';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import type { ListenerGuard } from '../../platform/hardware/port-handles.js';
import { PortRegistry } from '../../platform/hardware/port-registry.js';
import { SimulatedIntercom } from '../../platform/hardware/simulated-intercom.js';
import { AUDIO_FRAME_SAMPLES } from '../../sdk/audio-ports.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';
import { toneShare } from '../support/tone-analysis.js';

describe('the microphone and speaker ports', () => {
  let clock: FakeClock;
  let sim: SimulatedIntercom;
  let ports: PortRegistry;
  const guard: ListenerGuard = (listener) => listener;
  const claimMicrophone = () => ports.claim({ owner: 'sip', portId: 'microphone-1', kind: 'microphone', purpose: 'Call audio', allowedKinds: ['microphone', 'speaker'], guard });
  const claimSpeaker = () => ports.claim({ owner: 'sip', portId: 'speaker', kind: 'speaker', purpose: 'Call audio', allowedKinds: ['microphone', 'speaker'], guard });

  beforeEach(() => {
    clock = new FakeClock();
    sim = new SimulatedIntercom(AXIS_I8307_VE, { clock });
    ports = new PortRegistry(AXIS_I8307_VE, sim);
  });

  it('hears a frame every 20 ms while someone listens, silence until told otherwise', async () => {
    const microphone = claimMicrophone();
    const frames: Int16Array[] = [];
    const stop = microphone.onFrame((frame) => frames.push(frame));
    await clock.advance(100);
    expect(frames).toHaveLength(5);
    expect(frames.every((f) => f.length === AUDIO_FRAME_SAMPLES && f.every((s) => s === 0))).toBe(true);
    stop();
    await clock.advance(100);
    expect(frames).toHaveLength(5);
  });

  it('hears the tone the simulator plays it, at the level asked', async () => {
    const microphone = claimMicrophone();
    sim.setMicrophoneSource('microphone-1', { kind: 'tone', frequencyHz: 1000, levelDbfs: -6 });
    const heard: number[] = [];
    microphone.onFrame((frame) => heard.push(...frame));
    await clock.advance(200);
    const samples = Int16Array.from(heard);
    expect(toneShare(samples, 1000)).toBeGreaterThan(0.95);
    expect(toneShare(samples, 700)).toBeLessThan(0.05);
    const peak = Math.max(...samples);
    expect(peak).toBeGreaterThan(16000);
    expect(peak).toBeLessThan(16500);
  });

  it('plays a clip once, then silence; or loops it', async () => {
    const microphone = claimMicrophone();
    const clip = Int16Array.from({ length: 240 }, (_, i) => i + 1);
    sim.setMicrophoneSource('microphone-1', { kind: 'clip', name: 'bell', samples: clip, loop: false });
    const heard: number[] = [];
    microphone.onFrame((frame) => heard.push(...frame));
    await clock.advance(40);
    expect(heard.slice(0, 240)).toEqual([...clip]);
    expect(heard.slice(240).every((s) => s === 0)).toBe(true);
    sim.setMicrophoneSource('microphone-1', { kind: 'clip', name: 'bell', samples: clip, loop: true });
    heard.length = 0;
    await clock.advance(40);
    expect(heard.slice(0, 240)).toEqual([...clip]);
    expect(heard.slice(240, 320)).toEqual([...clip.slice(0, 80)]);
    expect(sim.microphoneSource('microphone-1')).toEqual({ kind: 'clip', name: 'bell', seconds: 0.03, loop: true });
  });

  it('keeps what the speaker played, with its level', async () => {
    const speaker = claimSpeaker();
    expect(sim.speakerState('speaker')).toEqual({ framesPlayed: 0, levelDbfs: null, lastPlayedAt: null });
    const frame = Int16Array.from({ length: AUDIO_FRAME_SAMPLES }, (_, i) => (i % 2 === 0 ? 16384 : -16384));
    for (let i = 0; i < 10; i++) speaker.play(frame);
    const state = sim.speakerState('speaker');
    expect(state.framesPlayed).toBe(10);
    expect(state.levelDbfs).toBeCloseTo(-6, 0);
    expect(sim.speakerSamples('speaker', 20)).toEqual(frame);
  });

  it('refuses a frame of the wrong size, and anything after release', async () => {
    const speaker = claimSpeaker();
    expect(() => speaker.play(new Int16Array(100))).toThrow(expect.objectContaining({ code: 'AUDIO_FRAME_INVALID' }));
    ports.release('sip', 'speaker');
    expect(() => speaker.play(new Int16Array(AUDIO_FRAME_SAMPLES))).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
  });

  it('stops the microphone stream when its holder releases it', async () => {
    const microphone = claimMicrophone();
    const frames: Int16Array[] = [];
    microphone.onFrame((frame) => frames.push(frame));
    await clock.advance(40);
    ports.release('sip', 'microphone-1');
    await clock.advance(100);
    expect(frames).toHaveLength(2);
  });
});
