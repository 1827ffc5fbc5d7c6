import { type DecodeResult, tryDecodeWith } from './wiegand-error.js';
import type { KeypadKey } from './keypad-key.js';
import type { FacilityCard } from './facility-card-format.js';

/**
 * Keypad output comes in two shapes, and the plugin drives them differently,
 * so the type says which one a format is (`sends`):
 *
 * - `each-key` (FourBit, EightBit): every key press goes out at once as its
 *   own short frame; the controller assembles the PIN.
 * - `whole-pin` (26-bit PIN): the reader collects the digits and sends the
 *   PIN as one card-like frame when # is pressed or entry times out; the
 *   collecting is the plugin's job (it owns the clock), the codec encodes the
 *   finished PIN string.
 */
export interface KeyFormat {
  readonly name: 'fourbit' | 'eightbit';
  readonly label: string;
  readonly sends: 'each-key';
  readonly bitLength: number;
  encodeKey(key: string): Uint8Array;
  encodeKeyInto(key: string, out: Uint8Array, offset?: number): number;
  /** One frame per key, in order: what the connector sends for "1234#". */
  encodeKeys(keys: string): Uint8Array[];
  decodeKey(frame: ArrayLike<number>): KeypadKey;
  tryDecodeKey(frame: ArrayLike<number>): DecodeResult<KeypadKey>;
}

/**
 * A per-key format from its two parts (writing one key into a frame, reading
 * one back); the rest of the `KeyFormat` interface is the same for every
 * per-key format.
 */
export function eachKeyFormat(spec: {
  name: KeyFormat['name'];
  label: string;
  bitLength: number;
  encodeKeyInto: KeyFormat['encodeKeyInto'];
  decodeKey: KeyFormat['decodeKey'];
}): KeyFormat {
  const encodeKey = (key: string): Uint8Array => {
    const out = new Uint8Array(spec.bitLength);
    spec.encodeKeyInto(key, out, 0);
    return out;
  };
  return {
    name: spec.name,
    label: spec.label,
    sends: 'each-key',
    bitLength: spec.bitLength,
    encodeKey,
    encodeKeyInto: spec.encodeKeyInto,
    encodeKeys: (keys) => Array.from(keys, encodeKey),
    decodeKey: spec.decodeKey,
    tryDecodeKey: (frame) => tryDecodeWith(spec.decodeKey, frame),
  };
}

export interface DecodedPin {
  /** The PIN as a decimal number without leading zeros ("0123" was sent as 123). */
  pin: string;
  facilityCode: number;
}

export interface PinFormatOptions {
  /** The facility code field of the frame; 0 unless the controller expects another. */
  facilityCode?: number;
}

export interface PinFormat {
  readonly name: '26-bit-pin';
  readonly label: string;
  readonly sends: 'whole-pin';
  readonly bitLength: number;
  /** The PIN as typed, digits only (without the terminating #). */
  encodePin(pin: string, options?: PinFormatOptions): Uint8Array;
  encodePinInto(pin: string, out: Uint8Array, offset?: number, options?: PinFormatOptions): number;
  decodePin(frame: ArrayLike<number>): DecodedPin;
  tryDecodePin(frame: ArrayLike<number>): DecodeResult<DecodedPin>;
  /** The PIN as the H10301 credential it travels as. */
  pinCredential(pin: string, options?: PinFormatOptions): FacilityCard;
}

export type AnyKeypressFormat = KeyFormat | PinFormat;
