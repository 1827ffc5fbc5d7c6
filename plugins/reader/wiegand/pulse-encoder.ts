import { FRAME_SPACING_FACTOR, resolvePulseTiming, type PulseTiming } from './pulse-timing.js';
import { WiegandError, requireIntegerInRange } from './wiegand-error.js';

export type DataLine = 'D0' | 'D1';

/**
 * One low pulse on a data line: a 0 bit on D0, a 1 bit on D1. `atMicros` is
 * when the line goes low, counted from the start of the recording (the first
 * frame's first bit is at 0); `widthMicros` how long it stays low.
 */
export interface Pulse {
  line: DataLine;
  atMicros: number;
  widthMicros: number;
}

/**
 * Where pulses go when no array of objects is wanted — a GPIO driver that
 * toggles lines, or a recorder with its own storage. Called once per bit, in
 * order.
 */
export type PulseSink = (line: DataLine, atMicros: number, widthMicros: number) => void;

/**
 * Emits a frame's pulses to `sink`: bit i goes low at startMicros + i × interval.
 * Returns the time the last pulse ends, so a caller can place the next frame.
 * Allocates nothing; `timing` is taken as already resolved (see
 * resolvePulseTiming) so a hot loop does not re-check it per frame.
 */
export function emitPulses(frame: ArrayLike<number>, timing: PulseTiming, startMicros: number, sink: PulseSink): number {
  const { pulseWidthMicros: width, pulseIntervalMicros: interval } = timing;
  const length = frame.length;
  for (let i = 0; i < length; i++) {
    const bit = frame[i];
    if (bit !== 0 && bit !== 1) {
      throw new WiegandError('WIEGAND_INVALID_FRAME', `pulse train: bit ${i + 1} must be 0 or 1, got ${String(bit)}`, 'frame');
    }
    sink(bit === 1 ? 'D1' : 'D0', startMicros + i * interval, width);
  }
  return length === 0 ? startMicros : startMicros + (length - 1) * interval + width;
}

/**
 * A frame as the list of its pulses, first bit at `startMicros` (default 0).
 * The timing defaults to 50 µs pulses every 2 ms and is checked against the
 * limits. Pushes into `out` when given (to append several frames to one
 * recording without copying).
 */
export function toPulseTrain(
  frame: ArrayLike<number>,
  timing: Partial<PulseTiming> = {},
  startMicros = 0,
  out: Pulse[] = [],
): Pulse[] {
  const resolved = resolvePulseTiming(timing);
  emitPulses(frame, resolved, startMicros, (line, atMicros, widthMicros) => {
    out.push({ line, atMicros, widthMicros });
  });
  return out;
}

export interface FrameSpacing {
  /**
   * Idle time between the end of one frame's last pulse and the next frame's
   * first pulse; default FRAME_SPACING_FACTOR × the pulse interval (50 ms at
   * 2 ms), more than a receiver's frame gap.
   */
  frameGapMicros?: number;
}

/**
 * Several frames (the keys of "1234#", or two cards) as one recording, each
 * frame separated from the next by an idle gap, as the connector sends them.
 */
export function framesToPulseTrain(
  frames: readonly ArrayLike<number>[],
  timing: Partial<PulseTiming> = {},
  spacing: FrameSpacing = {},
): Pulse[] {
  const resolved = resolvePulseTiming(timing);
  const gap = requireIntegerInRange(
    'wiegand timing',
    'frameGapMicros',
    spacing.frameGapMicros ?? FRAME_SPACING_FACTOR * resolved.pulseIntervalMicros,
    resolved.pulseIntervalMicros,
    60_000_000,
  );
  const out: Pulse[] = [];
  const sink: PulseSink = (line, atMicros, widthMicros) => {
    out.push({ line, atMicros, widthMicros });
  };
  let at = 0;
  for (const frame of frames) {
    if (frame.length === 0) continue;
    at = emitPulses(frame, resolved, at, sink) + gap;
  }
  return out;
}
