import type { Clock, TimerHandle } from 'portier/sdk';

export interface MatchableSequence {
  id: string;
  /** Upper-case keys: 0-9, *, #, A-D. */
  sequence: string;
}

/**
 * Turns the keys of one call into the configured sequences (the manual's
 * "9" → "Show map"). A sequence fires as soon as it is typed, unless a longer
 * one starts with it — then it fires when the inter-digit timeout passes
 * with nothing more typed. Keys further apart than the timeout start over.
 */
export class DtmfSequenceMatcher {
  private typed = '';
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly sequences: () => readonly MatchableSequence[],
    private readonly interDigitTimeoutMs: () => number,
    private readonly matched: (sequence: MatchableSequence) => void,
  ) {}

  key(key: string): void {
    this.clearTimer();
    this.typed += key.toUpperCase();
    const all = this.sequences();
    const exact = all.find((s) => s.sequence === this.typed);
    const longer = all.some((s) => s.sequence.length > this.typed.length && s.sequence.startsWith(this.typed));
    if (exact !== undefined && !longer) return this.fire(exact);
    if (!longer && exact === undefined) {
      // A wrong key: the keys typed since may still be the start of a sequence.
      while (this.typed !== '' && !all.some((s) => s.sequence.startsWith(this.typed))) this.typed = this.typed.slice(1);
      const restart = all.find((s) => s.sequence === this.typed);
      if (restart !== undefined && !all.some((s) => s.sequence.length > this.typed.length && s.sequence.startsWith(this.typed))) return this.fire(restart);
    }
    if (this.typed !== '') this.timer = this.clock.setTimeout(() => this.timedOut(), this.interDigitTimeoutMs());
  }

  close(): void {
    this.clearTimer();
    this.typed = '';
  }

  private timedOut(): void {
    this.timer = undefined;
    const exact = this.sequences().find((s) => s.sequence === this.typed);
    this.typed = '';
    if (exact !== undefined) this.matched(exact);
  }

  private fire(sequence: MatchableSequence): void {
    this.typed = '';
    this.matched(sequence);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
