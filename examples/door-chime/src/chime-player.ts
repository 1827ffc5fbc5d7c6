import { type Clock, PortierError, type RelayPort } from 'portier/sdk';
import type { Strike } from './chime-patterns.js';

/** One ring: the strikes of a pattern, played once or repeated for a time. */
export interface RingPlan {
  strikes: readonly Strike[];
  /** Silence before the pattern plays again (repeating rings only). */
  pauseMs: number;
  /** Repeat the pattern until this much time has passed; without it the pattern plays once. */
  repeatForMs?: number;
  /** Hard limit: the contact is open again by then, whatever the pattern. */
  limitMs: number;
  /** Wait this long before the first strike when cutting a running ring short (the contact's open gap). */
  restartGapMs: number;
}

/**
 * How a ring ended: played to its end, cut short by a newer ring, or cancelled
 * (its rule ended, the relay changed, the plugin stopped).
 */
export type RingEnd = 'completed' | 'restarted' | 'cancelled';

export interface RingOutcome {
  end: RingEnd;
  /** Strikes made (times the contact closed). */
  strikes: number;
  /** From the first close to the moment the contact opened for good. */
  durationMs: number;
}

interface Running {
  controller: AbortController;
}

/**
 * Plays rings on the chime's relay contact, timed by the injected clock (so
 * tests run on fake time). One ring at a time: a new ring while one plays
 * starts over — the running ring stops with the contact open, and after one
 * gap the new ring's first strike follows, so the chime hears two separate
 * strikes. (Queuing would keep the chime ringing long after the visitor
 * stopped pressing; starting over is what a second press of a bell push does.)
 */
export class ChimePlayer {
  private contact: RelayPort | undefined;
  private running: Running | undefined;

  constructor(private readonly clock: Clock) {}

  /** The relay the chime is wired to; `undefined` when none is held. A running ring is cancelled first. */
  connect(contact: RelayPort | undefined): void {
    this.silence();
    this.contact = contact;
  }

  get ringing(): boolean {
    return this.running !== undefined;
  }

  /** Stops a running ring now: the contact opens. */
  silence(): void {
    const running = this.running;
    this.running = undefined;
    this.contact?.set(false);
    running?.controller.abort('cancelled' satisfies RingEnd);
  }

  /**
   * Plays a ring and resolves when it ends (played out, restarted by a newer
   * ring, or cancelled through `signal` or `silence`). Never leaves the contact closed.
   */
  async ring(plan: RingPlan, signal?: AbortSignal): Promise<RingOutcome> {
    const contact = this.contact;
    if (contact === undefined) {
      throw new PortierError('CHIME_NO_RELAY', 'The door chime holds no relay; check its settings and that the relay is free.');
    }
    if (signal?.aborted) return this.outcome('cancelled', 0, undefined);
    const previous = this.running;
    const mine: Running = { controller: new AbortController() };
    this.running = mine;
    const stop = mine.controller.signal;
    const cancel = (): void => mine.controller.abort('cancelled' satisfies RingEnd);
    signal?.addEventListener('abort', cancel, { once: true });

    let strikes = 0;
    let started: number | undefined;
    try {
      if (previous !== undefined) {
        contact.set(false);
        previous.controller.abort('restarted' satisfies RingEnd);
        await this.clock.sleep(plan.restartGapMs, stop);
      }
      started = this.clock.now();
      const deadline = started + (plan.repeatForMs ?? plan.limitMs);
      const left = (): number => deadline - this.clock.now();
      const wait = async (ms: number): Promise<void> => {
        const capped = Math.min(ms, left());
        if (capped > 0) await this.clock.sleep(capped, stop);
      };
      for (;;) {
        for (const [i, strike] of plan.strikes.entries()) {
          if (left() <= 0) return this.outcome('completed', strikes, started);
          contact.set(true);
          strikes++;
          await wait(strike.closedMs);
          contact.set(false);
          const last = i === plan.strikes.length - 1;
          if (last && plan.repeatForMs === undefined) return this.outcome('completed', strikes, started);
          await wait(last ? plan.pauseMs : strike.openMs);
        }
      }
    } catch (error) {
      if (!stop.aborted) throw error;
      // Whoever aborted (silence, a newer ring) opened the contact already; an outside signal did not.
      if (this.running === mine && this.contact === contact) contact.set(false);
      return this.outcome(stop.reason as RingEnd, strikes, started);
    } finally {
      signal?.removeEventListener('abort', cancel);
      if (this.running === mine) this.running = undefined;
    }
  }

  private outcome(end: RingEnd, strikes: number, started: number | undefined): RingOutcome {
    return { end, strikes, durationMs: started === undefined ? 0 : this.clock.now() - started };
  }
}
