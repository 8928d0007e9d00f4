/**
 * jwt: log in with a role and a JWT.
 *
 * Vault's behaviour (config.path): the file is read when the method is created, at every
 * authentication, and — once a JWT has been found — by a background ticker every jwt_read_period
 * (default 0.5 s when remove_jwt_after_reading is true, 1 min when false; Vault's code, not its
 * docs). The content is used as-is (not trimmed). An empty file keeps the previous JWT (warning),
 * a missing file silently means "nothing new". After a read the file is deleted unless
 * remove_jwt_after_reading = false (remove_jwt_follows_symlinks deletes the link's target instead
 * of the link). A changed JWT does not trigger a login; it is used at the next one.
 *
 * vaultrun extensions for CI (method.config keys):
 *   jwt_env = "VAR"         read the JWT from environment variable VAR at every login (GitLab CI:
 *                           the variable named in the job's `id_tokens:` block, e.g.
 *                           VAULT_ID_TOKEN; any CI that exports an OIDC token works the same).
 *   github_actions = true   fetch a fresh JWT from GitHub Actions' OIDC endpoint at every login:
 *                           GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<audience> with
 *                           `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answer
 *                           {"value": "<jwt>"}. Chosen automatically when `path` and `jwt_env` are
 *                           absent and both ACTIONS_ID_TOKEN_REQUEST_* variables are set (the job
 *                           needs `permissions: id-token: write`).
 *   audience = "aud"        the `aud` claim to request from GitHub (default: GitHub's own default).
 * Exactly one source is used: jwt_env, then github_actions, then path.
 */
import { lstatSync, readFileSync, realpathSync, rmSync } from "node:fs";
import type { Clock, Timer } from "../../clock/clock.ts";
import type { Logger } from "../../log/logger.ts";
import { redactor } from "../../log/redact.ts";
import type { AuthMethod, LoginRequest } from "../types.ts";
import { AuthConfigError, configBool, configDuration, configString, type MethodConfig } from "./config.ts";

export interface JwtDeps {
  env: Record<string, string | undefined>;
  clock: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** How long the GitHub OIDC request may take before the login attempt fails (and backs off). */
const OIDC_TIMEOUT_MS = 30_000;

export class JwtMethod implements AuthMethod {
  readonly type: string;
  private readonly role: string;
  private readonly source: "file" | "env" | "github";
  private readonly path: string;
  private readonly envVar: string;
  private readonly audience: string;
  private readonly removeAfterReading: boolean;
  private readonly followSymlinks: boolean;
  private readonly readPeriod: number;
  private latest = "";
  private ticker?: Timer;
  private stopped = false;

  constructor(
    private readonly mountPath: string,
    config: MethodConfig,
    private readonly deps: JwtDeps,
    type = "jwt",
  ) {
    this.type = type;
    this.role = configString(config, "role", true);
    this.path = configString(config, "path", false);
    this.envVar = configString(config, "jwt_env", false);
    this.audience = configString(config, "audience", false);
    const env = deps.env;
    const github =
      configBool(config, "github_actions", false) ||
      (!this.path &&
        !this.envVar &&
        !!env.ACTIONS_ID_TOKEN_REQUEST_URL &&
        !!env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    this.source = this.envVar ? "env" : github ? "github" : "file";
    if (this.source === "file" && !this.path) throw new AuthConfigError("missing 'path' value");
    this.removeAfterReading = configBool(config, "remove_jwt_after_reading", true);
    this.followSymlinks = configBool(config, "remove_jwt_follows_symlinks", false);
    this.readPeriod = configDuration(config, "jwt_read_period") || (this.removeAfterReading ? 500 : 60_000);
    if (this.source === "file") this.ingest();
  }

  async authenticate(): Promise<LoginRequest> {
    let jwt: string;
    if (this.source === "env") {
      jwt = this.deps.env[this.envVar] ?? "";
      if (jwt === "")
        throw new Error(`environment variable ${this.envVar} is empty or not set, cannot authenticate`);
      redactor.register(jwt);
    } else if (this.source === "github") {
      jwt = await this.fetchGithubToken();
    } else {
      this.ingest();
      if (this.latest === "") throw new Error("latest known jwt is empty, cannot authenticate");
      jwt = this.latest;
    }
    return { path: `${this.mountPath}/login`, body: { role: this.role, jwt } };
  }

  shutdown(): void {
    this.stopped = true;
    this.ticker?.cancel();
  }

  /** Reads the JWT file if there is one; never throws (problems are logged, as Vault does). */
  private ingest(): void {
    const log = this.deps.logger;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(this.path);
    } catch {
      return; // no file: nothing new
    }
    if (!st.isFile() && !st.isSymbolicLink()) {
      log?.error("jwt file is not a regular file or symlink", "path", this.path);
      return;
    }
    let content: string;
    try {
      content = readFileSync(this.path, "utf8");
    } catch (e) {
      log?.error("error reading jwt file", "path", this.path, "error", (e as Error).message);
      return;
    }
    if (content === "") {
      log?.warn("empty jwt file read", "path", this.path);
      return;
    }
    redactor.register(content);
    this.latest = content;
    if (this.removeAfterReading) this.remove(st.isSymbolicLink());
    this.startTicker();
  }

  private remove(isLink: boolean): void {
    try {
      const target = isLink && this.followSymlinks ? realpathSync(this.path) : this.path;
      rmSync(target);
    } catch (e) {
      this.deps.logger?.error("error removing jwt file", "path", this.path, "error", (e as Error).message);
    }
  }

  /** The background read starts once a JWT was found, so a consumed file is picked up promptly when replaced. */
  private startTicker(): void {
    if (this.ticker || this.stopped) return;
    const tick = () => {
      if (this.stopped) return;
      this.ingest();
      this.ticker = this.deps.clock.setTimer(this.readPeriod, tick);
    };
    this.ticker = this.deps.clock.setTimer(this.readPeriod, tick);
  }

  private async fetchGithubToken(): Promise<string> {
    const { env } = this.deps;
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
      throw new Error(
        "GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set (does the job have `permissions: id-token: write`?)",
      );
    }
    redactor.register(bearer);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new Error("GitHub Actions OIDC: ACTIONS_ID_TOKEN_REQUEST_URL is not a valid URL");
    }
    if (this.audience) target.searchParams.set("audience", this.audience);
    const abort = new AbortController();
    const timer = this.deps.clock.setTimer(OIDC_TIMEOUT_MS, () => abort.abort());
    let value: unknown;
    try {
      const res = await (this.deps.fetch ?? fetch)(target, {
        headers: { Authorization: `bearer ${bearer}`, Accept: "application/json" },
        signal: abort.signal,
      });
      if (!res.ok) throw new Error(`GitHub Actions OIDC: token request failed with HTTP ${res.status}`);
      try {
        value = ((await res.json()) as { value?: unknown } | null)?.value;
      } catch {
        throw new Error("GitHub Actions OIDC: the token response is not JSON");
      }
    } catch (e) {
      if (abort.signal.aborted) throw new Error("GitHub Actions OIDC: token request timed out");
      if ((e as Error).message.startsWith("GitHub Actions OIDC")) throw e;
      throw new Error(`GitHub Actions OIDC: token request failed: ${(e as Error).message}`);
    } finally {
      timer.cancel();
    }
    if (typeof value !== "string" || value === "")
      throw new Error('GitHub Actions OIDC: the response has no "value"');
    redactor.register(value);
    return value;
  }
}
