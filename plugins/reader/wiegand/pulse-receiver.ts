import type { DataLine, Pulse } from './pulse-encoder.js';
import { DEFAULT_PULSE_TIMING, FRAME_GAP_FACTOR } from './pulse-timing.js';
import { requireIntegerInRange } from './wiegand-error.js';

/**
 * The controller side of the wire: turns D0/D1 pulses back into bit frames.
 * The simulated connector's tests decode what the reader sent with it, and a
 * real input driver can feed it edge by edge.
 *
 * How it reads a train, and why:
 * - A pulse on D0 is a 0, on D1 a 1 (idle high, active low).
 * - Pulses shorter than `minPulseWidthMicros` are glitches (noise, contact
 *   bounce) and are ignored — they neither add a bit nor restart the gap
 *   timer. The default, 10 µs, is half the interface's 20 µs minimum width, so
 *   a real pulse measured a little short still counts.
 * - A frame ends when the lines stay idle longer than `frameGapMicros`
 *   (default 20 × the pulse interval: 40 ms at 2 ms). Wiegand has no start or
 *   stop marker; silence is the only frame boundary.
 * - A pulse that starts while the previous one is still low (both lines low
 *   at once, which the interface never does) is not a bit: it is dropped and
 *   reported on the frame as WIEGAND_OVERLAPPING_PULSES.
 * The receiver never checks parity — it does not know the format. Hand
 * `frame.bits` to a format's `tryDecode`: a missing bit shows up there as
 * WIEGAND_FRAME_LENGTH, a bit on the wrong line as WIEGAND_PARITY; neither
 * throws out of the receiver.
 */
export interface ReceiverOptions {
  /** The sender's pulse interval, used for the default frame gap. Default 2000. */
  pulseIntervalMicros?: number;
  /** Idle time that ends a frame. Default FRAME_GAP_FACTOR × pulseIntervalMicros. */
  frameGapMicros?: number;
  /** Pulses shorter than this are glitches. Default 10. */
  minPulseWidthMicros?: number;
  /** Bits kept per frame; the rest are dropped and reported. Default 256. */
  maxFrameBits?: number;
}

export type ReceiverProblemCode =
  | 'WIEGAND_OVERLAPPING_PULSES'
  | 'WIEGAND_PULSE_OUT_OF_ORDER'
  | 'WIEGAND_INVALID_PULSE'
  | 'WIEGAND_FRAME_TOO_LONG';

export interface ReceiverProblem {
  code: ReceiverProblemCode;
  atMicros: number;
  message: string;
}

export interface ReceivedFrame {
  /** The bits in arrival order, ready for a format's `decode`/`tryDecode`. */
  bits: Uint8Array;
  /** When the first bit's pulse started. */
  startMicros: number;
  /** When the last bit's pulse ended. */
  endMicros: number;
  /** Pulses ignored as too short while this frame was being received (or just before it). */
  glitches: number;
  /** What was wrong on the wire; empty for a clean frame. */
  problems: readonly ReceiverProblem[];
}

export const DEFAULT_MIN_PULSE_WIDTH_MICROS = 10;
const DEFAULT_MAX_FRAME_BITS = 256;

export class WiegandReceiver {
  private readonly frameGapMicros: number;
  private readonly minPulseWidthMicros: number;
  private readonly buffer: Uint8Array;
  private length = 0;
  private startMicros = 0;
  private lastStartMicros = Number.NEGATIVE_INFINITY;
  private lastEndMicros = Number.NEGATIVE_INFINITY;
  private glitches = 0;
  private problems: ReceiverProblem[] = [];
  private overflowReported = false;
  /** Glitches seen over the receiver's life, including those outside any frame. */
  totalGlitches = 0;

  constructor(options: ReceiverOptions = {}) {
    const interval = requireIntegerInRange(
      'wiegand receiver', 'pulseIntervalMicros', options.pulseIntervalMicros ?? DEFAULT_PULSE_TIMING.pulseIntervalMicros, 1, 60_000_000,
    );
    this.frameGapMicros = requireIntegerInRange(
      'wiegand receiver', 'frameGapMicros', options.frameGapMicros ?? FRAME_GAP_FACTOR * interval, 1, 600_000_000,
    );
    this.minPulseWidthMicros = requireIntegerInRange(
      'wiegand receiver', 'minPulseWidthMicros', options.minPulseWidthMicros ?? DEFAULT_MIN_PULSE_WIDTH_MICROS, 0, 1_000_000,
    );
    this.buffer = new Uint8Array(
      requireIntegerInRange('wiegand receiver', 'maxFrameBits', options.maxFrameBits ?? DEFAULT_MAX_FRAME_BITS, 1, 65_536),
    );
  }

