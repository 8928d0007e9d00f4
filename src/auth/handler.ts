/**
 * The auth handler (spec §3.1): log in with the configured method, backing off on failures; hand
 * every new token on; keep it alive with the lifetime watcher; log in again as soon as the
 * watcher gives up on it.
 *
 * - exit_on_err: the first failure to obtain a token ends run() with an AuthHandlerError (the agent
 *   exits 1). Vault returns a nil error on some sanity-check paths and so exits 0; we do not copy
 *   that quirk. Renewal failures never end the handler.
 * - method wrap_ttl: the login is response-wrapped; the wrap_info JSON is handed on and the handler
 *   then only waits for shutdown (no renewal, no re-login), as Vault does.
 * - token_file: validated with lookup-self; a token with TTL 0 (root) is never watched.
 * - Tokens are de-duplicated: a re-login that yields the same token (token_file) is not re-sent.
 * - Every credential is registered with the redactor before anything can log it.
 */
import type { Clock } from "../clock/clock.ts";
import { formatGoDuration } from "../clock/duration.ts";
import type { AuthMethodConfig } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { redactor } from "../log/redact.ts";
import type { VaultResponse } from "../vault/types.ts";
import { AuthBackoff } from "./backoff.ts";
import { componentLogger } from "./component-logger.ts";
import { watchLifetime } from "./lifetime.ts";
import type { AuthMethod, LoginRequest, VaultApi } from "./types.ts";
import { wrapInfoJson } from "./wrap-info.ts";

export interface AuthHandlerOptions {
  method: AuthMethod;
  /** type, namespace, wrapTTL, minBackoff, maxBackoff, exitOnErr are used. */
  config: Pick<
    AuthMethodConfig,
    "type" | "namespace" | "wrapTTL" | "minBackoff" | "maxBackoff" | "exitOnErr"
  >;
  /** The auth client (logins are sent with retries: 0 — the handler's backoff is the only retry). */
  api: VaultApi;
  clock: Clock;
  /** The agent's root logger; the handler logs as "agent.auth.handler". */
  logger: Logger;
  /** Jitter source for backoff and grace periods (seedable in tests). */
  random?: () => number;
  /** Stops the handler when aborted (same as stop()). */
  signal?: AbortSignal;
}

export interface TokenInfo {
  /** The token is the JSON of a wrap_info (method wrap_ttl), not a client token. */
  wrapped: boolean;
  /** TTL in ms when obtained (0 = unlimited, or unknown for wrapped tokens). */
  ttlMs: number;
  renewable: boolean;
  /** The login (or lookup-self) response. */
  response: VaultResponse;
}

export type TokenCallback = (token: string, info: TokenInfo) => void;

/** A fatal auth failure (exit_on_err, bad backoff settings): the agent exits 1 with this message. */
export class AuthHandlerError extends Error {
  override name = "AuthHandlerError";
}

/** A login attempt that failed: `stage` is the log message Vault uses for it. */
class LoginFailure extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

interface LoginResult {
  token: string;
  info: TokenInfo;
}

export class AuthHandler {
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly stopper = new AbortController();
  /** Aborted by reauthenticate() to end the current watch early. */
  private watch?: AbortController;
  private lastToken = "";

  constructor(private readonly opts: AuthHandlerOptions) {
    this.log = componentLogger(opts.logger, "auth.handler");
    this.random = opts.random ?? Math.random;
    if (opts.signal) {
      if (opts.signal.aborted) this.stopper.abort();
      else opts.signal.addEventListener("abort", () => this.stop(), { once: true });
    }
  }

  /**
   * Runs until stopped (resolves) or until a fatal error (rejects with AuthHandlerError).
   * `onToken` receives every new token — or, with method wrap_ttl, the wrap_info JSON.
   */
  async run(onToken: TokenCallback): Promise<void> {
    const cfg = this.opts.config;
    const signal = this.stopper.signal;
    let backoff: AuthBackoff;
    try {
      backoff = new AuthBackoff(cfg.minBackoff, cfg.maxBackoff, this.random);
    } catch (e) {
      throw new AuthHandlerError((e as Error).message);
    }
    this.log.info("starting auth handler");
    try {
      while (!signal.aborted) {
        let result: LoginResult;
        try {
          result = await this.login();
        } catch (e) {
          if (signal.aborted) break;
          const failure =
            e instanceof LoginFailure ? e : new LoginFailure("error authenticating", errorText(e));
          if (cfg.exitOnErr) {
            this.log.error(failure.stage, "error", failure.message);
            throw new AuthHandlerError(`${failure.stage}: ${failure.message}`);
          }
          const wait = backoff.next();
          this.log.error(failure.stage, "error", failure.message, "backoff", formatGoDuration(wait));
          if (!(await this.sleep(wait))) break;
          continue;
        }
        backoff.reset();
        const { token, info } = result;
        if (info.wrapped) {
          this.log.info("authentication successful, sending wrapped token to sinks and pausing");
          this.deliver(token, info, onToken);
          await untilAborted(signal);
          break;
        }
        this.log.info("authentication successful, sending token to sinks");
        this.deliver(token, info, onToken);
        await this.keepAlive(token, info);
      }
    } finally {
      this.opts.method.shutdown?.();
    }
    this.log.info("auth handler stopped");
  }

