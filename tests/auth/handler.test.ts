/**
 * The auth handler end to end: real methods, the real Vault client and the in-process dev server
 * over HTTP on 127.0.0.1, all timing on one FakeClock (random pinned at 0.5).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuthHandler, type TokenInfo } from "../../src/auth/handler.ts";
import { createAuthMethod } from "../../src/auth/methods/index.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import type { AuthMethodConfig } from "../../src/config/types.ts";
import type { Logger, MemorySink } from "../../src/log/logger.ts";
import { redactor } from "../../src/log/redact.ts";
import { VaultClient } from "../../src/vault/client.ts";
import type { TlsOptions } from "../../src/vault/types.ts";
import { githubClaims, signJwt, testKey } from "../devserver/backends/jwt-helpers.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";
import { memoryLogger, tempDir, until } from "./helpers.ts";

let dir: string;
let server: DevServer;
let clock: FakeClock;
let api: VaultClient;
let logs: MemorySink;
let logger: Logger;

async function setup(opts: { tls?: boolean } = {}) {
  // The Vault client taints whole response data (lookup-self's display_name "token" included);
  // start every test from a clean registry so earlier tests cannot garble this one's log lines.
  redactor.clear();
  dir = tempDir();
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  server = await startDevServer({ clock, ...opts });
  api = new VaultClient(
    {
      address: server.address,
      maxRetries: 0,
      tls: server.caCertPath ? { caCert: server.caCertPath } : undefined,
    },
    { clock },
  );
  ({ logger, sink: logs } = memoryLogger(clock));
}
async function teardown() {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

function method(
  type: string,
  config: Record<string, unknown>,
  over: Partial<AuthMethodConfig> = {},
): AuthMethodConfig {
  return {
    type,
    mountPath: `auth/${type}`,
    namespace: "",
    wrapTTL: 0,
    minBackoff: 0,
    maxBackoff: 0,
    exitOnErr: false,
    config,
    ...over,
  };
}

function handler(cfg: AuthMethodConfig, env: Record<string, string | undefined> = {}, extra = {}) {
  const m = createAuthMethod(cfg, { api, env, clock, logger, ...extra });
  return new AuthHandler({ method: m, config: cfg, api, clock, logger, random: () => 0.5 });
}

const count = (text: string) => logs.lines.filter((l) => l.includes(text)).length;

/** Starts the handler and collects what it delivers. */
function start(h: AuthHandler) {
  const got: Array<{ token: string; info: TokenInfo }> = [];
  let error: unknown;
  let finished = false;
  const done = h
    .run((token, info) => got.push({ token, info }))
    .then(
      () => (finished = true),
      (e) => {
        error = e;
        finished = true;
      },
    );
  return {
    got,
    done,
    get error() {
      return error;
    },
    get finished() {
      return finished;
    },
    tokens: () => got.map((g) => g.token),
  };
}

/** Idle = no request in flight (the last log line is not "authenticating") and a timer scheduled. */
const idle = () => clock.pendingTimers() > 0;

