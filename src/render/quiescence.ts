/**
 * `wait { min, max }` (spec §4.4): a burst of data changes produces one render. The first change
 * arms a timer of `min` and fixes a deadline `max` later; every further change re-arms the timer
 * to `min`, but never past the deadline. When it fires the burst is over (or has lasted `max`),
 * `fire` runs and the next change starts a new window. `max` 0 means 4×min, as in Consul Template.
 */
import type { Clock, Timer } from "../clock/clock.ts";

export interface WaitWindow {
  min: number; // ms
  max: number; // ms
}

export class Quiescence {
  private timer?: Timer;
  private deadline?: number;
  private readonly min: number;
  private readonly max: number;

  constructor(
    private readonly clock: Clock,
    wait: WaitWindow,
    private readonly fire: () => void,
  ) {
    this.min = Math.max(0, wait.min);
    this.max = Math.max(this.min, wait.max > 0 ? wait.max : 4 * this.min);
  }

  /** A change arrived: (re)arm the timer within the window. */
  change(): void {
    const now = this.clock.now();
    if (this.deadline === undefined) this.deadline = now + this.max;
    this.timer?.cancel();
    const due = Math.min(now + this.min, this.deadline);
    this.timer = this.clock.setTimer(due - now, () => {
      this.timer = undefined;
      this.deadline = undefined;
      this.fire();
    });
  }

  /** True while a change waits for the window to close. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Drops a waiting change (shutdown, engine restart). */
  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.deadline = undefined;
  }
}
