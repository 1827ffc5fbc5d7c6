import type { MicrophonePort, Unsubscribe } from 'portier/sdk';
import type { AudioCodec, FrameSource } from './media/index.js';

/** At most this many frames wait for the sender: more means the sender fell behind, and old audio is worth less than no delay. */
const MAX_QUEUED = 5;

/**
 * The microphone as an RTP sender's frame source: frames arrive every 20 ms
 * from the microphone, the sender takes one every 20 ms; silence fills a
 * gap, and a backlog is trimmed from the old end.
 */
export class MicrophoneFrames implements FrameSource {
  private readonly queue: Int16Array[] = [];
  private readonly unsubscribe: Unsubscribe;
  private readonly silence: Uint8Array;

  constructor(
    microphone: MicrophonePort,
    private readonly codec: AudioCodec,
  ) {
    this.silence = new Uint8Array(160).fill(codec.silence);
    this.unsubscribe = microphone.onFrame((frame) => {
      this.queue.push(frame);
      if (this.queue.length > MAX_QUEUED) this.queue.shift();
    });
  }

  nextFrame(): Uint8Array {
    const frame = this.queue.shift();
    return frame === undefined ? this.silence : this.codec.encode(frame);
  }

  close(): void {
    this.unsubscribe();
    this.queue.length = 0;
  }
}
