/**
 * The Vault HTTP client's contract, used by auth, dependency/watch, sinks and the CLI commands.
 * Implementation: ./client.ts (built on ky). Response bodies are decoded with JsonNumber leaves
 * (src/common/json.ts) so template data keeps Go's json.Number semantics.
 */

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "LIST" | "PATCH" | "HEAD";

export interface VaultRequest {
  method: HttpMethod;
  /** API path without the /v1/ prefix, e.g. "secret/data/foo" or "auth/token/lookup-self". */
  path: string;
  /** X-Vault-Token; omitted when undefined. */
  token?: string;
  /** X-Vault-Namespace (canonical form); overrides the client default when given. */
  namespace?: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Response wrapping TTL as a Go duration string ("5m0s"); sets X-Vault-Wrap-TTL. */
  wrapTTL?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the client's retry count for this request (auth logins use 0). */
  retries?: number;
}

/** Vault's response envelope (sys/… responses without an envelope come back in `data`). */
export interface VaultResponse {
  request_id: string;
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: Record<string, unknown> | null;
  wrap_info: WrapInfo | null;
  warnings: string[] | null;
  auth: VaultAuth | null;
  mount_type?: string;
}

export interface WrapInfo {
  token: string;
  accessor: string;
  ttl: number;
  creation_time: string;
  creation_path: string;
  wrapped_accessor?: string;
}

export interface VaultAuth {
  client_token: string;
  accessor: string;
  policies: string[] | null;
  token_policies?: string[] | null;
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id?: string;
  token_type?: string;
  orphan?: boolean;
  num_uses?: number;
}

export interface TlsOptions {
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  skipVerify?: boolean;
  serverName?: string;
}

export interface ClientOptions {
  /** http(s)://host:port or unix:///path/to/socket */
  address: string;
  namespace?: string;
  tls?: TlsOptions;
  /** Retries on 412/429/5xx/network errors (Vault default 2 for the CLI, 12 for the agent). */
  maxRetries?: number;
  minRetryWait?: number; // ms, default 1000
  maxRetryWait?: number; // ms, default 1500
  timeout?: number; // ms per request, default 60s
  maxConnectionsPerHost?: number; // 0 = unlimited
  disableKeepAlives?: boolean;
  userAgent?: string;
  headers?: Record<string, string>;
}