  /**
   * Takes one pulse, in time order. Returns the previous frame when this
   * pulse (even a glitch) comes after a frame gap, otherwise undefined. An arrow property, so it can be passed as a PulseSink.
   */
  readonly push = (line: DataLine, atMicros: number, widthMicros: number): ReceivedFrame | undefined => {
    if ((line !== 'D0' && line !== 'D1') || !Number.isFinite(atMicros) || !Number.isFinite(widthMicros) || widthMicros < 0) {
      this.report('WIEGAND_INVALID_PULSE', atMicros, `ignored a pulse that is not {line: D0|D1, atMicros, widthMicros ≥ 0}`);
      return undefined;
    }
    // The gap is checked first, glitch or not: a glitch after a frame gap
    // already proves the frame is over, and it belongs to what comes next.
    let completed: ReceivedFrame | undefined;
    if (this.length > 0 && atMicros - this.lastEndMicros > this.frameGapMicros) completed = this.complete();
    if (widthMicros < this.minPulseWidthMicros) {
      this.glitches++;
      this.totalGlitches++;
      return completed;
    }
    if (atMicros < this.lastStartMicros) {
      this.report('WIEGAND_PULSE_OUT_OF_ORDER', atMicros, `ignored a ${line} pulse at ${atMicros} µs that arrived after one at ${this.lastStartMicros} µs`);
      return completed;
    }
    if (atMicros < this.lastEndMicros) {
      this.report(
        'WIEGAND_OVERLAPPING_PULSES',
        atMicros,
        `ignored a ${line} pulse at ${atMicros} µs that starts before the previous pulse ends (${this.lastEndMicros} µs): both lines low is no bit`,
      );
      return completed;
    }
    if (this.length === 0) this.startMicros = atMicros;
    this.lastStartMicros = atMicros;
    this.lastEndMicros = atMicros + widthMicros;
    if (this.length < this.buffer.length) {
      this.buffer[this.length++] = line === 'D1' ? 1 : 0;
    } else if (!this.overflowReported) {
      this.overflowReported = true;
      this.report('WIEGAND_FRAME_TOO_LONG', atMicros, `a frame longer than ${this.buffer.length} bits: the rest is dropped`);
    }
    return completed;
  };

  /**
   * For a live input: the frame in progress, if the lines have been idle
   * longer than the frame gap at `nowMicros`; otherwise undefined.
   */
  idle(nowMicros: number): ReceivedFrame | undefined {
    if (this.length > 0 && nowMicros - this.lastEndMicros > this.frameGapMicros) return this.complete();
    return undefined;
  }

  /** The end of a recording: the frame in progress, whatever the time. */
  flush(): ReceivedFrame | undefined {
    return this.length > 0 ? this.complete() : undefined;
  }

  private report(code: ReceiverProblemCode, atMicros: number, message: string): void {
    this.problems.push({ code, atMicros, message });
  }

  private complete(): ReceivedFrame {
    const frame: ReceivedFrame = {
      bits: this.buffer.slice(0, this.length),
      startMicros: this.startMicros,
      endMicros: this.lastEndMicros,
      glitches: this.glitches,
      problems: this.problems,
    };
    this.length = 0;
    this.glitches = 0;
    this.problems = [];
    this.overflowReported = false;
    return frame;
  }
}

/**
 * All frames of a recorded pulse train. A recording is sorted by time first
 * (a copy; recordings from two line monitors may interleave), so only a
 * genuinely overlapping pulse is reported.
 */
export function decodePulseTrain(pulses: readonly Pulse[], options: ReceiverOptions = {}): ReceivedFrame[] {
  const receiver = new WiegandReceiver(options);
  const ordered = isSorted(pulses) ? pulses : [...pulses].sort((a, b) => a.atMicros - b.atMicros);
  const frames: ReceivedFrame[] = [];
  for (const pulse of ordered) {
    const frame = receiver.push(pulse.line, pulse.atMicros, pulse.widthMicros);
    if (frame) frames.push(frame);
  }
  const last = receiver.flush();
  if (last) frames.push(last);
  return frames;
}

function isSorted(pulses: readonly Pulse[]): boolean {
  for (let i = 1; i < pulses.length; i++) if ((pulses[i] as Pulse).atMicros < (pulses[i - 1] as Pulse).atMicros) return false;
  return true;
}
