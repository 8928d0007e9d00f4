import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthHandler } from "../../src/auth/handler.ts";
import { createAuthMethod } from "../../src/auth/methods/index.ts";
import { fileSinkFrom, SinkServer } from "../../src/auth/sink.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import type { AuthMethodConfig } from "../../src/config/types.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { VaultClient } from "../../src/vault/client.ts";
import { githubClaims, signJwt, testKey } from "../devserver/backends/jwt-helpers.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";

let dir: string;
let server: DevServer;
let clock: FakeClock;
let api: VaultClient;
let logs: MemorySink;
let logger: Logger;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "vaultrun-auth-"));
  clock = new FakeClock(Date.now());
  server = await startDevServer({ clock });
  api = new VaultClient({ address: server.address, maxRetries: 0 }, { clock });
  logs = new MemorySink();
  logger = Logger.create({ level: "debug", sinks: [logs] });
});
afterEach(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function method(type: string, config: Record<string, unknown>, over: Partial<AuthMethodConfig> = {}): AuthMethodConfig {
  return { type, mountPath: `auth/${type}`, namespace: "", wrapTTL: 0, minBackoff: 0, maxBackoff: 0, exitOnErr: false, config, ...over };
}

function handler(cfg: AuthMethodConfig, env: Record<string, string | undefined> = {}) {
  return new AuthHandler({ method: createAuthMethod(cfg, { api, env }), config: cfg, api, clock, logger, random: () => 0.5 });
}

/** Real HTTP round trips finish on their own schedule: wait (bounded) for their effect. */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(2);
  }
}
const count = (text: string) => logs.lines.filter((l) => l.includes(text)).length;

/** Runs the handler until it has delivered `n` tokens. */
async function tokens(h: AuthHandler, n: number): Promise<{ tokens: string[]; done: Promise<void> }> {
  const got: string[] = [];
  let resolveN!: () => void;
  const reached = new Promise<void>((r) => (resolveN = r));
  const done = h.run((t) => {
    got.push(t);
    if (got.length >= n) resolveN();
  });
  await Promise.race([reached, done]);
  return { tokens: got, done };
}

