/**
 * The watcher: one fetch loop per dependency key, shared by every template that uses it.
 *
 * After each successful fetch it decides, from the response, when to look again (schedule.ts):
 * renewable leases are renewed (immediately, then at ~2/3 of what is left) and fetched anew only
 * when renewal stops working or the lease nears its max TTL; everything else is re-fetched after
 * its lease fraction or the static interval. Failed fetches are retried with Consul Template's
 * backoff (base × 2^n, capped); when the retry budget is spent the runner is told, which decides
 * whether the agent exits (exit_on_retry_failure) — the watcher keeps trying at the cap.
 *
 * Unlike Vault Agent, a new token does not throw state away (vault#11030): data, leases and
 * timers survive re-authentication, so dynamic credentials are not re-issued just because the
 * agent logged in again. Dependencies that were failing are retried at once with the new token.
 */
import type { Clock, Timer } from "../clock/clock.ts";
import type { Dependency, VaultApi } from "../dependency/types.ts";
import type { Logger } from "../log/logger.ts";
import { redactor } from "../log/redact.ts";
import type { VaultResponse } from "../vault/types.ts";
import {
  graceFor,
  leaseFraction,
  planSecretRefresh,
  type RefreshPlan,
  type RefreshSettings,
  renewSleep,
  retryDelay,
} from "./schedule.ts";

export interface RetrySettings {
  /** Retries after the first failure before the runner is told the dependency gave up (−1 → 0). */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export interface WatcherOptions {
  clock: Clock;
  logger: Logger;
  api: VaultApi;
  namespace?: string;
  settings: RefreshSettings;
  retry: RetrySettings;
  random?: () => number;
  /** A dependency has (new) data. */
  onData: (key: string) => void;
  /** A fetch failed; `exhausted` once the retry budget is spent. */
  onError: (key: string, error: Error, exhausted: boolean) => void;
}

interface Entry {
  dep: Dependency;
  ready: boolean;
  value: unknown;
  timer?: Timer;
  abort?: AbortController;
  /** Consecutive failures. */
  failures: number;
  /** Bumped to invalidate callbacks of an earlier loop iteration. */
  generation: number;
  fetches: number;
  lastError?: Error;
  /** The token that obtained the current lease (leased secrets only): Vault revokes the lease with it. */
  leaseToken?: string;
  /** When the pending timer fires (ms, clock time); undefined for "now" or no timer. */
  dueAt?: number;
}

export class Watcher {
  private token = "";
  private entries = new Map<string, Entry>();
  private stopped = false;
  private readonly random: () => number;

  constructor(private readonly opts: WatcherOptions) {
    this.random = opts.random ?? Math.random;
  }

  /** Sets the Vault token; the first token starts every pending fetch. */
  setToken(token: string): void {
    if (token === this.token) return;
    const first = this.token === "";
    const previous = this.token;
    this.token = token;
    for (const [key, e] of this.entries) {
      if (e.dep.local) continue; // needs no token; polls on its own
      if (first || !e.ready || e.failures > 0) {
        e.dep.reset?.();
        this.schedule(key, e, 0);
      } else if (e.leaseToken === previous) {
        this.outliveToken(key, e, previous);
      }
    }
  }

