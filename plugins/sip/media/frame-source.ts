/**
 * Where an RTP sender takes its audio: one encoded 20 ms payload per call,
 * null when the audio has ended. A source may answer with a promise; the
 * sender waits for it within the packet interval.
 */
export interface FrameSource {
  nextFrame(): Uint8Array | null | Promise<Uint8Array | null>;
}
