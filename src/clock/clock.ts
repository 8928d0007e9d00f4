/**
 * Time is a dependency. Every timer in vaultrun (renewal, refresh, backoff, debounce, wait,
 * kill timeouts) goes through a Clock so that tests can drive time with FakeClock instead of
 * sleeping. Nothing outside src/clock may call Date.now(), setTimeout or setInterval directly.
 */

export interface Timer {
  /** Cancels the timer; a no-op when it already fired or was cancelled. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms` milliseconds, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  },
  sleep(ms, signal) {
    return sleepWith(systemClock, ms, signal);
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in
 * order, awaiting pending promise jobs between timers so that async code scheduled by one
 * timer can register the next one before time moves on.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private queue: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const entry: Pending = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.queue.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Number of live timers (useful to assert that nothing is left scheduled). */
  pendingTimers(): number {
    return this.queue.filter((p) => !p.cancelled).length;
  }

  /** Milliseconds until the next live timer, or undefined when none is scheduled. */
  nextTimerIn(): number | undefined {
    const next = this.peek();
    return next ? next.at - this.current : undefined;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.peek();
      if (!next || next.at > target) break;
      this.queue.splice(this.queue.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Advances to the next timer and fires it (and any due at the same instant). */
  async runNext(): Promise<boolean> {
    const next = this.peek();
    if (!next) return false;
    await this.advance(next.at - this.current);
    return true;
  }

  private peek(): Pending | undefined {
    this.queue = this.queue.filter((p) => !p.cancelled);
    let best: Pending | undefined;
    for (const p of this.queue) {
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}

/** Lets queued promise reactions (and the ones they queue) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}

/**
 * Keeps the process alive while something waits on events that hold no handle of their own (an
 * agent whose token never expires and that has no templates waits only on signals). Returns the
 * release function.
 */
export function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(handle);
}