describe("auto-auth against the dev server", () => {
  beforeEach(() => setup());
  afterEach(() => teardown());

  test("token_file: the root token is used as is, never renewed, the file never deleted", async () => {
    writeFileSync(join(dir, "token"), `${server.rootToken}\n`);
    const h = handler(method("token_file", { token_file_path: join(dir, "token") }));
    const run = start(h);
    await until(
      () => count("not starting token renewal process, as token has unlimited TTL") === 1,
      "no renewal",
    );
    expect(run.tokens()).toEqual([server.rootToken]);
    expect(existsSync(join(dir, "token"))).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    expect(logs.text()).toContain(
      "[INFO]  agent.auth.handler: authentication successful, sending token to sinks",
    );
    h.stop();
    await run.done;
  });

  test("token_file with an expiring token: renewed; when it can no longer be, the same token is not re-sent", async () => {
    const child = (
      await vault(server, "POST", "auth/token/create", {
        ttl: "60s",
        explicit_max_ttl: "100s",
        display_name: "ci-agent",
      })
    ).json.auth.client_token;
    writeFileSync(join(dir, "token"), child);
    const h = handler(method("token_file", { token_file_path: join(dir, "token") }));
    const run = start(h);
    await until(() => count("renewed auth token") === 1 && idle(), "first renewal");
    // 43 s: renewed (57 s left, capped by the max TTL); 84 s: renewed to 16 s, which is inside the
    // grace window → watcher done → logs in again with the same file token.
    await clock.runNext();
    await until(() => count("renewed auth token") === 2 && idle(), "second renewal");
    expect(count("lifetime watcher done channel triggered")).toBe(0);
    await clock.runNext();
    await until(
      () =>
        count("lifetime watcher done channel triggered") === 1 && count("renewed auth token") === 4 && idle(),
      "re-login",
    );
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBe(84_000);
    expect(run.tokens()).toEqual([child]);
    expect(count("authentication successful, sending token to sinks")).toBe(2);
    h.stop();
    await run.done;
  });

  test("token_file: missing file is a clear error, retried with backoff", async () => {
    const h = handler(method("token_file", { token_file_path: join(dir, "nope") }));
    const run = start(h);
    await until(() => count("error getting path or data from method") === 1 && idle(), "the failure");
    expect(logs.text()).toContain("error reading token file and no cached token known: ENOENT");
    expect(logs.text()).toContain("backoff=875ms");
    h.stop();
    await run.done;
  });

  test("approle: secret_id file removed after reading, cached for re-logins; reauthenticate() logs in again", async () => {
    await vault(server, "POST", "sys/auth/approle", { type: "approle" });
    await vault(server, "POST", "auth/approle/role/web", { token_policies: "default", token_ttl: "1h" });
    const roleId = (await vault(server, "GET", "auth/approle/role/web/role-id")).json.data.role_id;
    const secretId = (await vault(server, "POST", "auth/approle/role/web/secret-id")).json.data.secret_id;
    writeFileSync(join(dir, "role_id"), `${roleId}\n`);
    writeFileSync(join(dir, "secret_id"), `${secretId}\n`);
    const h = handler(
      method("approle", {
        role_id_file_path: join(dir, "role_id"),
        secret_id_file_path: join(dir, "secret_id"),
      }),
    );
    const run = start(h);
    await until(() => run.got.length === 1 && idle(), "login");
    expect(existsSync(join(dir, "secret_id"))).toBe(false);
    expect(existsSync(join(dir, "role_id"))).toBe(true);
    h.reauthenticate();
    await until(() => run.got.length === 2 && idle(), "second login");
    expect(run.tokens()[1]).not.toBe(run.tokens()[0]);
    const self = await vault(server, "GET", "auth/token/lookup-self", undefined, run.tokens()[1]);
    expect(self.json.data.path).toBe("auth/approle/login");
    expect(logs.text()).not.toContain(secretId);
    h.stop();
    await run.done;
  });

  test("approle with a response-wrapped secret_id; a token wrapped elsewhere is refused", async () => {
    await vault(server, "POST", "sys/auth/approle", { type: "approle" });
    await vault(server, "POST", "auth/approle/role/web", { token_policies: "default", token_ttl: "1h" });
    const roleId = (await vault(server, "GET", "auth/approle/role/web/role-id")).json.data.role_id;
    const wrapSecretId = () =>
      fetch(`${server.address}/v1/auth/approle/role/web/secret-id`, {
        method: "POST",
        headers: { "X-Vault-Token": server.rootToken, "X-Vault-Wrap-TTL": "5m" },
      })
        .then((r) => r.json() as Promise<{ wrap_info: { token: string } }>)
        .then((j) => j.wrap_info.token);
    writeFileSync(join(dir, "role_id"), roleId);
    writeFileSync(join(dir, "secret_id"), await wrapSecretId());
    const cfg = method("approle", {
      role_id_file_path: join(dir, "role_id"),
      secret_id_file_path: join(dir, "secret_id"),
      secret_id_response_wrapping_path: "auth/approle/role/web/secret-id",
    });
    const h = handler(cfg);
    const run = start(h);
    await until(() => run.got.length === 1 && idle(), "login");
    expect(existsSync(join(dir, "secret_id"))).toBe(false);
    h.stop();
    await run.done;

    writeFileSync(join(dir, "secret_id"), await wrapSecretId());
    const strict = handler({
      ...cfg,
      config: { ...cfg.config, secret_id_response_wrapping_path: "auth/approle/role/other/secret-id" },
    });
    const bad = start(strict);
    await until(() => count("error getting path or data from method") === 1 && idle(), "refusal");
    expect(logs.text()).toContain("SECURITY: unable to validate wrapping token creation path");
    expect(logs.text()).toContain("unable to validate wrapping token creation path");
    expect(bad.got).toEqual([]);
    strict.stop();
    await bad.done;
  });

  test("renewal at ~2/3 and re-authentication when the max TTL nears", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(server, "POST", "auth/userpass/users/ci", {
      password: "pw-for-ci",
      token_ttl: "90s",
      token_max_ttl: "200s",
    });
    const h = handler(method("userpass", { username: "ci", password: "pw-for-ci" }));
    const run = start(h);
    await until(() => count("renewed auth token") === 1 && idle(), "first renewal");
    // grace = 15 % of 90 s = 13.5 s; sleep = 2/3·90 s + 13.5 s/3 = 64.5 s
    expect(clock.nextTimerIn()).toBe(64_500);
    await clock.advance(64_000);
    expect(count("renewed auth token")).toBe(1);
    await clock.advance(500);
    await until(() => count("renewed auth token") === 2 && idle(), "second renewal");
    // 129 s: renewed, capped at 71 s → sleep 47.3 s + 4.5 s; at 180.8 s only 19 s are left, inside
    // the grace window → finished → new login at once.
    await clock.runNext();
    await until(() => count("renewed auth token") === 3 && idle(), "third renewal");
    expect(run.got.length).toBe(1);
    await clock.runNext();
    await until(() => run.got.length === 2 && idle(), "re-login");
    expect(Math.floor(clock.now() - Date.UTC(2026, 0, 1))).toBe(180_833);
    expect(run.tokens()[1]).not.toBe(run.tokens()[0]);
    expect(logs.text()).toContain("lifetime watcher done channel triggered");
    h.stop();
    await run.done;
  });

  test("failures back off with Vault's jittered doubling; exit_on_err makes the first failure fatal", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    const bad = method("userpass", { username: "nobody", password: "wrong-password" });
    const h = handler(bad);
    const run = start(h);
    await until(() => count("error authenticating") === 1 && idle(), "first failure");
    expect(clock.nextTimerIn()).toBe(875); // 1 s − 12.5 %
    await clock.advance(875);
    await until(() => count("error authenticating") === 2 && idle(), "second failure");
    expect(clock.nextTimerIn()).toBe(1531); // 2·875 ms − 12.5 %
    h.stop();
    await run.done;
    expect(run.error).toBeUndefined();

    const fatal = start(handler({ ...bad, exitOnErr: true }));
    await fatal.done;
    expect(String(fatal.error)).toContain("AuthHandlerError: error authenticating:");
    expect(String(fatal.error)).toContain("invalid username or password");
    expect(clock.pendingTimers()).toBe(0);
  });

  test("min_backoff > max_backoff fails at start", async () => {
    const run = start(
      handler(
        method("userpass", { username: "u", password: "pass" }, { minBackoff: 10_000, maxBackoff: 1000 }),
      ),
    );
    await run.done;
    expect(String(run.error)).toContain("auth handler: min_backoff cannot be greater than max_backoff");
  });

  test("method wrap_ttl: the wrap_info JSON is delivered, then the handler pauses", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(server, "POST", "auth/userpass/users/ci", { password: "pw-for-ci", token_ttl: "90s" });
    const h = handler(method("userpass", { username: "ci", password: "pw-for-ci" }, { wrapTTL: 120_000 }));
    const run = start(h);
    await until(() => run.got.length === 1, "the wrapped token");
    expect(run.got[0]!.info.wrapped).toBe(true);
    const info = JSON.parse(run.got[0]!.token);
    expect(info.ttl).toBe(120);
    expect(info.creation_path).toBe("auth/userpass/login/ci");
    expect(logs.text()).toContain("authentication successful, sending wrapped token to sinks and pausing");
    expect(clock.pendingTimers()).toBe(0); // no renewal, no re-login
    const un = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, info.token);
    expect(un.json.auth.client_token).toStartWith("hvs.");
    h.stop();
    await run.done;
  });

  test("stops via an AbortSignal", async () => {
    writeFileSync(join(dir, "token"), server.rootToken);
    const abort = new AbortController();
    const cfg = method("token_file", { token_file_path: join(dir, "token") });
    const h = new AuthHandler({
      method: createAuthMethod(cfg, { api, env: {} }),
      config: cfg,
      api,
      clock,
      logger,
      signal: abort.signal,
    });
    const run = start(h);
    await until(() => run.got.length === 1, "login");
    abort.abort();
    await run.done;
    expect(run.finished).toBe(true);
  });

  test("jwt from a file (removed after reading), from an environment variable, from a GitHub-style OIDC endpoint", async () => {
    const key = testKey("ES256");
    await vault(server, "POST", "sys/auth/jwt", { type: "jwt" });
    await vault(server, "POST", "auth/jwt/config", {
      jwt_validation_pubkeys: [key.publicPem],
      bound_issuer: "https://token.actions.githubusercontent.com",
    });
    await vault(server, "POST", "auth/jwt/role/ci", {
      role_type: "jwt",
      user_claim: "actor",
      bound_audiences: "vault",
      bound_claims: { repository: "org/app" },
      token_policies: "default",
    });
    const jwt = signJwt(key, githubClaims(Math.floor(clock.now() / 1000), { aud: "vault" }));

    writeFileSync(join(dir, "jwt"), jwt);
    const fromFile = handler(method("jwt", { role: "ci", path: join(dir, "jwt") }));
    expect(existsSync(join(dir, "jwt"))).toBe(false); // read (and removed) when the method is created
    const f = start(fromFile);
    await until(() => f.got.length === 1 && idle(), "file login");
    expect(f.tokens()[0]).toStartWith("hvs.");
    fromFile.stop();
    await f.done;

    const fromEnv = handler(method("jwt", { role: "ci", jwt_env: "VAULT_ID_TOKEN" }), {
      VAULT_ID_TOKEN: jwt,
    });
    const a = start(fromEnv);
    await until(() => a.got.length === 1, "env login");
    fromEnv.stop();
    await a.done;

    let audience = "";
    let auth = "";
    const oidc = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        auth = req.headers.get("authorization") ?? "";
        if (auth !== "bearer request-token") return new Response("no", { status: 401 });
        const u = new URL(req.url);
        audience = u.searchParams.get("audience") ?? "";
        if (u.searchParams.get("api-version") !== "2.0") return new Response("bad", { status: 400 });
        return Response.json({ value: jwt });
      },
    });
    try {
      const env = {
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${oidc.port}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      };
      const gh = handler(method("jwt", { role: "ci", audience: "vault" }), env);
      const b = start(gh);
      await until(() => b.got.length === 1, "GitHub login");
      expect(audience).toBe("vault");
      gh.stop();
      await b.done;

      const wrong = handler(method("jwt", { role: "ci", github_actions: true }), {
        ...env,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "other-token",
      });
      const c = start(wrong);
      await until(
        () => count("GitHub Actions OIDC: token request failed with HTTP 401") === 1,
        "OIDC failure",
      );
      wrong.stop();
      await c.done;
    } finally {
      oidc.stop(true);
    }
    expect(logs.text()).not.toContain(jwt);
  });

  test("kubernetes: the service-account token file, trimmed", async () => {
    const cluster = testKey("RS256", "");
    await vault(server, "POST", "sys/auth/kubernetes", { type: "kubernetes" });
    await vault(server, "POST", "auth/kubernetes/config", {
      kubernetes_host: "https://10.0.0.1",
      pem_keys: [cluster.publicPem],
    });
    await vault(server, "POST", "auth/kubernetes/role/app", {
      bound_service_account_names: "app",
      bound_service_account_namespaces: "prod",
      token_policies: "default",
    });
    const now = Math.floor(clock.now() / 1000);
    const sa = signJwt(cluster, {
      iss: "kubernetes/serviceaccount",
      sub: "system:serviceaccount:prod:app",
      iat: now,
      exp: now + 3600,
      "kubernetes.io/serviceaccount/namespace": "prod",
      "kubernetes.io/serviceaccount/service-account.name": "app",
      "kubernetes.io/serviceaccount/service-account.uid": "uid-app",
    });
    writeFileSync(join(dir, "sa"), `${sa}\n`);
    const h = handler(method("kubernetes", { role: "app", token_path: join(dir, "sa") }));
    const run = start(h);
    await until(() => run.got.length === 1, "login");
    expect(readFileSync(join(dir, "sa"), "utf8")).toBe(`${sa}\n`); // never removed
    h.stop();
    await run.done;
  });

  test("no secret in any log line", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(server, "POST", "auth/userpass/users/ci", { password: "pw-for-ci", token_ttl: "1h" });
    const h = handler(method("userpass", { username: "ci", password: "pw-for-ci" }));
    const run = start(h);
    await until(() => run.got.length === 1 && count("renewed auth token") === 1, "login");
    h.stop();
    await run.done;
    expect(logs.text()).not.toContain(run.tokens()[0]!);
    expect(logs.text()).not.toContain("pw-for-ci");
  });
});

