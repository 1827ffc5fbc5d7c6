import type { DecodeResult } from './wiegand-error.js';

/**
 * What every Wiegand card format offers the reader plugin: a fixed frame
 * length, an encoder that allocates the output frame and nothing else, an
 * allocation-free `encodeInto` for hot loops (the `access.wiegand_frames_per_s`
 * benchmark), and a decoder that checks length and parity — the simulated
 * connector's tests and a controller written in a test decode with it.
 */
export interface CardFormat<TCredential> {
  /** The registry name settings use (`h10301`, `34-bit`, …). */
  readonly name: string;
  /** What the web interface shows. */
  readonly label: string;
  readonly bitLength: number;
  /** Refuses a credential that does not fit with WIEGAND_VALUE_OUT_OF_RANGE / WIEGAND_INVALID_VALUE. */
  encode(credential: TCredential): Uint8Array;
  /** Writes the frame at `out[offset ..]` and returns the offset after it. */
  encodeInto(credential: TCredential, out: Uint8Array, offset?: number): number;
  /** Throws WIEGAND_FRAME_LENGTH, WIEGAND_INVALID_FRAME or WIEGAND_PARITY. */
  decode(frame: ArrayLike<number>): TCredential;
  /** `decode` without throwing: for receivers that report a bad frame and carry on. */
  tryDecode(frame: ArrayLike<number>): DecodeResult<TCredential>;
}
