/**
 * The sequence number rules of the control byte, seen from the PD (SIA OSDP
 * v2.2 §5, message control; libosdp src/osdp_phy.c osdp_phy_check_packet):
 *
 * - 0 starts over: the ACU sends it first, and whenever it wants to resync.
 * - After that the ACU counts 1, 2, 3, 1, 2, 3 … — 0 is not reused.
 * - The same number again means the ACU did not get the reply: the PD sends
 *   its last reply again without acting on the command twice.
 * - Anything else (or a non-zero number before the first 0) is a sequence
 *   error, answered with NAK 0x04; the ACU then restarts at 0.
 *
 * Only commands that were answered move the tracker on; a NAK for a frame
 * that failed its check characters does not, so the ACU's resend still counts.
 */

export type SequenceVerdict = 'reset' | 'next' | 'repeat' | 'unexpected';

export function nextSequence(sequence: number): number {
  return sequence >= 3 ? 1 : sequence + 1;
}

export class SequenceTracker {
  private last: number | null = null;

  /** The last sequence number answered, or null before the first. */
  get lastAnswered(): number | null {
    return this.last;
  }

  classify(sequence: number): SequenceVerdict {
    if (sequence === 0) return 'reset';
    if (this.last === null) return 'unexpected';
    if (sequence === this.last) return 'repeat';
    return sequence === nextSequence(this.last) ? 'next' : 'unexpected';
  }

  /** Records that the command with this number was answered. */
  answered(sequence: number): void {
    this.last = sequence;
  }

  reset(): void {
    this.last = null;
  }
}
