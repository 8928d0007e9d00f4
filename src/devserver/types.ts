/**
 * Contract between the dev server's core (HTTP, routing, token store, ACL, leases, wrapping,
 * mount tables — src/devserver/core/) and its pluggable backends (secret engines and auth methods —
 * src/devserver/engines/, src/devserver/auth/). The core owns all state that spans backends.
 * Durations here are seconds, as in Vault's API.
 */
import type { Clock } from "../clock/clock.ts";

export type Operation = "read" | "list" | "create" | "update" | "delete" | "patch";

export interface TokenEntry {
  id: string;
  accessor: string;
  policies: string[];
  meta: Record<string, string> | null;
  displayName: string;
  path: string; // creation path, e.g. "auth/approle/login"
  ttl: number; // seconds, 0 = no expiry (root)
  explicitMaxTTL: number;
  period: number;
  numUses: number; // 0 = unlimited
  renewable: boolean;
  type: "service" | "batch";
  orphan: boolean;
  parent: string;
  entityId: string;
  issueTime: number; // ms
  expireTime: number | null; // ms, null = never
  /** Hard cap from max TTL (ms), null = none. */
  maxExpireTime: number | null;
}

export interface IssueTokenOptions {
  policies: string[];
  meta?: Record<string, string>;
  displayName?: string;
  ttl?: number; // seconds; 0 → mount/system default (768h)
  maxTTL?: number;
  explicitMaxTTL?: number;
  period?: number;
  numUses?: number;
  renewable?: boolean;
  type?: "service" | "batch";
  noParent?: boolean;
  entityAlias?: string;
}

/** The `auth` object returned by a login. */
export interface AuthResult {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: string;
  orphan: boolean;
  mfa_requirement: null;
  num_uses: number;
}

export interface BackendRequest {
  operation: Operation;
  /** HTTP method as sent (GET, PUT, POST, DELETE, LIST, PATCH). */
  method: string;
  /** Path relative to the mount, no leading slash ("data/foo", "login", "role/web/secret-id"). */
  path: string;
  /** Full API path after /v1/ ("secret/data/foo"). */
  fullPath: string;
  mountPath: string; // "secret/", "auth/approle/"
  body: Record<string, unknown>;
  query: Record<string, string>;
  /** The caller's token entry (null on unauthenticated login paths). */
  token: TokenEntry | null;
  /** DER of the TLS client certificate, when the connection presented one (cert auth). */
  peerCertificateDer?: Uint8Array;
  headers: Headers;
  /** The request's namespace ("" = root, else "ns1/" form), from X-Vault-Namespace. */
  namespace?: string;
}

export interface LeaseOptions {
  ttl: number; // seconds
  maxTTL?: number;
  renewable: boolean;
  /** Called on revoke / expiry so the engine can invalidate credentials. */
  onRevoke?: () => void;
  /** Called on renew; returns the granted TTL (seconds) or throws a BackendError. */
  onRenew?: (increment: number) => number;
}

export interface BackendResponse {
  status?: number; // default 200, or 204 when nothing is returned
  data?: Record<string, unknown> | null;
  /** Creates a lease for this response (lease_id = "<fullPath>/<random>"). */
  lease?: LeaseOptions;
  auth?: AuthResult;
  /** lease_duration of a response without a lease (KV v1's `ttl`), seconds. */
  leaseDuration?: number;
  warnings?: string[];
  /** A response that bypasses Vault's envelope (e.g. pki/ca/pem). */
  raw?: { status: number; body: string | Uint8Array; contentType: string };
}

/** An error with Vault's shape: {"errors":[message]} and this status. */
export class BackendError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the core gives to every backend. */
export interface CoreServices {
  clock: Clock;
  issueToken(opts: IssueTokenOptions, creationPath: string): AuthResult;
  randomId(): string; // UUID
  log(message: string): void;
}

export interface Backend {
  /** "kv", "pki", "database", "approle", "userpass", … */
  readonly type: string;
  /** Paths (relative to the mount, glob with trailing "*") callable without a token. */
  readonly unauthenticatedPaths?: string[];
  handle(req: BackendRequest): Promise<BackendResponse> | BackendResponse;
}

export type BackendFactory = (
  core: CoreServices,
  mountPath: string,
  options: Record<string, unknown>,
) => Backend;
