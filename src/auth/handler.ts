/**
 * The auth handler (spec §3.1): log in with the method (backing off on failures), hand each new
 * token on, keep it alive with the lifetime watcher (renew-self right away, then at about 2/3 of
 * what is left; stop inside the 10–20 % grace window), and log in again when it can no longer be
 * renewed. exit_on_err makes the first failure to obtain a token fatal (exit 1 — never Vault's
 * exit-0 quirk). Method-level wrap_ttl hands the wrap_info JSON on and then waits.
 */
import type { Clock } from "../clock/clock.ts";
import { formatGoDuration } from "../clock/duration.ts";
import type { AuthMethodConfig } from "../config/types.ts";
import type { VaultApi } from "../dependency/types.ts";
import type { Logger } from "../log/logger.ts";
import { redactor } from "../log/redact.ts";
import type { VaultResponse } from "../vault/types.ts";
import { graceFor, renewSleep } from "../watch/schedule.ts";
import { Backoff } from "./backoff.ts";
import type { AuthMethod } from "./methods/index.ts";

export interface AuthHandlerOptions {
  method: AuthMethod;
  config: AuthMethodConfig;
  api: VaultApi;
  clock: Clock;
  logger: Logger;
  random?: () => number;
}

class Stopped extends Error {}

export class AuthHandler {
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private reauth?: () => void;
  private lastToken = "";
  private readonly random: () => number;

  constructor(private readonly opts: AuthHandlerOptions) {
    this.log = opts.logger.named("auth.handler");
    this.random = opts.random ?? Math.random;
  }

  /** Runs until stopped; rejects on a fatal error (exit_on_err). */
  async run(onToken: (token: string) => void): Promise<void> {
    const cfg = this.opts.config;
    const backoff = new Backoff(cfg.minBackoff || 1000, cfg.maxBackoff || 300_000, this.random);
    this.log.info("starting auth handler");
    try {
      for (;;) {
        this.check();
        let resp: VaultResponse | null;
        let token: string;
        try {
          this.log.info("authenticating");
          const login = await this.opts.method.authenticate();
          if (login.lookupToken !== undefined) {
            resp = await this.opts.api.request({ method: "GET", path: "auth/token/lookup-self", token: login.lookupToken, namespace: cfg.namespace || undefined, retries: 0 });
            const id = String((resp?.data as { id?: unknown } | null)?.id ?? "");
            if (!id) throw new Error("token file validation returned empty client token");
            token = id;
          } else {
            resp = await (login.api ?? this.opts.api).request({
              method: "PUT",
              path: login.path,
              body: login.body,
              namespace: cfg.namespace || undefined,
              wrapTTL: cfg.wrapTTL > 0 ? formatGoDuration(cfg.wrapTTL) : undefined,
              retries: 0,
            });
            if (cfg.wrapTTL > 0) {
              if (!resp?.wrap_info?.token) throw new Error("authentication returned nil wrap info");
              redactor.register(resp.wrap_info.token);
              this.log.info("authentication successful, sending wrapped token to sinks and pausing");
              onToken(JSON.stringify(resp.wrap_info));
              await this.waitForever();
              return;
            }
            if (!resp?.auth) throw new Error("authentication returned nil auth info");
            token = resp.auth.client_token;
            if (!token) throw new Error("authentication returned empty client token");
          }
        } catch (e) {
          if (e instanceof Stopped) throw e;
          const msg = (e as Error).message;
          if (cfg.exitOnErr) {
            this.log.error("error authenticating", "error", msg);
            throw new Error(`auth handler: ${msg}`);
          }
          const wait = backoff.next();
          this.log.error("error authenticating", "error", msg, "backoff", formatGoDuration(Math.round(wait)));
          await this.sleep(wait);
          continue;
        }
        redactor.register(token);
        backoff.reset();
        this.log.info("authentication successful, sending token to sinks");
        if (token !== this.lastToken) {
          this.lastToken = token;
          onToken(token);
        }
        await this.watchLifetime(token, resp);
        this.log.info("lifetime watcher done channel triggered");
      }
    } catch (e) {
      if (e instanceof Stopped) return;
      throw e;
    }
  }

  /** Abandon the current token and log in again (self-healing after "invalid token"). */
  reauthenticate(): void {
    this.reauth?.();
  }

  stop(): void {
    this.abort.abort(new Stopped("stopped"));
  }

  private check(): void {
    if (this.abort.signal.aborted) throw new Stopped("stopped");
  }

  private sleep(ms: number): Promise<void> {
    return this.opts.clock.sleep(ms, this.abort.signal).catch(() => {
      throw new Stopped("stopped");
    });
  }

  private waitForever(): Promise<void> {
    return new Promise((_, reject) => this.abort.signal.addEventListener("abort", () => reject(new Stopped("stopped")), { once: true }));
  }

  /** Resolves when the token needs replacing; rejects with Stopped on shutdown. */
  private async watchLifetime(token: string, resp: VaultResponse | null): Promise<void> {
    const data = (resp?.data ?? {}) as { ttl?: unknown; renewable?: unknown; type?: unknown };
    const fromLookup = !resp?.auth;
    let leaseMs = fromLookup ? Number(data.ttl ?? 0) * 1000 : (resp?.auth?.lease_duration ?? 0) * 1000;
    const renewable = fromLookup ? data.renewable === true : resp?.auth?.renewable === true;
    if (fromLookup && data.type === "batch") this.log.info("note that this token type is batch and batch tokens cannot be renewed");
    if (fromLookup && leaseMs === 0) {
      this.log.info("not starting token renewal process, as token has unlimited TTL");
      await new Promise<void>((resolve, reject) => {
        this.reauth = resolve;
        this.abort.signal.addEventListener("abort", () => reject(new Stopped("stopped")), { once: true });
      });
      this.reauth = undefined;
      return;
    }
    this.log.info("starting renewal process");
    const expiresAt = () => this.opts.clock.now() + leaseMs;
    let expiry = expiresAt();
    let grace = graceFor(leaseMs, this.random);
    let canRenew = renewable;
    const reauthRequested = new Promise<void>((resolve) => (this.reauth = resolve));
    for (;;) {
      this.check();
      let remaining = expiry - this.opts.clock.now();
      if (canRenew) {
        try {
          const r = await this.opts.api.request({ method: "PUT", path: "auth/token/renew-self", body: { increment: 0 }, token, namespace: this.opts.config.namespace || undefined, retries: 0 });
          const newLease = (r?.auth?.lease_duration ?? 0) * 1000;
          if (newLease > 0) {
            remaining = newLease;
            expiry = this.opts.clock.now() + newLease;
            if (newLease > leaseMs) {
              leaseMs = newLease;
              grace = graceFor(leaseMs, this.random);
            }
          }
          this.log.info("renewed auth token");
        } catch (e) {
          const msg = (e as Error).message;
          this.log.error("error renewing token", "error", msg);
          if (/permission denied/.test(msg)) canRenew = false;
        }
      }
      const sleep = renewSleep(remaining, grace);
      if (sleep === undefined) return;
      const slept = this.sleep(sleep).then(() => "timer" as const);
      slept.catch(() => {}); // a shutdown while re-authenticating must not surface as unhandled
      const which = await Promise.race([slept, reauthRequested.then(() => "reauth" as const)]);
      if (which === "reauth") {
        this.log.info("re-authenticating: the token was reported invalid");
        return;
      }
    }
  }
}
