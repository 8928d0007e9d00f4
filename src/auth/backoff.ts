/**
 * Backoff between failed logins — newer Vault's algorithm (sdk helper): the first wait is
 * min_backoff reduced by a random 0–25 %; each later wait doubles the previous (jittered) wait,
 * caps it at max_backoff, and reduces it again by 0–25 %. reset() after a successful login starts
 * over from a freshly jittered minimum. Jitter keeps a fleet of agents from retrying in lockstep.
 */

export const DEFAULT_MIN_BACKOFF = 1000;
export const DEFAULT_MAX_BACKOFF = 5 * 60_000;
const MAX_JITTER = 0.25;

export class BackoffConfigError extends Error {
  override name = "BackoffConfigError";
}

/** Validates the method's min/max backoff (0 = default) as the auth handler does at start. */
export function resolveBackoff(minMs: number, maxMs: number): { min: number; max: number } {
  const min = minMs > 0 ? minMs : DEFAULT_MIN_BACKOFF;
  const max = maxMs > 0 ? maxMs : DEFAULT_MAX_BACKOFF;
  if (min > max) throw new BackoffConfigError("auth handler: min_backoff cannot be greater than max_backoff");
  return { min, max };
}

export class AuthBackoff {
  readonly min: number;
  readonly max: number;
  private current = 0;
  private attempts = 0;

  constructor(
    minMs: number,
    maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    ({ min: this.min, max: this.max } = resolveBackoff(minMs, maxMs));
    this.reset();
  }

  /** The wait before the next attempt, ms (whole milliseconds, like Go's floor of nanoseconds). */
  next(): number {
    if (this.attempts++ === 0) return this.current;
    this.current = this.jitter(Math.min(2 * this.current, this.max));
    return this.current;
  }

  /** The wait next() would return for the first retry; what "error authenticating" logs. */
  peek(): number {
    return this.attempts === 0 ? this.current : Math.min(2 * this.current, this.max);
  }

  reset(): void {
    this.current = this.jitter(this.min);
    this.attempts = 0;
  }

  private jitter(ms: number): number {
    return Math.floor(ms * (1 - MAX_JITTER * this.random()));
  }
}

/** Kept for callers of the earlier name. */
export { AuthBackoff as Backoff };
