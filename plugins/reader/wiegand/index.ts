/**
 * The Wiegand codec of the reader plugin: card formats, keypress formats and
 * the D0/D1 pulse train, with no imports beyond this folder, so it can be
 * tested and benchmarked on its own. See each file for the bit layout and the
 * public references it follows.
 */
export { WIEGAND_ERROR_CODES, WiegandError, isWiegandError } from './wiegand-error.js';
export type { DecodeResult, WiegandErrorCode, WiegandErrorDetail } from './wiegand-error.js';

export { bitsFromString, bitsToString } from './bit-frame.js';
export type { BitFrame } from './bit-frame.js';

export type { CardFormat } from './card-format.js';
export type { FacilityCard, FacilityCardFormat } from './facility-card-format.js';
export type { CsnCredential, CsnFormat } from './csn.js';
export { h10301 } from './h10301.js';
export { h10306, facilityCardFromNumber32, number32FromFacilityCard } from './h10306.js';
export { h10304 } from './h10304.js';
export { csn32, csn56 } from './csn.js';
export { CARD_FORMAT_NAMES, cardFormats, getCardFormat, isCardFormatName } from './card-format-registry.js';
export type { AnyCardFormat, CardFormatName } from './card-format-registry.js';

export { KEYPAD_KEYS } from './keypad-key.js';
export type { KeypadKey } from './keypad-key.js';
export type { AnyKeypressFormat, DecodedPin, KeyFormat, PinFormat, PinFormatOptions } from './keypress-format.js';
export { fourBit } from './four-bit-keypress.js';
export { eightBit } from './eight-bit-keypress.js';
export { pin26Bit } from './pin-26-bit.js';
export { KEYPRESS_FORMAT_NAMES, getKeypressFormat, isKeypressFormatName, keypressFormats } from './keypress-format-registry.js';
export type { KeypressFormatName } from './keypress-format-registry.js';

export {
  DEFAULT_PULSE_TIMING,
  FRAME_GAP_FACTOR,
  FRAME_SPACING_FACTOR,
  PULSE_TIMING_LIMITS,
  resolvePulseTiming,
} from './pulse-timing.js';
export type { PulseTiming } from './pulse-timing.js';
export { emitPulses, framesToPulseTrain, toPulseTrain } from './pulse-encoder.js';
export type { DataLine, FrameSpacing, Pulse, PulseSink } from './pulse-encoder.js';
export { DEFAULT_MIN_PULSE_WIDTH_MICROS, WiegandReceiver, decodePulseTrain } from './pulse-receiver.js';
export type { ReceivedFrame, ReceiverOptions, ReceiverProblem, ReceiverProblemCode } from './pulse-receiver.js';