describe("cert auth over mutual TLS", () => {
  beforeEach(() => setup({ tls: true }));
  afterEach(() => teardown());

  test("logs in through a client built from the method's own ca_cert/client_cert/client_key", async () => {
    const call = (m: string, p: string, b?: unknown) =>
      api.request({ method: m as "PUT", path: p, body: b, token: server.rootToken });
    await call("PUT", "sys/mounts/pki", { type: "pki" });
    const root = await call("PUT", "pki/root/generate/internal", { common_name: "clients", key_type: "ec" });
    await call("PUT", "pki/roles/client", { allow_any_name: true, key_type: "ec", server_flag: false });
    const leaf = (await call("PUT", "pki/issue/client", { common_name: "build-agent" }))!.data!;
    await call("PUT", "sys/auth/cert", { type: "cert" });
    await call("PUT", "auth/cert/certs/ci", {
      certificate: root!.data!.certificate,
      allowed_common_names: "build-*",
      token_policies: "default",
    });
    writeFileSync(join(dir, "client.pem"), String(leaf.certificate));
    writeFileSync(join(dir, "client.key"), String(leaf.private_key));
    const built: TlsOptions[] = [];
    const tlsClient = (tls: TlsOptions) => {
      built.push(tls);
      return new VaultClient({ address: server.address, tls, maxRetries: 0 }, { clock });
    };
    const cfg = method("cert", {
      name: "ci",
      ca_cert: server.caCertPath,
      client_cert: join(dir, "client.pem"),
      client_key: join(dir, "client.key"),
    });
    const h = handler(cfg, {}, { tlsClient });
    const run = start(h);
    await until(() => run.got.length === 1 || count("error authenticating") > 0, "cert login");
    expect(logs.text()).not.toContain("error authenticating");
    expect(built).toEqual([
      { caCert: server.caCertPath, clientCert: join(dir, "client.pem"), clientKey: join(dir, "client.key") },
    ]);
    const self = await api.request({ method: "GET", path: "auth/token/lookup-self", token: run.tokens()[0] });
    expect(self!.data!.meta).toMatchObject({ cert_name: "ci", common_name: "build-agent" });
    h.stop();
    await run.done;
  });
});
