/**
 * The streaming frame reader: frames split at every possible point, glued
 * together, separated by noise, missing a byte, or claiming absurd lengths —
 * each valid frame still comes out, each bad candidate is reported, and the
 * buffer never holds more than one maximum frame.
 */
import { describe, expect, it } from 'vitest';

import { encodeFrame } from './frame.js';
import { FrameReader, type FrameReaderEvent } from './frame-reader.js';
import { SeededRandom } from '../../../test/support/seeded-random.js';

const poll = (sequence: number, address = 1): Uint8Array => encodeFrame({ address, sequence, code: 0x60 });
const led = encodeFrame({ address: 1, sequence: 2, code: 0x69, data: Uint8Array.from({ length: 14 }, (_, i) => i) });

function frames(events: FrameReaderEvent[]): Uint8Array[] {
  return events.flatMap((e) => (e.kind === 'frame' ? [e.frame.bytes] : []));
}

function reasons(events: FrameReaderEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'malformed' ? [e.reason] : []));
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('FrameReader', () => {
  it('yields a frame split at any point into two chunks', () => {
    for (let cut = 0; cut <= led.length; cut++) {
      const reader = new FrameReader();
      const events = [...reader.push(led.slice(0, cut)), ...reader.push(led.slice(cut))];
      expect(frames(events)).toEqual([led]);
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('yields frames fed one byte at a time and frames glued in one chunk', () => {
    const reader = new FrameReader();
    const stream = concat(poll(0), led, poll(3));
    const oneByOne = [...stream].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(frames(oneByOne)).toEqual([poll(0), led, poll(3)]);
    expect(frames(new FrameReader().push(stream))).toEqual([poll(0), led, poll(3)]);
  });

  it('skips noise between frames, including an 0xFF mark byte and stray SOMs', () => {
    const reader = new FrameReader();
    const events = reader.push(concat(Uint8Array.of(0xff, 0x00, 0x12), poll(0), Uint8Array.of(0x53, 0x53, 0xff), poll(1)));
    expect(frames(events)).toEqual([poll(0), poll(1)]);
    expect(reader.discardedBytes).toBeGreaterThanOrEqual(3);
  });

  it('recovers the next frame after a frame that lost a byte', () => {
    const damaged = concat(led.slice(0, 7), led.slice(8));
    const reader = new FrameReader();
    const events = [...reader.push(damaged), ...reader.push(poll(3)), ...reader.push(poll(1))];
    expect(reasons(events)).toEqual(['bad-check']);
    expect(frames(events)).toEqual([poll(3), poll(1)]);
  });

  it('does not wait for bytes an ACU will not send: a complete CRC frame ending the input wins over a longer LEN', () => {
    // Noise that reads as a header announcing 300 bytes, then a real command, then silence (the ACU waits).
    const reader = new FrameReader();
    const events = reader.push(concat(Uint8Array.of(0x53, 0x01, 0x2c, 0x01, 0x04, 0x99), poll(2)));
    expect(reasons(events)).toEqual(['truncated']);
    expect(frames(events)).toEqual([poll(2)]);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('does not rescue a checksum frame from inside a longer candidate (too weak as evidence)', () => {
    const reader = new FrameReader();
    const checksumPoll = encodeFrame({ address: 1, sequence: 1, crc: false, code: 0x60 });
    expect(frames(reader.push(concat(Uint8Array.of(0x53, 0x01, 0x2c, 0x01, 0x04), checksumPoll)))).toEqual([]);
    reader.reset();
    expect(frames(reader.push(checksumPoll))).toEqual([checksumPoll]);
  });

  it('reports bad length, too long, reserved bits and bad check, then resynchronises', () => {
    const reader = new FrameReader({ maxFrameLength: 64 });
    const short = Uint8Array.of(0x53, 0x01, 0x03, 0x00, 0x04);
    const long = Uint8Array.of(0x53, 0x01, 0xff, 0xff, 0x04);
    const reserved = Uint8Array.of(0x53, 0x01, 0x08, 0x00, 0x34);
    const corrupt = poll(1).slice();
    corrupt[5] = 0x61;
    const events = reader.push(concat(short, long, reserved, corrupt, poll(2)));
    expect(reasons(events)).toEqual(['bad-length', 'too-long', 'bad-control', 'bad-check']);
    expect(frames(events)).toEqual([poll(2)]);
  });

  it('reset() forgets a partial frame (inter-character timeout)', () => {
    const reader = new FrameReader();
    reader.push(Uint8Array.of(0x53, 0x01, 0x40, 0x00, 0x04, 0x60));
    expect(reader.bufferedBytes).toBe(6);
    reader.reset();
    expect(frames(reader.push(poll(0)))).toEqual([poll(0)]);
  });

  it('never buffers more than the maximum frame, whatever it is fed', () => {
    const random = new SeededRandom(11);
    const reader = new FrameReader({ maxFrameLength: 256 });
    for (let i = 0; i < 2000; i++) {
      const chunk = random.bytes(random.int(0, 600));
      if (random.next() < 0.3) chunk.set([0x53, 0x01, random.int(0, 255), random.int(0, 255), 0x04].slice(0, chunk.length));
      expect(() => reader.push(chunk)).not.toThrow();
      expect(reader.bufferedBytes).toBeLessThanOrEqual(256);
    }
  });

  it('refuses an unusable buffer size', () => {
    expect(() => new FrameReader({ maxFrameLength: 4 })).toThrow(RangeError);
  });
});
