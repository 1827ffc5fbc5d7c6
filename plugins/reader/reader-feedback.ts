import type { Clock, LedColor, ReaderBeep, RfidReaderPort, StatefulEvent, TimerHandle } from 'portier/sdk';
import type { FeedbackSettings } from './reader-settings.js';

export type LedEvent = StatefulEvent<{ reader: string; color: LedColor }>;

/**
 * The reader's own LED and beeper, whoever asks: a rule's action, an access
 * decision (`CredentialsService.signal`), a Wiegand controller's LED/beeper
 * lines, an OSDP controller's LED/BUZ commands. One place, so the `led`
 * event (and the condition on it) always says what the LED shows, and a
 * temporary colour goes back to the colour it interrupted, not to a guess.
 */
export class ReaderFeedback {
  /** The colour the LED rests at when nothing temporary is showing. */
  private resting: LedColor;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly reader: RfidReaderPort,
    private readonly clock: Clock,
    private readonly ledEvent: LedEvent,
    idle: LedColor,
  ) {
    this.resting = idle;
    this.show(idle);
  }

  get color(): LedColor {
    return this.reader.feedbackState.led;
  }

  /** A colour that stays (a controller's LED line, an OSDP permanent state). */
  setResting(color: LedColor): void {
    this.resting = color;
    if (this.timer === undefined) this.show(color);
  }

  /** A colour for `ms`, then back to the resting colour; a later one replaces an earlier one. */
  showFor(color: LedColor, ms: number): void {
    this.cancelTimer();
    this.show(color);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.show(this.resting);
    }, ms);
  }

  /** Ends a temporary colour now (an OSDP controller's "cancel temporary state"). */
  cancelTemporary(): void {
    if (this.timer === undefined) return;
    this.cancelTimer();
    this.show(this.resting);
  }

  beep(beep: ReaderBeep | 'none'): void {
    if (beep !== 'none') this.reader.feedback({ beep });
  }

  /** An access decision, as the feedback settings say (granted: green and a short beep by default). */
  signal(decision: 'granted' | 'denied', settings: FeedbackSettings): void {
    const answer = settings[decision];
    this.showFor(answer.led, settings.holdMs);
    this.beep(answer.beep);
  }

  close(): void {
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private show(color: LedColor): void {
    this.reader.feedback({ led: color });
    this.ledEvent.set({ reader: this.reader.id, color });
  }
}
