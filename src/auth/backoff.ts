/**
 * Auth retry backoff as newer Vault does it: start at min_backoff (default 1s), double up to
 * max_backoff (default 5m), each wait reduced by a random 0–25 %; reset after a success.
 */
export class Backoff {
  private current: number;
  constructor(
    readonly min: number,
    readonly max: number,
    private readonly random: () => number = Math.random,
  ) {
    if (min > max) throw new Error("auth handler: min_backoff cannot be greater than max_backoff");
    this.current = min;
  }

  /** The next wait in ms. */
  next(): number {
    const d = this.current;
    this.current = Math.min(this.current * 2, this.max);
    return d * (1 - 0.25 * this.random());
  }

  reset(): void {
    this.current = this.min;
  }
}
