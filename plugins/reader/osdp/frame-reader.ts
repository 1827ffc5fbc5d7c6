/**
 * Turns an RS-485 byte stream into OSDP frames.
 *
 * Bytes come in chunks split anywhere (a UART read, a simulator write). The
 * reader hunts for SOM, reads the 5-byte header, checks its LEN against the
 * bounds, collects LEN bytes and checks the checksum or CRC — the message
 * synchronisation the specification describes (SIA OSDP v2.2 §5; libosdp
 * doc/protocol/introduction.rst "Message Synchronization").
 *
 * When a candidate fails (LEN too small or too large, reserved CTRL bits,
 * bad check characters, a security block that does not fit) the reader
 * reports it and drops only the SOM that started it, then looks for the next
 * SOM in the bytes it already holds: a frame whose first bytes were lost, or
 * a frame that follows noise, is found again without waiting for more input.
 *
 * Memory is one fixed buffer of `maxFrameLength` bytes; no input makes it
 * grow, and no input makes `push` throw.
 */
import { SOM } from './codes.js';
import {
  HEADER_LENGTH,
  decodeFrame,
  minimumLength,
  parseHeader,
  type FrameHeader,
  type MalformedReason,
  type OsdpFrame,
} from './frame.js';

/**
 * Default largest frame accepted: 1440 bytes, the largest packet SIA OSDP
 * v2.2.2 §5.6 asks either side to tolerate (as quoted at
 * https://kztech.io/OSDP/ComSet). The PD advertises it in osdp_PDCAP (function 10).
 */
export const DEFAULT_MAX_FRAME_LENGTH = 1440;

export type FrameReaderEvent =
  | { kind: 'frame'; frame: OsdpFrame }
  | { kind: 'malformed'; reason: MalformedReason; header: FrameHeader | null };

export interface FrameReaderOptions {
  maxFrameLength?: number;
}

export class FrameReader {
  readonly maxFrameLength: number;
  private readonly buffer: Uint8Array;
  private filled = 0;
  /** LEN of the frame being collected; 0 while the header is incomplete. */
  private expected = 0;
  private discarded = 0;

  constructor(options: FrameReaderOptions = {}) {
    const max = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < minimumLength(true) || max > 0xffff) {
      throw new RangeError(`maxFrameLength must be an integer from ${minimumLength(true)} to 65535`);
    }
    this.maxFrameLength = max;
    this.buffer = new Uint8Array(max);
  }

  /** Bytes held for a frame not yet complete (never more than maxFrameLength). */
  get bufferedBytes(): number {
    return this.filled;
  }

  /** Bytes skipped so far because they could not start or belong to a frame. */
  get discardedBytes(): number {
    return this.discarded;
  }

  /**
   * Forgets a partly received frame: for the inter-character timeout, after
   * which a receiver waits for a fresh SOM.
   */
  reset(): void {
    this.discarded += this.filled;
    this.filled = 0;
    this.expected = 0;
  }

  /** Feeds bytes; returns the frames completed and the candidates refused, in order. */
  push(chunk: Uint8Array): FrameReaderEvent[] {
    const events: FrameReaderEvent[] = [];
    this.consume(chunk, events);
    if (this.expected > 0) this.rescueTail(events);
    return events;
  }

  private consume(chunk: Uint8Array, events: FrameReaderEvent[]): void {
    let pos = 0;
    for (;;) {
      if (this.filled === 0) {
        // Nothing buffered: skip straight to the next SOM in the chunk.
        const som = chunk.indexOf(SOM, pos);
        if (som < 0) {
          this.discarded += chunk.length - pos;
          return;
        }
        this.discarded += som - pos;
        this.buffer[0] = SOM;
        this.filled = 1;
        pos = som + 1;
        continue;
      }
      if (this.buffer[0] !== SOM) {
        this.realign(0);
        continue;
      }

      const target = this.expected === 0 ? HEADER_LENGTH : this.expected;
      if (this.filled < target) {
        if (pos >= chunk.length) return;
        const take = Math.min(target - this.filled, chunk.length - pos);
        this.buffer.set(chunk.subarray(pos, pos + take), this.filled);
        this.filled += take;
        pos += take;
        if (this.filled < target) return;
      }

      if (this.expected === 0) {
        const parsed = parseHeader(this.buffer, this.maxFrameLength);
        if (!parsed.ok) {
          events.push({ kind: 'malformed', reason: parsed.reason, header: parsed.header });
          this.realign(1);
          continue;
        }
        this.expected = parsed.header.length;
        continue;
      }

      const length = this.expected;
      const result = decodeFrame(this.buffer.slice(0, length), this.maxFrameLength);
      if (result.ok) {
        events.push({ kind: 'frame', frame: result.frame });
        this.buffer.copyWithin(0, length, this.filled);
        this.filled -= length;
        this.expected = 0;
      } else {
        events.push({ kind: 'malformed', reason: result.reason, header: result.header });
        this.realign(1);
      }
    }
  }

  /**
   * The input stopped in the middle of a candidate whose LEN was wrong — a
   * lost byte, or noise that looked like a header — and an ACU, having sent
   * a whole command, now waits for the answer. If the buffered bytes end with
   * a complete CRC-checked frame, that frame is what the ACU sent: give up
   * the candidate ('truncated') and deliver it, rather than wait for bytes
   * that will only come after the ACU's reply timeout. Only CRC frames count
   * as evidence; an 8-bit checksum is too easy to match by chance. The cost:
   * a genuine long command whose data embeds a whole valid frame, cut by the
   * UART exactly after it, would be lost — the ACU resends it.
   */
  private rescueTail(events: FrameReaderEvent[]): void {
    const end = this.filled;
    for (let at = 1; at + minimumLength(true) <= end; at++) {
      if (this.buffer[at] !== SOM || (this.buffer[at + 2]! | (this.buffer[at + 3]! << 8)) !== end - at || (this.buffer[at + 4]! & 0x04) === 0) continue;
      const result = decodeFrame(this.buffer.slice(at, end), this.maxFrameLength);
      if (!result.ok) continue;
      const abandoned = parseHeader(this.buffer, this.maxFrameLength);
      events.push({ kind: 'malformed', reason: 'truncated', header: abandoned.header });
      events.push({ kind: 'frame', frame: result.frame });
      this.discarded += at;
      this.filled = 0;
      this.expected = 0;
      return;
    }
  }

  /** Drops buffered bytes before the first SOM at or after `from`. */
  private realign(from: number): void {
    this.expected = 0;
    const next = this.buffer.subarray(0, this.filled).indexOf(SOM, from);
    if (next < 0) {
      this.discarded += this.filled;
      this.filled = 0;
      return;
    }
    this.discarded += next;
    this.buffer.copyWithin(0, next, this.filled);
    this.filled -= next;
  }
}
