/**
 * The Vault HTTP client. One `request()` does everything the rest of vaultrun relies on:
 * headers (X-Vault-Request, token, namespace, wrap TTL, User-Agent), the per-host concurrency
 * cap, retries with Vault's linear-jitter backoff on 412/429/5xx/network errors, one followed
 * redirect, a timeout over the whole call, typed errors and envelope decoding. The conveniences
 * (read/list/write/delete, KV v2 helpers, wrapping, leases, tokens) are thin layers over it.
 *
 * Timing goes through the injected Clock (backoff waits and the timeout), so tests drive it with
 * FakeClock or tiny waits.
 */
import ky, { type KyInstance } from "ky";
import { type Clock, systemClock } from "../clock/clock.ts";
import { formatGoDuration } from "../clock/duration.ts";
import { stringifyJsonNumbers } from "../common/json.ts";
import type { Logger } from "../log/logger.ts";
import { redactor } from "../log/redact.ts";
import { version as vaultrunVersion } from "../version.ts";
import { errorsOf, toVaultResponse, tryParse } from "./envelope.ts";
import { formatApiError, VaultError, VaultNetworkError } from "./errors.ts";
import {
  canonicalNamespace,
  isKv2,
  type KvMount,
  kv2DataPath,
  kv2ListPath,
  mountFromPreflight,
  splitQuery,
} from "./kv.ts";
import { HostLimiter } from "./limiter.ts";
import {
  type BunTls,
  type FetchFn,
  loadTls,
  makeFetch,
  type ParsedAddress,
  parseAddress,
} from "./transport.ts";
import type { ClientOptions, HttpMethod, VaultRequest, VaultResponse } from "./types.ts";

export { VaultError, VaultNetworkError } from "./errors.ts";
export { VaultConfigError } from "./transport.ts";

export interface ClientDeps {
  clock?: Clock;
  logger?: Logger;
  /** Source of jitter in [0,1); tests pin it. */
  random?: () => number;
}

/** Options after defaults. */
export interface ResolvedOptions {
  address: string;
  namespace: string;
  token: string;
  maxRetries: number;
  minRetryWait: number;
  maxRetryWait: number;
  timeout: number;
  maxConnectionsPerHost: number;
  disableKeepAlives: boolean;
  userAgent: string;
  headers: Record<string, string>;
  /** How long a KV preflight answer is reused (ms). */
  mountCacheTtl: number;
}

export const DEFAULT_ADDRESS = "https://127.0.0.1:8200";
export const DEFAULT_USER_AGENT = `vaultrun/${vaultrunVersion} (+https://github.com/vaultrun/vaultrun)`;

/** Everything clones of a client share: the transport, the limiter and the preflight cache. */
interface Shared {
  addr: ParsedAddress;
  tls: BunTls;
  http: KyInstance;
  limiter: HostLimiter;
  mounts: Map<string, { mount: KvMount | null; expires: number }>;
  clock: Clock;
  logger?: Logger;
  random: () => number;
}

/** Extra options a VaultClient accepts beyond the ClientOptions contract. */
export interface ClientExtraOptions {
  /** Default X-Vault-Token for requests that do not name one. */
  token?: string;
  mountCacheTtl?: number;
}

interface Attempt {
  status: number;
  text: string;
  headers: Headers;
}

export class VaultClient {
  readonly options: Readonly<ResolvedOptions>;
  private readonly shared: Shared;