  /**
   * Keeping state across re-auth (vault#11030) must not keep credentials Vault is about to revoke:
   * a lease dies with the token that created it, and the previous token is usually being replaced
   * because it is near its end. So ask how long that token has left and fetch anew (with the new
   * token) before then — or at once if it is already gone. A lease whose token stays valid is kept.
   */
  private outliveToken(key: string, e: Entry, oldToken: string): void {
    void this.opts.api
      .request({
        method: "GET",
        path: "auth/token/lookup-self",
        token: oldToken,
        namespace: this.opts.namespace,
      })
      .then(
        (resp) => {
          const ttl = Number((resp?.data as { ttl?: unknown } | undefined)?.ttl ?? 0);
          // ttl 0 means a non-expiring token: its leases stay.
          return ttl > 0 ? ttl * 1000 * leaseFraction(this.opts.settings.threshold, this.random) : undefined;
        },
        () => 0,
      )
      .then((delay) => {
        // Skip when the entry was dropped, or fetched anew meanwhile (its lease is the new token's).
        if (delay === undefined || this.stopped || this.entries.get(key) !== e || e.leaseToken !== oldToken)
          return;
        const now = this.opts.clock.now();
        if (e.dueAt !== undefined && e.dueAt <= now + delay) return; // already looking sooner
        this.opts.logger.debug(
          "lease belongs to the previous token, fetching anew before it expires",
          "dependency",
          key,
        );
        this.schedule(key, e, delay);
      });
  }

  /** Starts watching a dependency (no-op when it is already watched). */
  add(dep: Dependency): void {
    const key = dep.request.key;
    if (this.stopped || this.entries.has(key)) return;
    const e: Entry = { dep, ready: false, value: undefined, failures: 0, generation: 0, fetches: 0 };
    this.entries.set(key, e);
    if (this.token || dep.local) this.schedule(key, e, 0);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The data for a key, or undefined while it has never been fetched. */
  get(key: string): { value: unknown } | undefined {
    const e = this.entries.get(key);
    return e?.ready ? { value: e.value } : undefined;
  }

  /** Stops and forgets every dependency whose key is not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const [key, e] of this.entries) {
      if (!keep.has(key)) {
        this.halt(e);
        this.entries.delete(key);
      }
    }
  }

  /** Number of fetches made for a key (tests, metrics). */
  fetchCount(key: string): number {
    return this.entries.get(key)?.fetches ?? 0;
  }

  get size(): number {
    return this.entries.size;
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.entries.values()) this.halt(e);
  }

  private halt(e: Entry): void {
    e.generation++;
    e.timer?.cancel();
    e.timer = undefined;
    e.abort?.abort(new Error("dependency stopped"));
    e.abort = undefined;
  }

  private schedule(
    key: string,
    e: Entry,
    delayMs: number,
    step: () => Promise<void> = () => this.fetch(key, e),
  ): void {
    e.timer?.cancel();
    e.timer = undefined;
    e.dueAt = delayMs > 0 ? this.opts.clock.now() + delayMs : undefined;
    const gen = ++e.generation;
    const fire = () => {
      if (gen !== e.generation || this.stopped) return;
      e.timer = undefined;
      e.dueAt = undefined;
      void step();
    };
    // "Now" is not a timer: run it as soon as the current work is done, whatever the clock.
    if (delayMs <= 0) queueMicrotask(fire);
    else e.timer = this.opts.clock.setTimer(delayMs, fire);
  }

  private async fetch(key: string, e: Entry): Promise<void> {
    if (!this.token && !e.dep.local) return; // resumes on setToken
    const gen = e.generation;
    const abort = new AbortController();
    const token = this.token;
    e.abort = abort;
    e.fetches++;
    try {
      const res = await e.dep.fetch({
        api: this.opts.api,
        token,
        namespace: this.opts.namespace,
        signal: abort.signal,
        now: this.opts.clock.now(),
      });
      if (gen !== e.generation || this.stopped) return;
      e.failures = 0;
      e.lastError = undefined;
      if (res.unchanged && e.ready) {
        // A polled file that did not change: nothing to render.
        if (res.plan) this.follow(key, e, res.plan);
        return;
      }
      e.value = res.value;
      e.ready = true;
      e.leaseToken = res.response?.lease_id ? token : undefined;
      if (res.response) redactor.register([res.response.data, res.response.auth?.client_token]);
      this.opts.logger.trace("fetched", "dependency", key);
      const plan =
        res.plan ?? planSecretRefresh(res.response, this.opts.clock.now(), this.opts.settings, this.random);
      this.follow(key, e, plan);
      this.opts.onData(key);
    } catch (err) {
      if (gen !== e.generation || this.stopped) return;
      const error = err instanceof Error ? err : new Error(String(err));
      if (e.dep.local) {
        this.localFailed(key, e, error, e.dep.local.pollMs);
        return;
      }
      e.failures++;
      e.lastError = error;
      const budget = Math.max(0, this.opts.retry.attempts);
      const exhausted = e.failures > budget;
      const delay = exhausted
        ? this.opts.retry.capMs
        : retryDelay(e.failures - 1, this.opts.retry.baseMs, this.opts.retry.capMs);
      this.opts.logger.warn(
        exhausted ? "dependency fetch failed, retry budget spent" : "dependency fetch failed, retrying",
        "dependency",
        key,
        "attempt",
        e.failures,
        "retry_in",
        `${Math.round(delay)}ms`,
        "error",
        error.message,
      );
      this.schedule(key, e, delay);
      this.opts.onError(key, error, exhausted);
    } finally {
      if (e.abort === abort) e.abort = undefined;
    }
  }

