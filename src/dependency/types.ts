/**
 * A dependency is one thing a template asked Vault for — `secret` (read or write), `secrets`
 * (list) or `pkiCert` — identified by DependencyRequest.key. Fetching it is all it knows; when to
 * fetch again is decided by src/watch from the response (or the plan a dependency returns).
 */
import type { DependencyRequest } from "../template/api.ts";
import type { RefreshPlan } from "../watch/schedule.ts";
import type { VaultRequest, VaultResponse } from "../vault/types.ts";

/** The one method of the Vault client the dependency layer needs. */
export interface VaultApi {
  request(req: VaultRequest): Promise<VaultResponse | null>;
}

export interface FetchContext {
  api: VaultApi;
  token: string;
  namespace?: string;
  signal?: AbortSignal;
  /** ms since epoch, from the watcher's clock. */
  now: number;
}

export interface FetchResult {
  /** What the template sees (a Secret, a list of keys, a PemEncoded). */
  value: unknown;
  /** The raw response, for refresh planning; null for dependencies that plan themselves. */
  response: VaultResponse | null;
  /** Set by dependencies whose refresh does not follow the secret decision table. */
  plan?: RefreshPlan;
  /** Nothing changed since the last fetch (a polled local file): keep the value, render nothing. */
  unchanged?: boolean;
}

export interface Dependency {
  readonly request: DependencyRequest;
  /**
   * A local dependency (a file): needs no token, and a failure is reported at once with no retry
   * budget (Consul Template's RetryFuncDefault is nil); it is polled again on its own plan.
   */
  readonly local?: { pollMs: number };
  fetch(ctx: FetchContext): Promise<FetchResult>;
  /** Drops per-instance caches (the KV preflight answer) — called when the token changes. */
  reset?(): void;
}

/** A fetch failure with Consul Template's text, e.g. `vault.read(secret/x): no secret exists at secret/data/x`. */
export class DependencyError extends Error {
  constructor(
    message: string,
    /** HTTP status when the failure came from Vault. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "DependencyError";
  }
}
