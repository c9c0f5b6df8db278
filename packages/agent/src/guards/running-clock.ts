/**
 * Measures a task's running time in laps, each added to the task's stored total when it is taken. While a
 * person has control (the loop waits) the clock is paused: that time is theirs, not the model's.
 */
export class RunningClock {
  private since: number;
  private banked = 0;
  private paused = false;

  constructor(private readonly now: () => number = Date.now) {
    this.since = now();
  }

  pause(): void {
    if (this.paused) return;
    this.banked += this.now() - this.since;
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.since = this.now();
    this.paused = false;
  }

  /** Milliseconds run since the last lap (or the start), paused time left out; the next lap starts now. */
  lap(): number {
    const now = this.now();
    const spent = this.banked + (this.paused ? 0 : now - this.since);
    this.banked = 0;
    this.since = now;
    return Math.max(0, Math.round(spent));
  }
}