  /**
   * A local dependency has no retry budget (Consul Template reports it to the runner at once), but
   * it is polled again so the template renders once the file is back. Reported once per distinct
   * error, not every poll.
   */
  private localFailed(key: string, e: Entry, error: Error, pollMs: number): void {
    const repeated = e.lastError?.message === error.message;
    e.failures++;
    e.lastError = error;
    this.schedule(key, e, pollMs);
    if (repeated) return;
    this.opts.logger.warn("local dependency failed, polling", "dependency", key, "error", error.message);
    this.opts.onError(key, error, true);
  }

  private follow(key: string, e: Entry, plan: RefreshPlan): void {
    if (plan.type === "refetch") {
      this.schedule(key, e, plan.delayMs);
      return;
    }
    const grace = graceFor(plan.leaseMs, this.random);
    this.schedule(key, e, 0, () => this.renew(key, e, plan, grace, plan.leaseMs));
  }

  /** One renewal; any failure (or a lease that stops growing into the grace window) → fetch anew. */
  private async renew(
    key: string,
    e: Entry,
    plan: Extract<RefreshPlan, { type: "renew" }>,
    grace: number,
    leaseMs: number,
  ): Promise<void> {
    const gen = e.generation;
    let remaining: number;
    try {
      let resp: VaultResponse | null;
      if (plan.authToken) {
        resp = await this.opts.api.request({
          method: "PUT",
          path: "auth/token/renew-self",
          body: { increment: 0 },
          token: plan.authToken,
          namespace: this.opts.namespace,
        });
        remaining = (resp?.auth?.lease_duration ?? 0) * 1000;
        if (resp?.auth && !resp.auth.renewable) remaining = Math.min(remaining, leaseMs);
      } else {
        resp = await this.opts.api.request({
          method: "PUT",
          path: "sys/leases/renew",
          body: { lease_id: plan.leaseId, increment: 0 },
          token: this.token,
          namespace: this.opts.namespace,
        });
        remaining = (resp?.lease_duration ?? 0) * 1000;
        if (resp && resp.renewable === false) remaining = 0;
      }
    } catch (err) {
      if (gen !== e.generation || this.stopped) return;
      this.opts.logger.debug("lease renewal failed, fetching anew", "dependency", key, "error", String(err));
      this.schedule(key, e, 0);
      return;
    }
    if (gen !== e.generation || this.stopped) return;
    if (remaining > leaseMs) {
      leaseMs = remaining;
      grace = graceFor(leaseMs, this.random);
    }
    const sleep = renewSleep(remaining, grace);
    if (sleep === undefined) {
      this.opts.logger.debug("lease near its end, fetching anew", "dependency", key);
      this.schedule(key, e, 0);
      return;
    }
    this.opts.logger.trace("renewed lease", "dependency", key, "next_in", `${Math.round(sleep)}ms`);
    this.schedule(key, e, sleep, () => this.renew(key, e, plan, grace, leaseMs));
  }
}
