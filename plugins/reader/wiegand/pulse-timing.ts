import { WiegandError, requireIntegerInRange } from './wiegand-error.js';

/**
 * The timing of a Wiegand pulse train, in whole microseconds.
 *
 * The usual Wiegand interface: both data lines idle high; a 0 bit pulls D0
 * low for the pulse width Tpw, a 1 bit pulls D1 low; consecutive bits are
 * one pulse interval Tpi apart (start to start). The specification allows
 * Tpw 20–100 µs and Tpi 200 µs–20 ms; readers commonly use 50 µs and 2 ms.
 * This codec allows pulse widths up to 200 µs, because some controllers are
 * configured with longer pulses (and the reader plugin's setting allows it).
 *
 * Sources: Promag WEC200 manual, appendix B "Wiegand Specification": "Tpw
 * Pulse Width Time — 20 µSec (minimum) to 100 µSec (maximum); Tpi Pulse
 * Interval Time — 200 µSec (minimum) to 20 mSec (maximum)"
 * (https://manualshive.com/ru/manual/promag/wec200/1615817?page=17); RF
 * Solutions MFPROT datasheet: "low going 50 µS pulses … separated by 2mS
 * periods" (https://pdf.ic37.com/RFSOLUTIONS/MFPROT-LP_datasheet_13057614/MFPROT-LP_23.html).
 */
export interface PulseTiming {
  pulseWidthMicros: number;
  pulseIntervalMicros: number;
}

export const DEFAULT_PULSE_TIMING: Readonly<PulseTiming> = Object.freeze({ pulseWidthMicros: 50, pulseIntervalMicros: 2000 });

export const PULSE_TIMING_LIMITS = Object.freeze({
  pulseWidthMicros: Object.freeze({ min: 20, max: 200 }),
  pulseIntervalMicros: Object.freeze({ min: 200, max: 20_000 }),
});

/**
 * Frames (one card, one key) are told apart by silence: a receiver ends a
 * frame when the lines stay idle longer than FRAME_GAP_FACTOR intervals
 * (40 ms at the default 2 ms). The encoder leaves FRAME_SPACING_FACTOR
 * intervals between frames (50 ms), comfortably above that.
 */
export const FRAME_GAP_FACTOR = 20;
export const FRAME_SPACING_FACTOR = 25;

/**
 * The timing to use: the defaults, overridden by what is given, checked
 * against the limits (WIEGAND_VALUE_OUT_OF_RANGE naming the setting). The
 * width must also be shorter than the interval, or the line would never
 * return high between two bits and the receiver could not count them.
 */
export function resolvePulseTiming(timing: Partial<PulseTiming> = {}): PulseTiming {
  const { pulseWidthMicros: width, pulseIntervalMicros: interval } = PULSE_TIMING_LIMITS;
  const pulseWidthMicros = requireIntegerInRange(
    'wiegand timing', 'pulseWidthMicros', timing.pulseWidthMicros ?? DEFAULT_PULSE_TIMING.pulseWidthMicros, width.min, width.max,
  );
  const pulseIntervalMicros = requireIntegerInRange(
    'wiegand timing', 'pulseIntervalMicros', timing.pulseIntervalMicros ?? DEFAULT_PULSE_TIMING.pulseIntervalMicros, interval.min, interval.max,
  );
  if (pulseWidthMicros >= pulseIntervalMicros) {
    throw new WiegandError(
      'WIEGAND_VALUE_OUT_OF_RANGE',
      `wiegand timing: pulseWidthMicros must be shorter than pulseIntervalMicros (${pulseIntervalMicros}), got ${pulseWidthMicros}`,
      'pulseWidthMicros',
    );
  }
  return { pulseWidthMicros, pulseIntervalMicros };
}
