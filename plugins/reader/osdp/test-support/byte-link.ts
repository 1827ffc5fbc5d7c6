/**
 * An in-memory RS-485 pair: what one end writes, the other end receives, in
 * order, on a later turn of the event loop — optionally cut into chunks of
 * random size, as a UART driver hands them over.
 */
import type { ByteStream } from '../byte-stream.js';
import type { SeededRandom } from '../../../../test/support/seeded-random.js';

export interface ByteLinkOptions {
  /** Cut each write into chunks of 1…maxChunk bytes chosen by this generator. */
  random?: SeededRandom;
  maxChunk?: number;
}

class LinkEnd implements ByteStream {
  peer!: LinkEnd;
  private readonly listeners = new Set<(chunk: Uint8Array) => void>();
  private readonly queue: Uint8Array[] = [];
  private scheduled = false;
  /** Everything written by this end, for assertions. */
  readonly written: Uint8Array[] = [];

  constructor(private readonly options: ByteLinkOptions) {}

  write(bytes: Uint8Array): void {
    this.written.push(bytes.slice());
    const { random, maxChunk = 7 } = this.options;
    for (let at = 0; at < bytes.length;) {
      const size = random ? random.int(1, maxChunk) : bytes.length;
      this.peer.enqueue(bytes.slice(at, at + size));
      at += size;
    }
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private enqueue(chunk: Uint8Array): void {
    this.queue.push(chunk);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.deliver());
  }

  private deliver(): void {
    const chunk = this.queue.shift();
    if (chunk) for (const listener of [...this.listeners]) listener(chunk);
    if (this.queue.length) setImmediate(() => this.deliver());
    else this.scheduled = false;
  }
}

/** Two connected ends: [the ACU's, the PD's]. */
export function createByteLink(options: ByteLinkOptions = {}): [ByteStream & { written: Uint8Array[] }, ByteStream & { written: Uint8Array[] }] {
  const a = new LinkEnd(options);
  const b = new LinkEnd(options);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
