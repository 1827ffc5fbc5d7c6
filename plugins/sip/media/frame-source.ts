/**
 * Where an RTP sender takes its audio: one encoded 20 ms payload per call,
 * null when the audio has ended. A source may answer with a promise (a file
 * still being transcoded); the sender waits for it within the packet interval.
 */
import type { AudioCodec } from './audio-codec.js';

export interface FrameSource {
  nextFrame(): Uint8Array | null | Promise<Uint8Array | null>;
}

/** Encodes PCM frames (e.g. a ToneGenerator's) with a codec, for `frames` frames or forever. */
export function encodedFrames(pcm: { nextFrame(): Int16Array }, codec: AudioCodec, frames = Infinity): FrameSource {
  let left = frames;
  return {
    nextFrame() {
      if (left <= 0) return null;
      left--;
      return codec.encode(pcm.nextFrame());
    },
  };
}

/** Pulls frames from an async iterable, such as transcodeToG711Frames. */
export function iterableFrames(frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): FrameSource {
  const iterator = Symbol.asyncIterator in frames ? frames[Symbol.asyncIterator]() : frames[Symbol.iterator]();
  let ended = false;
  return {
    async nextFrame() {
      if (ended) return null;
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        return null;
      }
      return next.value;
    },
  };
}
