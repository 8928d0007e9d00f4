/**
 * The token lifetime watcher — Vault's api.LifetimeWatcher as the auth handler uses it ("ignore
 * errors" behaviour), on an injected Clock and random source so tests can assert exact times.
 *
 *   grace  = [10 %, 20 %) of the lease, recomputed whenever a renewal extends the lease;
 *   loop:    renewable → renew-self now (no initial sleep), remaining = the new lease;
 *            not renewable → remaining = time left until the known expiry (no call);
 *            sleep = 2/3·remaining + grace/3;
 *            remaining ≤ grace or remaining − sleep ≤ grace → done (the caller logs in again).
 *   errors:  remaining is counted from the last known expiry and renewal is retried with an
 *            exponential backoff (10 s, ×2, ±50 %, capped at 5 min, giving up after the remaining
 *            lease); an error containing "permission denied" makes the token non-renewable.
 *
 * Deliberate difference: for non-renewable tokens Go measures "time left" from a duration it
 * shrinks every loop (it can end early after a failed renewal); we always measure against the
 * actual expiry.
 */
import type { Clock } from "../clock/clock.ts";
import type { VaultResponse } from "../vault/types.ts";
import type { VaultApi } from "./types.ts";

export interface LifetimeInput {
  token: string;
  /** Lease (TTL) of the token in ms when it was obtained. */
  leaseMs: number;
  renewable: boolean;
}

export interface LifetimeDeps {
  api: VaultApi;
  clock: Clock;
  random: () => number;
  namespace?: string;
  /** Called after every successful renewal. */
  onRenew?: (resp: VaultResponse) => void;
  /** Called for every failed renewal (the watcher goes on). */
  onRenewError?: (err: Error) => void;
}

export interface LifetimeResult {
  /** Why the watcher ended: the token is near expiry, the renewal backoff gave up, or it was stopped. */
  reason: "expiring" | "error" | "stopped";
  error?: Error;
}

/** A grace period: uniform in [10 %, 20 %) of the lease. */
export function graceFor(leaseMs: number, random: () => number): number {
  if (leaseMs <= 0) return 0;
  const jitterMax = 0.1 * leaseMs;
  return jitterMax + Math.floor(random() * jitterMax);
}

export function sleepFor(remainingMs: number, graceMs: number): number {
  return (remainingMs * 2) / 3 + graceMs / 3;
}

/** cenkalti/backoff's ExponentialBackOff with the parameters Vault's lifetime watcher uses. */
class RenewalBackoff {
  private interval = 10_000;
  private readonly started: number;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly maxElapsed: number,
  ) {
    this.started = clock.now();
  }

  /** The next wait, or undefined when the backoff gives up. */
  next(): number | undefined {
    if (this.maxElapsed > 0 && this.clock.now() - this.started > this.maxElapsed) return undefined;
    const current = this.interval;
    this.interval = current >= 300_000 / 2 ? 300_000 : current * 2;
    const delta = 0.5 * current;
    const lo = current - delta;
    return lo + this.random() * (current + delta - lo);
  }
}

function abortable(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return clock.sleep(ms, signal).then(
    () => true,
    () => false,
  );
}

/** Watches one token until it needs replacing. Never throws; renewal failures are reported via the result. */
export async function watchLifetime(
  input: LifetimeInput,
  deps: LifetimeDeps,
  signal?: AbortSignal,
): Promise<LifetimeResult> {
  const { clock, random } = deps;
  let renewable = input.renewable;
  let leaseStart = clock.now();
  let leaseMs = input.leaseMs;
  let prior = leaseMs;
  let grace = graceFor(prior, random);
  let errorBackoff: RenewalBackoff | undefined;
  let lastError: Error | undefined;

  for (;;) {
    if (signal?.aborted) return { reason: "stopped" };
    let remaining: number;
    if (!renewable) {
      remaining = leaseStart + leaseMs - clock.now();
    } else {
      let resp: VaultResponse | null = null;
      let error: Error | undefined;
      try {
        resp = await deps.api.request({
          method: "PUT",
          path: "auth/token/renew-self",
          token: input.token,
          body: { increment: 0 },
          namespace: deps.namespace,
          retries: 0,
          signal,
        });
        if (!resp?.auth) error = new Error("renewal response holds no auth data");
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      if (signal?.aborted) return { reason: "stopped" };
      if (error) {
        deps.onRenewError?.(error);
        if (error.message.includes("permission denied")) {
          // The token may not renew itself: treat it as non-renewable and just wait for expiry.
          renewable = false;
          continue;
        }
        lastError = error;
        remaining = leaseStart + leaseMs - clock.now();
        errorBackoff ??= new RenewalBackoff(clock, random, remaining);
      } else {
        errorBackoff = undefined;
        lastError = undefined;
        deps.onRenew?.(resp as VaultResponse);
        leaseStart = clock.now();
        leaseMs = (resp as VaultResponse).auth!.lease_duration * 1000;
        remaining = leaseMs;
      }
    }

    let sleep: number;
    if (!errorBackoff) {
      if (remaining > prior) grace = graceFor(remaining, random);
      sleep = sleepFor(remaining, grace);
    } else {
      const next = errorBackoff.next();
      if (next === undefined) return { reason: "error", error: lastError };
      sleep = next;
    }
    prior = remaining;
    if (remaining <= grace || remaining - sleep <= grace) {
      return lastError ? { reason: "error", error: lastError } : { reason: "expiring" };
    }
    if (!(await abortable(clock, sleep, signal))) return { reason: "stopped" };
  }
}
