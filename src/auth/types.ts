/**
 * The seam between auto-auth and the Vault client. Auth code needs exactly one method of the
 * client; keeping it to this interface lets VaultClient (src/vault/client.ts) satisfy it
 * structurally and keeps src/auth free of the client's construction details.
 */
import type { TlsOptions, VaultRequest, VaultResponse } from "../vault/types.ts";

export interface VaultApi {
  request(req: VaultRequest): Promise<VaultResponse | null>;
}

/** What a method asks the handler to send. */
export interface LoginRequest {
  /** API path without /v1/, e.g. "auth/approle/login". */
  path: string;
  body: unknown;
  headers?: Record<string, string>;
  /** token_file: authenticate by looking up this token (GET auth/token/lookup-self) instead of a login. */
  lookupToken?: string;
  /** cert: the method's own TLS settings (ca_cert/client_cert/client_key) for the login request. */
  tls?: TlsOptions;
  /** cert: a client built with `tls`; the handler sends the login through it when present. */
  api?: VaultApi;
}

export interface AuthMethod {
  /** The method type ("approle", "jwt", …). */
  readonly type: string;
  /** Reads the credentials (files, env, OIDC endpoint) and returns the login to send. */
  authenticate(): Promise<LoginRequest>;
  /** Releases background work (the jwt file ticker). */
  shutdown?(): void;
}
