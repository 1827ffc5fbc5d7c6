/**
 * The one error type of the Wiegand codec. It carries a stable `code` (for
 * programs, tests and documentation) and a message that names the field and
 * the allowed range. Its shape (`code`, `message`, `details`, `toJSON`) is the
 * shape of the SDK's `PortierError`, so the reader plugin can pass it on as is,
 * yet this codec imports nothing from the SDK and stays usable on its own.
 */
export const WIEGAND_ERROR_CODES = [
  /** A number (facility code, card number, PIN, pulse timing) does not fit the field. */
  'WIEGAND_VALUE_OUT_OF_RANGE',
  /** A value has the wrong form (a UID that is not hexadecimal). */
  'WIEGAND_INVALID_VALUE',
  /** A keypad key other than 0–9, * and #, or a 4-bit key code 12–15. */
  'WIEGAND_INVALID_KEY',
  /** A frame to decode has a different number of bits than the format. */
  'WIEGAND_FRAME_LENGTH',
  /** A frame holds something other than 0 and 1. */
  'WIEGAND_INVALID_FRAME',
  /** A parity bit does not match the bits it covers. */
  'WIEGAND_PARITY',
  /** An EightBit keypress whose high nibble is not the complement of its low nibble. */
  'WIEGAND_COMPLEMENT',
  /** A format name that is not in the registry. */
  'WIEGAND_UNKNOWN_FORMAT',
] as const;

export type WiegandErrorCode = (typeof WIEGAND_ERROR_CODES)[number];

export interface WiegandErrorDetail {
  /** The field the problem is in (`facilityCode`, `pulseWidthMicros`, `frame`). */
  path: string;
  message: string;
}

export class WiegandError extends Error {
  readonly code: WiegandErrorCode;
  readonly details: readonly WiegandErrorDetail[];

  constructor(code: WiegandErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'WiegandError';
    this.code = code;
    this.details = field === undefined ? [] : [{ path: field, message }];
  }

  toJSON(): { code: WiegandErrorCode; message: string; details: readonly WiegandErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isWiegandError(error: unknown): error is WiegandError {
  return error instanceof WiegandError;
}

/**
 * Checks that `value` is an integer in [min, max] and throws the stable
 * out-of-range error otherwise. `where` is the format or setting the field
 * belongs to, so the message reads "h10301: facilityCode must be …".
 */
export function requireIntegerInRange(where: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new WiegandError(
    'WIEGAND_VALUE_OUT_OF_RANGE',
    `${where}: ${field} must be an integer from ${min} to ${max}, got ${describeValue(value)}`,
    field,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return typeof value;
}

/** What `tryDecode` answers: a value, or the error `decode` would have thrown. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: WiegandError };

/**
 * Runs a decoder and turns its WiegandError into a result, so a receiver can
 * report a bad frame (parity, length) and carry on. Any other exception is a
 * bug in the codec and is not swallowed.
 */
export function tryDecodeWith<T>(decode: (frame: ArrayLike<number>) => T, frame: ArrayLike<number>): DecodeResult<T> {
  try {
    return { ok: true, value: decode(frame) };
  } catch (error) {
    if (error instanceof WiegandError) return { ok: false, error };
    throw error;
  }
}