  constructor(opts: ClientOptions & ClientExtraOptions, deps: ClientDeps = {}, shared?: Shared) {
    const address = opts.address || DEFAULT_ADDRESS;
    this.options = {
      address,
      namespace: canonicalNamespace(opts.namespace),
      token: opts.token ?? "",
      maxRetries: Math.max(0, opts.maxRetries ?? 2),
      minRetryWait: opts.minRetryWait ?? 1000,
      maxRetryWait: opts.maxRetryWait ?? 1500,
      timeout: opts.timeout ?? 60_000,
      maxConnectionsPerHost: opts.maxConnectionsPerHost ?? 0,
      disableKeepAlives: opts.disableKeepAlives ?? false,
      userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
      headers: { ...(opts.headers ?? {}) },
      mountCacheTtl: opts.mountCacheTtl ?? 60_000,
    };
    if (this.options.token) redactor.register(this.options.token);
    if (shared) {
      this.shared = shared;
      return;
    }
    const addr = parseAddress(address);
    const tls = loadTls(opts.tls);
    const fetchFn: FetchFn = makeFetch(addr, tls, this.options.disableKeepAlives);
    this.shared = {
      addr,
      tls,
      // ky carries the request; retries, timeouts and errors are ours (they must follow Vault's
      // rules and the injected clock), so ky's own are switched off.
      http: ky.create({
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        fetch: fetchFn as typeof fetch,
        redirect: "manual",
      }),
      limiter: new HostLimiter(this.options.maxConnectionsPerHost),
      mounts: new Map(),
      clock: deps.clock ?? systemClock,
      logger: deps.logger,
      random: deps.random ?? Math.random,
    };
  }

  /** The address this client talks to. */
  get address(): string {
    return this.options.address;
  }

  /** A client sharing this one's transport, limiter and caches, with another default token. */
  withToken(token: string): VaultClient {
    return this.derive({ token });
  }

  /** A client sharing this one's transport, with another default namespace. */
  withNamespace(namespace: string): VaultClient {
    return this.derive({ namespace });
  }

