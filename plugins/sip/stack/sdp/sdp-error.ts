/**
 * The error the SDP layer throws. A caller turns SDP_NO_COMMON_CODEC into a
 * 488 Not Acceptable Here (RFC 3261 §13.3.1.1, RFC 3264 §6) and
 * SDP_MALFORMED into a 400 or 488, as the dialog state requires.
 */
import { PortierError } from 'portier/sdk';

export type SdpErrorCode =
  /** The text breaks RFC 4566 (a line without `x=`, a bad o=, c=, m= line, no v=0 first). */
  | 'SDP_MALFORMED'
  /** The offer has no audio stream this side can take: no PCMU or PCMA, or only secure or unknown profiles. */
  | 'SDP_NO_COMMON_CODEC'
  /** An answer that does not fit the offer it answers (RFC 3264 §6: same number of m-lines, formats from the offer). */
  | 'SDP_ANSWER_MISMATCH';

export class SdpError extends PortierError {
  declare readonly code: SdpErrorCode;

  constructor(code: SdpErrorCode, message: string) {
    super(code, message);
    this.name = 'SdpError';
  }
}