  /** Abandons the current token and logs in again right away (auto-auth self-healing). */
  reauthenticate(): void {
    if (this.watch && !this.watch.signal.aborted) {
      this.log.info("re-authenticating: the current token was reported invalid");
      this.watch.abort();
    }
  }

  stop(): void {
    this.stopper.abort();
  }

  private deliver(token: string, info: TokenInfo, onToken: TokenCallback): void {
    if (token === this.lastToken) return;
    this.lastToken = token;
    onToken(token, info);
  }

  /** One login (or token_file lookup); throws LoginFailure with Vault's texts. */
  private async login(): Promise<LoginResult> {
    const cfg = this.opts.config;
    const namespace = cfg.namespace || undefined;
    this.log.info("authenticating");
    let req: LoginRequest;
    try {
      req = await this.opts.method.authenticate();
    } catch (e) {
      throw new LoginFailure("error getting path or data from method", errorText(e));
    }
    const api = req.api ?? this.opts.api;
    if (req.lookupToken !== undefined) {
      redactor.register(req.lookupToken);
      const resp = await this.send(api, {
        method: "GET",
        path: "auth/token/lookup-self",
        token: req.lookupToken,
        namespace,
        headers: req.headers,
      });
      if (!resp?.data)
        throw new LoginFailure("error authenticating", "token file validation failed, token may be invalid");
      const token = str(resp.data.id);
      if (!token)
        throw new LoginFailure("error authenticating", "token file validation returned empty client token");
      redactor.register(token);
      if (str(resp.data.type) === "batch") {
        this.log.info("note that this token type is batch and batch tokens cannot be renewed");
      }
      return {
        token,
        info: {
          wrapped: false,
          ttlMs: num(resp.data.ttl) * 1000,
          renewable: resp.data.renewable === true,
          response: resp,
        },
      };
    }
    const wrapTTL = cfg.wrapTTL > 0 ? formatGoDuration(cfg.wrapTTL) : undefined;
    const resp = await this.send(api, {
      method: "PUT",
      path: req.path,
      body: req.body,
      namespace,
      headers: req.headers,
      wrapTTL,
    });
    if (wrapTTL) {
      if (!resp?.wrap_info)
        throw new LoginFailure("error authenticating", "authentication returned nil wrap info");
      if (!resp.wrap_info.token) {
        throw new LoginFailure("error authenticating", "authentication returned empty wrapped client token");
      }
      redactor.register(resp.wrap_info.token);
      return {
        token: wrapInfoJson(resp.wrap_info),
        info: { wrapped: true, ttlMs: resp.wrap_info.ttl * 1000, renewable: false, response: resp },
      };
    }
    if (!resp?.auth) throw new LoginFailure("error authenticating", "authentication returned nil auth info");
    if (!resp.auth.client_token)
      throw new LoginFailure("error authenticating", "authentication returned empty client token");
    redactor.register(resp.auth.client_token);
    return {
      token: resp.auth.client_token,
      info: {
        wrapped: false,
        ttlMs: resp.auth.lease_duration * 1000,
        renewable: resp.auth.renewable,
        response: resp,
      },
    };
  }

  private async send(api: VaultApi, req: Parameters<VaultApi["request"]>[0]): Promise<VaultResponse | null> {
    try {
      return await api.request({ ...req, retries: 0, signal: this.stopper.signal });
    } catch (e) {
      throw new LoginFailure("error authenticating", errorText(e));
    }
  }

  /** Watches the token until it must be replaced (or the handler stops). */
  private async keepAlive(token: string, info: TokenInfo): Promise<void> {
    const fromLookup = info.response.auth === null || info.response.auth === undefined;
    this.watch = new AbortController();
    const watchSignal = AbortSignal.any([this.stopper.signal, this.watch.signal]);
    try {
      if (fromLookup && info.ttlMs === 0) {
        this.log.info("not starting token renewal process, as token has unlimited TTL");
        await untilAborted(watchSignal);
        return;
      }
      this.log.info("starting renewal process");
      const result = await watchLifetime(
        { token, leaseMs: info.ttlMs, renewable: info.renewable },
        {
          api: this.opts.api,
          clock: this.opts.clock,
          random: this.random,
          namespace: this.opts.config.namespace || undefined,
          onRenew: () => this.log.info("renewed auth token"),
          onRenewError: (e) => this.log.debug("token renewal failed", "error", errorText(e)),
        },
        watchSignal,
      );
      if (this.stopper.signal.aborted) return;
      this.log.info("lifetime watcher done channel triggered");
      if (result.error) this.log.error("error renewing token", "error", errorText(result.error));
    } finally {
      this.watch = undefined;
    }
  }

  /** Sleeps on the clock; false when the handler was stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    return this.opts.clock.sleep(ms, this.stopper.signal).then(
      () => true,
      () => false,
    );
  }
}

/** Waits without a timer (a timer of "forever" overflows to 1 ms in Node/Bun). */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (v !== null && typeof v === "object" && "text" in v) return Number((v as { text: string }).text) || 0;
  if (typeof v === "string") return Number(v) || 0;
  return 0;
}
