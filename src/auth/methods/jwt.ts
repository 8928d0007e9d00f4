/**
 * jwt: the JWT from a file (as read — not trimmed, like Vault; removed after reading by
 * default), or — vaultrun extensions for CI — from an environment variable (`jwt_env`, e.g.
 * GitLab's `VAULT_ID_TOKEN`) or from GitHub Actions' OIDC endpoint (`github_actions = true`, or
 * automatically when no `path` is set and ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN are present;
 * `audience` sets the token's aud).
 */
import { redactor } from "../../log/redact.ts";
import { CachedFile } from "./files.ts";
import { type AuthMethod, AuthConfigError, configBool, configString, type LoginRequest } from "./types.ts";

export class JwtMethod implements AuthMethod {
  readonly type: string;
  private role: string;
  private file?: CachedFile;
  private envVar: string;
  private github: boolean;
  private audience: string;

  constructor(
    private readonly mountPath: string,
    config: Record<string, unknown>,
    private readonly env: Record<string, string | undefined>,
    type = "jwt",
  ) {
    this.type = type;
    this.role = configString(config, "role", true);
    const path = configString(config, "path", false);
    this.envVar = configString(config, "jwt_env", false);
    this.audience = configString(config, "audience", false);
    this.github =
      configBool(config, "github_actions", false) ||
      (!path && !this.envVar && !!env.ACTIONS_ID_TOKEN_REQUEST_URL && !!env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    if (path) this.file = new CachedFile(path, { trim: false, remove: configBool(config, "remove_jwt_after_reading", true), what: "jwt" });
    if (!path && !this.envVar && !this.github) throw new AuthConfigError("missing 'path' value");
  }

  async authenticate(): Promise<LoginRequest> {
    let jwt: string;
    if (this.envVar) {
      jwt = this.env[this.envVar] ?? "";
      if (!jwt) throw new Error(`environment variable ${this.envVar} is empty, cannot authenticate`);
    } else if (this.github) jwt = await this.githubToken();
    else jwt = this.file!.read();
    redactor.register(jwt);
    return { path: `${this.mountPath}/login`, body: { role: this.role, jwt } };
  }

  private async githubToken(): Promise<string> {
    const url = this.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = this.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
      throw new Error("GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN are not set (does the job have `permissions: id-token: write`?)");
    }
    const u = new URL(url);
    if (this.audience) u.searchParams.set("audience", this.audience);
    const res = await fetch(u, { headers: { Authorization: `bearer ${bearer}`, Accept: "application/json" } });
    if (!res.ok) throw new Error(`GitHub Actions OIDC: token request failed with status ${res.status}`);
    const value = ((await res.json()) as { value?: unknown }).value;
    if (typeof value !== "string" || value === "") throw new Error("GitHub Actions OIDC: response has no token");
    return value;
  }
}
