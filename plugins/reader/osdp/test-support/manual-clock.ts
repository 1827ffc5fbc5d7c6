/** A clock the test moves by hand, for the PD's inter-character and offline timeouts. */
export class ManualClock {
  constructor(private time = 1_000_000) {}

  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}
