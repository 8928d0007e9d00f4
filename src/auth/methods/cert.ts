/**
 * cert: TLS client-certificate login. With its own ca_cert or client_cert + client_key the method
 * logs in through a dedicated client built from those TLS options (rebuilt at every login when
 * `reload = true`, so rotated certificates are picked up); otherwise the main client's TLS
 * (vault.client_cert/client_key) is used. `name` selects the trusted certificate role.
 */
import type { Logger } from "../../log/logger.ts";
import type { TlsOptions } from "../../vault/types.ts";
import type { AuthMethod, LoginRequest, VaultApi } from "../types.ts";
import { configBool, configString, type MethodConfig } from "./config.ts";

export interface CertDeps {
  /** A client already built with the method's TLS options (the agent's wiring). */
  certApi?: VaultApi;
  /** Builds a client for TLS options; used when certApi is absent, and for `reload`. */
  tlsClient?: (tls: TlsOptions) => VaultApi;
  logger?: Logger;
}

export class CertMethod implements AuthMethod {
  readonly type = "cert";
  private readonly name: string;
  private readonly tls?: TlsOptions;
  private readonly reload: boolean;
  private client?: VaultApi;

  constructor(
    private readonly mountPath: string,
    config: MethodConfig,
    private readonly deps: CertDeps,
  ) {
    this.name = configString(config, "name", false);
    const caCert = configString(config, "ca_cert", false);
    const clientCert = configString(config, "client_cert", false);
    const clientKey = configString(config, "client_key", false);
    this.reload = configBool(config, "reload", false);
    if (caCert || (clientCert && clientKey)) {
      this.tls = {
        ...(caCert ? { caCert } : {}),
        ...(clientCert && clientKey ? { clientCert, clientKey } : {}),
      };
    } else if (clientCert || clientKey) {
      // Vault ignores a lone half silently; say so instead of failing the login mysteriously.
      deps.logger?.warn(
        "cert auth: client_cert and client_key must both be set; using the main client's TLS settings",
      );
    }
    this.client = deps.certApi;
  }

  async authenticate(): Promise<LoginRequest> {
    const body = this.name ? { name: this.name } : {};
    const req: LoginRequest = { path: `${this.mountPath}/login`, body };
    if (!this.tls) return req;
    req.tls = this.tls;
    if (this.deps.tlsClient && (!this.client || this.reload)) this.client = this.deps.tlsClient(this.tls);
    if (this.client) req.api = this.client;
    return req;
  }
}
