/**
 * The per-host concurrency cap (Vault's max_connections_per_host, Go's Transport.MaxConnsPerHost).
 * Bun's fetch pools connections but has no per-host limit, so the client bounds the number of
 * requests in flight per origin itself. Waiters are served first-come first-served so that a
 * burst of template fetches cannot starve an earlier token renewal.
 */

export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void; signal?: AbortSignal; onAbort?: () => void }> = [];

  /** `limit` ≤ 0 means unlimited. */
  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.limit <= 0 || this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: { grant: () => void; signal?: AbortSignal; onAbort?: () => void } = {
        grant: () => resolve(this.releaser()),
        signal,
      };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) {
        // The slot passes straight to the next waiter; `active` stays the same.
        if (next.onAbort) next.signal?.removeEventListener("abort", next.onAbort);
        next.grant();
      } else {
        this.active--;
      }
    };
  }
}

/** One semaphore per origin (scheme://host:port or the unix socket path). */
export class HostLimiter {
  private readonly perHost = new Map<string, Semaphore>();

  constructor(readonly limit: number) {}

  for(origin: string): Semaphore {
    let s = this.perHost.get(origin);
    if (!s) {
      s = new Semaphore(this.limit);
      this.perHost.set(origin, s);
    }
    return s;
  }
}
