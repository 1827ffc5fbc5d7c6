/** A frame source for tests of the RTP sender: a PCM generator encoded with a codec. */
import type { AudioCodec } from '../audio-codec.js';
import type { FrameSource } from '../frame-source.js';

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