  private derive(over: Partial<ClientOptions & ClientExtraOptions>): VaultClient {
    const o = this.options;
    return new VaultClient(
      {
        address: o.address,
        namespace: over.namespace ?? o.namespace,
        token: over.token ?? o.token,
        maxRetries: o.maxRetries,
        minRetryWait: o.minRetryWait,
        maxRetryWait: o.maxRetryWait,
        timeout: o.timeout,
        maxConnectionsPerHost: o.maxConnectionsPerHost,
        disableKeepAlives: o.disableKeepAlives,
        userAgent: o.userAgent,
        headers: o.headers,
        mountCacheTtl: o.mountCacheTtl,
      },
      {},
      this.shared,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // The core

  /**
   * Sends one API request. Resolves with the decoded envelope, or null for 204 / an empty body.
   * Throws VaultError for any status ≥ 400 (after retries) and VaultNetworkError when no response
   * came back.
   */
  async request(req: VaultRequest): Promise<VaultResponse | null> {
    const { status, text, url, namespace, method } = await this.send(req);
    if (status >= 400) throw this.httpError(req, method, url, namespace, status, text);
    if (status === 204 || text.trim() === "") return null;
    const body = tryParse(text);
    if (body === undefined) {
      throw new VaultError(
        status,
        [],
        method,
        req.path,
        `${method} ${url}: response is not JSON (status ${status})`,
      );
    }
    const resp = toVaultResponse(body);
    this.taint(req.path, resp);
    return resp;
  }

  private httpError(
    req: VaultRequest,
    method: string,
    url: string,
    namespace: string,
    status: number,
    text: string,
  ): VaultError {
    const errors = errorsOf(text);
    const body = tryParse(text);
    // An error body can still be an envelope (KV v2 reads of deleted versions answer 404 with
    // metadata); keep it for callers.
    const resp = body && typeof body === "object" && !("errors" in body) ? toVaultResponse(body) : null;
    if (resp) this.taint(req.path, resp);
    const message = formatApiError({
      method,
      url,
      namespace,
      status,
      errors,
      raw: errors === null ? text : undefined,
    });
    return new VaultError(
      status,
      errors ?? [],
      method,
      req.path,
      message,
      resp,
      errors === null ? text : undefined,
    );
  }

  /** Registers what a response carries that must never reach a log line. */
  private taint(path: string, resp: VaultResponse): void {
    if (resp.auth) redactor.register([resp.auth.client_token, resp.auth.accessor]);
    if (resp.wrap_info) redactor.register([resp.wrap_info.token, resp.wrap_info.accessor]);
    // A token lookup's secrets are its id and accessor; its other fields ("token", "default",
    // "service"…) are ordinary words that must not be blotted out of every later log line.
    if (resp.data && /^auth\/token\/lookup/.test(path)) {
      redactor.register([resp.data.id, resp.data.accessor]);
      return;
    }
    // sys/ answers (health, mounts, leases) carry no secrets, except what unwrapping returns.
    if (resp.data && (!path.startsWith("sys/") || path.startsWith("sys/wrapping/")))
      redactor.register(resp.data);
  }

  private buildUrl(path: string, query: Record<string, string> | undefined, list: boolean): string {
    const clean = path.replace(/^\/+/, "").replace(/^v1\//, "");
    const encoded = clean
      .split("/")
      .map((seg) => encodeURIComponent(seg).replace(/%40/g, "@").replace(/%3A/gi, ":"))
      .join("/");
    const params = new URLSearchParams(query ?? {});
    if (list) params.set("list", "true");
    const qs = params.toString();
    return `${this.shared.addr.base}/v1/${encoded}${qs ? `?${qs}` : ""}`;
  }

  private headersFor(req: VaultRequest, namespace: string): Record<string, string> {
    const h: Record<string, string> = { ...this.options.headers, ...(req.headers ?? {}) };
    h["X-Vault-Request"] = "true";
    h["User-Agent"] = this.options.userAgent;
    const token = req.token ?? this.options.token;
    if (token) {
      redactor.register(token);
      h["X-Vault-Token"] = token;
    }
    if (namespace) h["X-Vault-Namespace"] = namespace;
    if (req.wrapTTL) h["X-Vault-Wrap-TTL"] = req.wrapTTL;
    if (this.options.disableKeepAlives) h.Connection = "close";
    return h;
  }

  private async send(
    req: VaultRequest,
  ): Promise<{ status: number; text: string; url: string; namespace: string; method: string }> {
    // Vault's api sends LIST as GET ?list=true; servers accept both and proxies only know GET.
    const list = req.method === "LIST";
    const method: HttpMethod = list ? "GET" : req.method;
    const namespace = canonicalNamespace(req.namespace ?? this.options.namespace);
    let url = this.buildUrl(req.path, req.query, list);
    const displayUrl = url.split("?")[0]!;
    const headers = this.headersFor(req, namespace);
    let body: string | undefined;
    if (req.body !== undefined && method !== "GET" && method !== "HEAD") {
      body = stringifyJsonNumbers(req.body);
      headers["Content-Type"] = "application/json";
    }

    // The timeout covers the whole call, retries included, as the api's context deadline does.
    const timeout = new AbortController();
    const timer =
      this.options.timeout > 0
        ? this.shared.clock.setTimer(this.options.timeout, () => timeout.abort(new Error("timeout")))
        : undefined;
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const maxRetries = Math.max(0, req.retries ?? this.options.maxRetries);
    const sem = this.shared.limiter.for(this.shared.addr.origin);
    let redirected = false;
    try {
      for (let attempt = 0; ; attempt++) {
        let result: Attempt;
        try {
          const release = await sem.acquire(signal);
          try {
            const res = await this.shared.http(url, { method, headers, body, signal });
            const text = await res.text();
            result = { status: res.status, text, headers: res.headers };
          } finally {
            release();
          }
        } catch (e) {
          if (signal.aborted) {
            throw new VaultNetworkError(method, req.path, displayUrl, e, timeout.signal.aborted);
          }
          if (!retryableNetworkError(e) || attempt >= maxRetries) {
            throw new VaultNetworkError(method, req.path, displayUrl, e);
          }
          this.shared.logger?.debug(
            "retrying request after network error",
            "url",
            displayUrl,
            "attempt",
            attempt + 1,
          );
          await this.backoff(attempt, undefined, signal, method, req.path, displayUrl, timeout);
          continue;
        }
        const { status } = result;
        if ((status === 301 || status === 302 || status === 307) && !redirected) {
          const location = result.headers.get("location");
          if (location) {
            const next = new URL(location, url);
            if (url.startsWith("https:") && next.protocol !== "https:") {
              throw new VaultError(status, [], method, req.path, "redirect would cause protocol downgrade");
            }
            url = next.toString();
            redirected = true;
            attempt--; // a redirect is not a retry
            continue;
          }
        }
        if (retryableStatus(status) && attempt < maxRetries) {
          this.shared.logger?.debug(
            "retrying request",
            "url",
            displayUrl,
            "status",
            status,
            "attempt",
            attempt + 1,
          );
          await this.backoff(attempt, result.headers, signal, method, req.path, displayUrl, timeout, status);
          continue;
        }
        return { status, text: result.text, url: displayUrl, namespace, method };
      }
    } finally {
      timer?.cancel();
    }
  }

  /**
   * go-retryablehttp's RateLimitLinearJitterBackoff, which Vault's api uses: the n-th retry waits
   * n × U(min, max); a 429/503 with Retry-After waits what the server asked for.
   */
  private async backoff(
    attempt: number,
    headers: Headers | undefined,
    signal: AbortSignal,
    method: string,
    path: string,
    url: string,
    timeout: AbortController,
    status?: number,
  ): Promise<void> {
    let wait: number | undefined;
    if (headers && (status === 429 || status === 503)) {
      const ra = headers.get("retry-after");
      if (ra && /^\d+$/.test(ra.trim())) wait = Number(ra.trim()) * 1000;
    }
    if (wait === undefined) {
      const { minRetryWait: min, maxRetryWait: max } = this.options;
      const base = max <= min ? min : min + this.shared.random() * (max - min);
      wait = base * (attempt + 1);
    }
    try {
      await this.shared.clock.sleep(wait, signal);
    } catch (e) {
      throw new VaultNetworkError(method, path, url, e, timeout.signal.aborted);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Logical conveniences (the api's Logical().Read/List/Write/Delete)

  /** GET; null when nothing is there (404 without data, 204). A 404 with data returns that body. */
  async read(path: string, token?: string, query?: Record<string, string>): Promise<VaultResponse | null> {
    try {
      return await this.request({ method: "GET", path, token, query });
    } catch (e) {
      if (e instanceof VaultError && e.status === 404) {
        const r = e.response;
        return r && (r.data !== null || (r.warnings?.length ?? 0) > 0) ? r : null;
      }
      throw e;
    }
  }

  /** LIST; null when nothing is there. */
  async list(path: string, token?: string): Promise<VaultResponse | null> {
    try {
      return await this.request({ method: "LIST", path, token });
    } catch (e) {
      if (e instanceof VaultError && e.status === 404) return null;
      throw e;
    }
  }

  /** PUT with a JSON body (Vault treats PUT and POST alike). */
  write(path: string, body: unknown, token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "PUT", path, body: body ?? {}, token });
  }

  delete(path: string, token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "DELETE", path, token });
  }

  // ---------------------------------------------------------------------------------------------
  // KV v2 preflight and helpers

  /**
   * The mount behind `path` from sys/internal/ui/mounts (cached per mount for mountCacheTtl).
   * null when the server has no such endpoint (404 — older Vault: treat as KV v1). Other errors
   * are thrown; callers decide whether to carry on as v1 (templates) or fail (the CLI).
   */
  async mountInfo(path: string, opts: { token?: string; namespace?: string } = {}): Promise<KvMount | null> {
    const ns = canonicalNamespace(opts.namespace ?? this.options.namespace);
    const clean = path.replace(/^\/+/, "");
    const now = this.shared.clock.now();
    for (const [key, entry] of this.shared.mounts) {
      if (entry.expires <= now) {
        this.shared.mounts.delete(key);
        continue;
      }
      const [keyNs, mountPath] = splitCacheKey(key);
      if (keyNs === ns && entry.mount && pathUnderMount(clean, entry.mount.path, ns)) return entry.mount;
      if (keyNs === ns && !entry.mount && mountPath === clean) return null;
    }
    let mount: KvMount | null;
    try {
      const resp = await this.request({
        method: "GET",
        path: `sys/internal/ui/mounts/${clean}`,
        token: opts.token,
        namespace: ns,
      });
      mount = mountFromPreflight(resp?.data ?? null);
    } catch (e) {
      if (e instanceof VaultError && e.status === 404) {
        this.shared.mounts.set(cacheKey(ns, clean), {
          mount: null,
          expires: now + this.options.mountCacheTtl,
        });
        return null;
      }
      throw e;
    }
    if (mount.path) {
      this.shared.mounts.set(cacheKey(ns, mount.path), { mount, expires: now + this.options.mountCacheTtl });
    }
    return mount;
  }

  /** Forgets cached preflight answers (e.g. after mounts changed). */
  clearMountCache(): void {
    this.shared.mounts.clear();
  }

  /**
   * Consul Template's lenient preflight: any failure means "not KV v2" (reads log it as
   * `failed to check if <path> is KVv2, assume not: <err>`).
   */
  async kvMountLenient(
    path: string,
    opts: { token?: string; namespace?: string; warnOnError?: boolean } = {},
  ): Promise<KvMount | null> {
    try {
      return await this.mountInfo(path, opts);
    } catch (e) {
      if (opts.warnOnError) {
        this.shared.logger?.warn(`failed to check if ${path} is KVv2, assume not: ${(e as Error).message}`);
      }
      return null;
    }
  }

  /**
   * A read as a template's `secret "path"` does it: preflight, data/ rewrite on KV v2, `?k=v`
   * query, "no secret exists at" when nothing (or a deleted version) is there.
   */
  async kvRead(
    rawPath: string,
    opts: { token?: string; namespace?: string; version?: number; query?: Record<string, string> } = {},
  ): Promise<{ path: string; kv2: boolean; response: VaultResponse }> {
    const { path, query } = splitQuery(rawPath);
    if (path === "") throw new VaultError(0, [], "GET", rawPath, `vault.read: invalid format: "${rawPath}"`);
    const ns = opts.namespace ?? this.options.namespace;
    const mount = await this.kvMountLenient(path, { token: opts.token, namespace: ns, warnOnError: true });
    const kv2 = isKv2(mount);
    const target = kv2 && mount ? kv2DataPath(path, mount.path, ns) : path;
    const q = { ...query, ...(opts.query ?? {}) };
    if (opts.version !== undefined) q.version = String(opts.version);
    let resp: VaultResponse | null;
    try {
      resp = await this.request({ method: "GET", path: target, token: opts.token, namespace: ns, query: q });
    } catch (e) {
      if (!(e instanceof VaultError && e.status === 404)) throw e;
      resp = null;
    }
    const deleted = kv2 && resp && kvDeleted(resp, this.shared.clock.now());
    if (!resp || resp.data === null || deleted) {
      throw new VaultError(404, [], "GET", target, `no secret exists at ${target}`);
    }
    return { path: target, kv2, response: resp };
  }

  /** A LIST as a template's `secrets "path"` does it: metadata/ rewrite on KV v2, 404 = no keys. */
  async kvList(
    rawPath: string,
    opts: { token?: string; namespace?: string } = {},
  ): Promise<{ path: string; kv2: boolean; keys: string[] }> {
    const path = rawPath.trim().replace(/^\/+|\/+$/g, "");
    const ns = opts.namespace ?? this.options.namespace;
    const mount = await this.kvMountLenient(path, { token: opts.token, namespace: ns });
    const kv2 = isKv2(mount);
    const target = kv2 && mount ? kv2ListPath(path, mount.path, ns) : path;
    let resp: VaultResponse | null;
    try {
      resp = await this.request({ method: "LIST", path: target, token: opts.token, namespace: ns });
    } catch (e) {
      if (!(e instanceof VaultError && e.status === 404)) throw e;
      resp = null;
    }
    const raw = resp?.data?.keys;
    const keys = Array.isArray(raw) ? raw.filter((k): k is string => typeof k === "string").sort() : [];
    return { path: target, kv2, keys };
  }

  /** A write as a template's `secret "path" "k=v"` does it: data/ rewrite and {"data": …} on KV v2. */
  async kvWrite(
    rawPath: string,
    data: Record<string, unknown>,
    opts: { token?: string; namespace?: string; cas?: number } = {},
  ): Promise<{ path: string; kv2: boolean; response: VaultResponse | null }> {
    const path = rawPath.trim().replace(/^\/+|\/+$/g, "");
    const ns = opts.namespace ?? this.options.namespace;
    const mount = await this.kvMountLenient(path, { token: opts.token, namespace: ns });
    const kv2 = isKv2(mount);
    const target = kv2 && mount ? kv2DataPath(path, mount.path, ns) : path;
    const body = kv2 ? { data, ...(opts.cas !== undefined ? { options: { cas: opts.cas } } : {}) } : data;
    redactor.register(data);
    const response = await this.request({
      method: "PUT",
      path: target,
      body,
      token: opts.token,
      namespace: ns,
    });
    if (kv2 && !response) throw new VaultError(0, [], "PUT", target, `no secret exists at ${target}`);
    return { path: target, kv2, response };
  }

  // ---------------------------------------------------------------------------------------------
  // Response wrapping

  /** Any request, with its response wrapped for `ttl` (ms or a Go duration string). */
  wrapped(req: VaultRequest, ttl: number | string): Promise<VaultResponse | null> {
    const wrapTTL = typeof ttl === "number" ? formatGoDuration(ttl) : ttl;
    return this.request({ ...req, wrapTTL });
  }

  /**
   * Unwraps a response-wrapping token. Without `asToken` the wrapping token authenticates the
   * call itself (how the agent unwraps a secret-id); with it, the token goes in the body.
   */
  unwrap(wrappingToken: string, asToken?: string): Promise<VaultResponse | null> {
    redactor.register(wrappingToken);
    if (asToken && asToken !== wrappingToken) {
      return this.request({
        method: "PUT",
        path: "sys/wrapping/unwrap",
        token: asToken,
        body: { token: wrappingToken },
      });
    }
    return this.request({ method: "PUT", path: "sys/wrapping/unwrap", token: wrappingToken, body: {} });
  }

  /** creation_path / creation_time / creation_ttl of a wrapping token. */
  wrappingLookup(wrappingToken: string): Promise<VaultResponse | null> {
    redactor.register(wrappingToken);
    return this.request({ method: "GET", path: "sys/wrapping/lookup", token: wrappingToken });
  }

  // ---------------------------------------------------------------------------------------------
  // Leases and tokens

  /** PUT sys/leases/renew {lease_id, increment} (increment in seconds; 0 = the lease's own). */
  renewLease(leaseId: string, increment = 0, token?: string): Promise<VaultResponse | null> {
    return this.request({
      method: "PUT",
      path: "sys/leases/renew",
      token,
      body: { lease_id: leaseId, increment },
    });
  }

  revokeLease(leaseId: string, token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "PUT", path: "sys/leases/revoke", token, body: { lease_id: leaseId } });
  }