describe("auto-auth against the dev server", () => {
  test("token_file: the root token is used as is and not renewed", async () => {
    writeFileSync(join(dir, "token"), `${server.rootToken}\n`);
    const h = handler(method("token_file", { token_file_path: join(dir, "token") }));
    const { tokens: got, done } = await tokens(h, 1);
    expect(got).toEqual([server.rootToken]);
    expect(existsSync(join(dir, "token"))).toBe(true); // never deleted
    await clock.advance(10_000);
    expect(logs.text()).toContain("not starting token renewal process, as token has unlimited TTL");
    h.stop();
    await done;
  });

  test("approle with a response-wrapped secret_id, removed after reading", async () => {
    await vault(server, "POST", "sys/auth/approle", { type: "approle" });
    await vault(server, "POST", "auth/approle/role/web", { token_policies: "default", token_ttl: "1h" });
    const roleId = (await vault(server, "GET", "auth/approle/role/web/role-id")).json.data.role_id;
    const wrapped = await fetch(`${server.address}/v1/auth/approle/role/web/secret-id`, {
      method: "POST",
      headers: { "X-Vault-Token": server.rootToken, "X-Vault-Wrap-TTL": "5m" },
    }).then((r) => r.json() as Promise<{ wrap_info: { token: string } }>);
    writeFileSync(join(dir, "role_id"), roleId);
    writeFileSync(join(dir, "secret_id"), wrapped.wrap_info.token);
    const h = handler(
      method("approle", {
        role_id_file_path: join(dir, "role_id"),
        secret_id_file_path: join(dir, "secret_id"),
        secret_id_response_wrapping_path: "auth/approle/role/web/secret-id",
      }),
    );
    const { tokens: got, done } = await tokens(h, 1);
    expect(got[0]).toStartWith("hvs.");
    expect(existsSync(join(dir, "secret_id"))).toBe(false);
    const self = await vault(server, "GET", "auth/token/lookup-self", undefined, got[0]);
    expect(self.json.data.path).toBe("auth/approle/login");
    h.stop();
    await done;
  });

  test("renewal at ~2/3 and re-authentication when the max TTL nears", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(server, "POST", "auth/userpass/users/ci", { password: "pw-for-ci", token_ttl: "90s", token_max_ttl: "200s" });
    const h = handler(method("userpass", { username: "ci", password: "pw-for-ci" }));
    const { tokens: first, done } = await tokens(h, 1);
    expect(first.length).toBe(1);
    // renewed immediately after login, then the watcher sleeps
    await until(() => count("renewed auth token") === 1 && clock.pendingTimers() > 0);
    // grace = 15 % of 90 s = 13.5 s; sleep = 2/3·90 + 13.5/3 = 64.5 s
    expect(clock.nextTimerIn()).toBe(64_500);
    await clock.advance(64_000);
    expect(count("renewed auth token")).toBe(1);
    await clock.advance(500);
    await until(() => count("renewed auth token") === 2 && clock.pendingTimers() > 0);
    // keep going until the max TTL forces a new login
    for (let i = 0; i < 10 && first.length < 2; i++) {
      await clock.runNext();
      await until(() => clock.pendingTimers() > 0 || first.length >= 2);
    }
    expect(first.length).toBe(2);
    expect(first[1]).not.toBe(first[0]);
    expect(logs.text()).toContain("lifetime watcher done channel triggered");
    h.stop();
    await done;
  });

  test("failures back off; exit_on_err makes the first failure fatal", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    const bad = method("userpass", { username: "nobody", password: "wrong" });
    const h = handler(bad);
    const run = h.run(() => {});
    await until(() => count("error authenticating") === 1 && clock.pendingTimers() > 0);
    // first wait: min_backoff 1 s reduced by 0–25 % (random pinned at 0.5 → 875 ms)
    expect(clock.nextTimerIn()).toBe(875);
    await clock.advance(875);
    await until(() => count("error authenticating") === 2 && clock.pendingTimers() > 0);
    expect(clock.nextTimerIn()).toBe(1750);
    h.stop();
    await run;
    const fatal = handler({ ...bad, exitOnErr: true });
    await expect(fatal.run(() => {})).rejects.toThrow("auth handler:");
  });

  test("jwt from an environment variable and from a GitHub-style OIDC endpoint", async () => {
    const key = testKey("ES256");
    await vault(server, "POST", "sys/auth/jwt", { type: "jwt" });
    await vault(server, "POST", "auth/jwt/config", { jwt_validation_pubkeys: [key.publicPem], bound_issuer: "https://token.actions.githubusercontent.com" });
    await vault(server, "POST", "auth/jwt/role/ci", {
      role_type: "jwt",
      user_claim: "actor",
      bound_audiences: "vault",
      bound_claims: { repository: "org/app" },
      token_policies: "default",
    });
    const jwt = signJwt(key, githubClaims(Math.floor(clock.now() / 1000), { aud: "vault" }));
    const fromEnv = handler(method("jwt", { role: "ci", jwt_env: "CI_JOB_JWT" }), { CI_JOB_JWT: jwt });
    const a = await tokens(fromEnv, 1);
    expect(a.tokens[0]).toStartWith("hvs.");
    fromEnv.stop();
    await a.done;

    let audience = "";
    const oidc = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        if (req.headers.get("authorization") !== "bearer request-token") return new Response("no", { status: 401 });
        audience = new URL(req.url).searchParams.get("audience") ?? "";
        return Response.json({ value: jwt });
      },
    });
    try {
      const gh = handler(method("jwt", { role: "ci", audience: "vault" }), {
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${oidc.port}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      });
      const b = await tokens(gh, 1);
      expect(b.tokens[0]).toStartWith("hvs.");
      expect(audience).toBe("vault");
      gh.stop();
      await b.done;
    } finally {
      oidc.stop(true);
    }
  });

  test("no secret in any log line", async () => {
    await vault(server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(server, "POST", "auth/userpass/users/ci", { password: "pw-for-ci", token_ttl: "1h" });
    const h = handler(method("userpass", { username: "ci", password: "pw-for-ci" }));
    const { tokens: got, done } = await tokens(h, 1);
    h.stop();
    await done;
    expect(logs.text()).not.toContain(got[0]!);
    expect(logs.text()).not.toContain("pw-for-ci");
  });
});

describe("file sinks", () => {
  test("written atomically with mode 0640 by default, and wrapped when asked", async () => {
    const plain = fileSinkFrom({ type: "file", wrapTTL: 0, dhType: "", dhPath: "", aad: "", aadEnvVar: "", deriveKey: false, config: { path: join(dir, "t1") } });
    const wrapped = fileSinkFrom({ type: "file", wrapTTL: 300_000, dhType: "", dhPath: "", aad: "", aadEnvVar: "", deriveKey: false, config: { path: join(dir, "t2"), mode: 0o600 } });
    const sinks = new SinkServer([plain, wrapped], { api, clock, logger });
    await sinks.write(server.rootToken);
    expect(readFileSync(join(dir, "t1"), "utf8")).toBe(server.rootToken);
    expect(statSync(join(dir, "t1")).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, "t2")).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(join(dir, "t2"), "utf8")) as { token: string; creation_path: string };
    expect(info.creation_path).toBe("sys/wrapping/wrap");
    const un = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, info.token);
    expect(un.json.data.token).toBe(server.rootToken);
  });
  test("bad sink configs", () => {
    const s = { type: "file", wrapTTL: 0, dhType: "", dhPath: "", aad: "", aadEnvVar: "", deriveKey: false, config: {} };
    expect(() => fileSinkFrom(s)).toThrow("'path' not specified for file sink");
    expect(() => fileSinkFrom({ ...s, type: "s3" })).toThrow('Unknown sink type "s3"');
  });
});
