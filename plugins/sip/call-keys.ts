import type { Clock } from 'portier/sdk';
import type { Call } from './call.js';
import { DtmfSequenceMatcher, type MatchableSequence } from './dtmf-sequence-matcher.js';
import type { DtmfSequenceSettings, SipSettings } from './sip-settings.js';

/** The DTMF keys each call's other side types, turned into the configured sequences of that call's account. */
export class CallKeys {
  private readonly matchers = new Map<string, DtmfSequenceMatcher>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => SipSettings,
    private readonly matched: (sequence: DtmfSequenceSettings, call: Call) => void,
  ) {}

  key(call: Call, key: string): void {
    let matcher = this.matchers.get(call.id);
    if (matcher === undefined) {
      const sequences = (): (DtmfSequenceSettings & MatchableSequence)[] =>
        this.settings()
          .dtmf.sequences.filter((s) => s.account === 'any' || s.account === call.account)
          .map((s) => ({ ...s, sequence: s.sequence.toUpperCase() }));
      matcher = new DtmfSequenceMatcher(this.clock, sequences, () => this.settings().dtmf.interDigitTimeoutMs, (sequence) =>
        this.matched(sequence as DtmfSequenceSettings, call),
      );
      this.matchers.set(call.id, matcher);
    }
    matcher.key(key);
  }

  forget(call: Call): void {
    this.matchers.get(call.id)?.close();
    this.matchers.delete(call.id);
  }

  close(): void {
    for (const matcher of this.matchers.values()) matcher.close();
    this.matchers.clear();
  }
}
