/**
 * Counts lost packets of one RTP source from its sequence numbers, as
 * RFC 3550 Appendix A.1/A.3 does: expected = highest extended sequence −
 * first + 1, lost = expected − received. A jump of more than MAX_DROPOUT is
 * taken as a restarted sender, not 3000 lost packets. A late (reordered)
 * packet fills its gap; a copy of the newest packet is ignored, though a
 * copy of an older one cannot be told from a late packet and counts.
 */
const MAX_DROPOUT = 3000;
const SEQ_MOD = 0x10000;

export class RtpLossCounter {
  private ssrc: number | null = null;
  private base = 0;
  private highest = 0;
  private received = 0;
  /** Packets lost by earlier sources (the counter restarts on a new SSRC). */
  private lostBefore = 0;

  /** Records one packet. */
  record(ssrc: number, sequenceNumber: number): void {
    if (this.ssrc !== ssrc) {
      this.lostBefore = this.lost;
      this.restart(ssrc, sequenceNumber);
      return;
    }
    const delta = (sequenceNumber - (this.highest % SEQ_MOD) + SEQ_MOD) % SEQ_MOD;
    if (delta === 0) {
      // A duplicate of the newest packet: it fills no gap.
    } else if (delta < MAX_DROPOUT) {
      this.highest += delta;
      this.received++;
    } else if (delta > SEQ_MOD - MAX_DROPOUT) {
      // Late or reordered: it was counted lost when the gap was seen.
      this.received++;
    } else {
      this.lostBefore = this.lost;
      this.restart(ssrc, sequenceNumber);
    }
  }

  /** Packets missing so far (never below 0). */
  get lost(): number {
    if (this.ssrc === null) return this.lostBefore;
    return this.lostBefore + Math.max(0, this.highest - this.base + 1 - this.received);
  }

  private restart(ssrc: number, sequenceNumber: number): void {
    this.ssrc = ssrc;
    this.base = sequenceNumber;
    this.highest = sequenceNumber;
    this.received = 1;
  }
}
