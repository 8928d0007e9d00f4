/**
 * createAuthMethod: the configured auto-auth method, validated with Vault's config errors
 * (`unknown auth method "<type>"`, `missing 'role' value`, …). The agent prefixes them with
 * `Error creating <type> auth method: `.
 */
import { type Clock, systemClock } from "../../clock/clock.ts";
import type { AuthMethodConfig } from "../../config/types.ts";
import type { Logger } from "../../log/logger.ts";
import type { TlsOptions } from "../../vault/types.ts";
import type { AuthMethod, VaultApi } from "../types.ts";
import { AppRoleMethod } from "./approle.ts";
import { CertMethod } from "./cert.ts";
import { AuthConfigError } from "./config.ts";
import { JwtMethod } from "./jwt.ts";
import { KubernetesMethod } from "./kubernetes.ts";
import { LdapMethod } from "./ldap.ts";
import { TokenFileMethod } from "./token-file.ts";
import { UserpassMethod } from "./userpass.ts";

export type { AuthMethod, LoginRequest, VaultApi } from "../types.ts";
export { AuthConfigError } from "./config.ts";

export interface MethodDeps {
  /** The auth client (approle's wrapped secret_id lookup/unwrap goes through it). */
  api: VaultApi;
  /** cert: a client already built with the method's own TLS options. */
  certApi?: VaultApi;
  /** cert: builds a client for the method's TLS options (used when certApi is absent). */
  tlsClient?: (tls: TlsOptions) => VaultApi;
  env: Record<string, string | undefined>;
  /** jwt's file ticker and the GitHub OIDC timeout. */
  clock?: Clock;
  logger?: Logger;
  /** GitHub Actions OIDC requests (tests may pass their own). */
  fetch?: typeof fetch;
}

export function createAuthMethod(cfg: AuthMethodConfig, deps: MethodDeps): AuthMethod {
  const config = cfg.config;
  if (!config) throw new AuthConfigError("empty config data");
  const mount = (cfg.mountPath || `auth/${cfg.type}`).replace(/\/+$/, "");
  const logger = deps.logger?.named(`auth.${cfg.type}`);
  const namespace = cfg.namespace || undefined;
  switch (cfg.type) {
    case "token_file":
      return new TokenFileMethod(config, logger);
    case "approle":
      return new AppRoleMethod(mount, config, deps.api, namespace, logger);
    case "jwt":
      return new JwtMethod(mount, config, {
        env: deps.env,
        clock: deps.clock ?? systemClock,
        logger,
        fetch: deps.fetch,
      });
    case "kubernetes":
      return new KubernetesMethod(mount, config);
    case "cert":
      return new CertMethod(mount, config, { certApi: deps.certApi, tlsClient: deps.tlsClient, logger });
    case "userpass":
      return new UserpassMethod(mount, config, logger);
    case "ldap":
      return new LdapMethod(mount, config, logger);
    default:
      throw new AuthConfigError(`unknown auth method "${cfg.type}"`);
  }
}