  lookupSelf(token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "GET", path: "auth/token/lookup-self", token });
  }

  /** PUT auth/token/renew-self {increment} (seconds; 0 = the token's own TTL). */
  renewSelf(increment = 0, token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "PUT", path: "auth/token/renew-self", token, body: { increment } });
  }

  revokeSelf(token?: string): Promise<VaultResponse | null> {
    return this.request({ method: "PUT", path: "auth/token/revoke-self", token, body: {} });
  }
}

function cacheKey(ns: string, mountPath: string): string {
  return `${ns}\u0000${mountPath}`;
}

function splitCacheKey(key: string): [string, string] {
  const i = key.indexOf("\u0000");
  return [key.slice(0, i), key.slice(i + 1)];
}

function pathUnderMount(path: string, mountPath: string, ns: string): boolean {
  const m = ns && mountPath.startsWith(ns) ? mountPath.slice(ns.length) : mountPath;
  const bare = m.replace(/\/$/, "");
  return path === bare || path.startsWith(`${bare}/`);
}

/** A KV v2 version whose deletion_time has passed (Consul Template's rule). */
function kvDeleted(resp: VaultResponse, now: number): boolean {
  const meta = (resp.data as { metadata?: { deletion_time?: unknown } } | null)?.metadata;
  const dt = meta?.deletion_time;
  if (typeof dt !== "string" || dt === "") return false;
  const t = Date.parse(dt);
  return Number.isFinite(t) && t <= now;
}

/** 412 (stale read), 429 (rate limit), 5xx except 501 — the api's retry policy. */
export function retryableStatus(status: number): boolean {
  return status === 412 || status === 429 || (status >= 500 && status !== 501) || status === 0;
}

/**
 * Connection-level failures are retried, except certificate problems: retrying cannot fix a CA
 * mismatch and only delays the error (go-retryablehttp does the same).
 */
export function retryableNetworkError(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? "");
  const msg = e instanceof Error ? e.message : String(e);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|TLS|SSL|HOSTNAME_MISMATCH/i.test(code)) return false;
  if (/certificate|self[- ]signed|unable to verify/i.test(msg)) return false;
  return true;
}
