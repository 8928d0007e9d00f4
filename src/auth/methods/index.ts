import type { AuthMethodConfig } from "../../config/types.ts";
import type { VaultApi } from "../../dependency/types.ts";
import { AppRoleMethod } from "./approle.ts";
import { JwtMethod } from "./jwt.ts";
import { CertMethod, KubernetesMethod, PasswordMethod } from "./others.ts";
import { TokenFileMethod } from "./token-file.ts";
import type { AuthMethod } from "./types.ts";

export type { AuthMethod, LoginRequest } from "./types.ts";

export interface MethodDeps {
  api: VaultApi;
  /** A client with the method's own TLS settings (cert method); defaults to `api`. */
  certApi?: VaultApi;
  env: Record<string, string | undefined>;
}

/** Builds the configured method; throws Vault's config errors. */
export function createAuthMethod(cfg: AuthMethodConfig, deps: MethodDeps): AuthMethod {
  const c = cfg.config ?? {};
  switch (cfg.type) {
    case "token_file":
      return new TokenFileMethod(c);
    case "approle":
      return new AppRoleMethod(cfg.mountPath, c, deps.api);
    case "jwt":
    case "oidc":
      return new JwtMethod(cfg.mountPath, c, deps.env, cfg.type);
    case "kubernetes":
      return new KubernetesMethod(cfg.mountPath, c);
    case "userpass":
    case "ldap":
      return new PasswordMethod(cfg.type, cfg.mountPath, c);
    case "cert":
      return new CertMethod(cfg.mountPath, c, deps.certApi ?? deps.api);
    default:
      throw new Error(`unknown auth method "${cfg.type}"`);
  }
}
