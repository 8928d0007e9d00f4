/** Method construction (Vault's config errors) and credential-file handling, without a server. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAuthMethod } from "../../src/auth/methods/index.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import type { AuthMethodConfig } from "../../src/config/types.ts";
import { memoryLogger, tempDir } from "./helpers.ts";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const noApi = { request: async () => null };

function cfg(type: string, config: Record<string, unknown>, mountPath = `auth/${type}`): AuthMethodConfig {
  return {
    type,
    mountPath,
    namespace: "",
    wrapTTL: 0,
    minBackoff: 0,
    maxBackoff: 0,
    exitOnErr: false,
    config,
  };
}

function make(
  type: string,
  config: Record<string, unknown>,
  env: Record<string, string> = {},
  clock = new FakeClock(),
) {
  return createAuthMethod(cfg(type, config), { api: noApi, env, clock, logger: memoryLogger(clock).logger });
}

describe("createAuthMethod config errors (Vault's texts)", () => {
  test.each([
    ["kerberos-ish", {}, 'unknown auth method "kerberos-ish"'],
    ["token_file", {}, "missing 'token_file_path' value"],
    ["token_file", { token_file_path: 3 }, "could not convert 'token_file_path' config value to string"],
    ["token_file", { token_file_path: "" }, "'token_file_path' value is empty"],
    ["approle", {}, "missing 'role_id_file_path' value"],
    ["jwt", { path: "/x" }, "missing 'role' value"],
    ["jwt", { role: "r" }, "missing 'path' value"],
    ["kubernetes", {}, "missing 'role' value"],
    ["userpass", { password: "p" }, "missing 'username' value"],
    ["ldap", { username: "u" }, "missing 'password_file_path' value"],
  ])("%s %j", (type, config, message) => {
    expect(() => make(type, config)).toThrow(message);
  });
});

describe("login requests", () => {
  test("mount_path, username escaping, kubernetes default token path", async () => {
    writeFileSync(join(dir, "pw"), "secret-pw\n");
    const m = createAuthMethod(
      cfg("ldap", { username: "a b", password_file_path: join(dir, "pw") }, "auth/corp-ldap"),
      {
        api: noApi,
        env: {},
      },
    );
    expect(await m.authenticate()).toEqual({
      path: "auth/corp-ldap/login/a%20b",
      body: { password: "secret-pw" },
    });
    expect(existsSync(join(dir, "pw"))).toBe(false); // removed after reading by default …
    expect((await m.authenticate()).body).toEqual({ password: "secret-pw" }); // … and cached
    await expect(make("kubernetes", { role: "r" }).authenticate()).rejects.toThrow(
      "error reading JWT with Kubernetes Auth: ENOENT",
    );
    const cert = await make("cert", { name: "web" }).authenticate();
    expect(cert).toEqual({ path: "auth/cert/login", body: { name: "web" } });
  });

  test("approle: role ID re-read each time, cached when the file goes empty; missing values are clear errors", async () => {
    writeFileSync(join(dir, "role"), " role-1 \n");
    writeFileSync(join(dir, "secret"), "secret-1");
    const m = make("approle", {
      role_id_file_path: join(dir, "role"),
      secret_id_file_path: join(dir, "secret"),
      remove_secret_id_file_after_reading: false,
    });
    expect((await m.authenticate()).body).toEqual({ role_id: "role-1", secret_id: "secret-1" });
    expect(existsSync(join(dir, "secret"))).toBe(true);
    writeFileSync(join(dir, "role"), "");
    writeFileSync(join(dir, "secret"), "secret-2");
    expect((await m.authenticate()).body).toEqual({ role_id: "role-1", secret_id: "secret-2" });

    const empty = make("approle", { role_id_file_path: join(dir, "role") });
    await expect(empty.authenticate()).rejects.toThrow("role ID file empty and no cached role ID known");
    const missing = make("approle", { role_id_file_path: join(dir, "none") });
    await expect(missing.authenticate()).rejects.toThrow("no known role ID");
    writeFileSync(join(dir, "role"), "role-1");
    const noSecret = make("approle", {
      role_id_file_path: join(dir, "role"),
      secret_id_file_path: join(dir, "gone"),
    });
    await expect(noSecret.authenticate()).rejects.toThrow("no known secret ID");
    // Without secret_id_file_path only the role ID is sent (bind_secret_id = false roles).
    expect((await make("approle", { role_id_file_path: join(dir, "role") }).authenticate()).body).toEqual({
      role_id: "role-1",
    });
  });

  test("token_file: trimmed, cached when the file empties, read errors without a cache are reported", async () => {
    writeFileSync(join(dir, "t"), "hvs.abcd\n");
    const m = make("token_file", { token_file_path: join(dir, "t") });
    expect(await m.authenticate()).toMatchObject({ path: "auth/token/lookup-self", lookupToken: "hvs.abcd" });
    writeFileSync(join(dir, "t"), "  \n");
    expect((await m.authenticate()).lookupToken).toBe("hvs.abcd");
    writeFileSync(join(dir, "t2"), "");
    await expect(make("token_file", { token_file_path: join(dir, "t2") }).authenticate()).rejects.toThrow(
      "token file empty and no cached token known",
    );
    mkdirSync(join(dir, "d"));
    await expect(make("token_file", { token_file_path: join(dir, "d") }).authenticate()).rejects.toThrow(
      "error reading token file and no cached token known:",
    );
  });
});

describe("jwt file handling", () => {
  test("read as-is at creation, removed, then picked up again by the ticker on the clock", async () => {
    const clock = new FakeClock();
    writeFileSync(join(dir, "jwt"), "header.payload.sig-1\n");
    const m = make("jwt", { role: "ci", path: join(dir, "jwt") }, {}, clock);
    expect(existsSync(join(dir, "jwt"))).toBe(false);
    expect((await m.authenticate()).body).toEqual({ role: "ci", jwt: "header.payload.sig-1\n" }); // not trimmed
    writeFileSync(join(dir, "jwt"), "header.payload.sig-2");
    expect(clock.nextTimerIn()).toBe(500); // remove_jwt_after_reading → 0.5 s period
    await clock.advance(500);
    expect(existsSync(join(dir, "jwt"))).toBe(false);
    writeFileSync(join(dir, "jwt"), ""); // empty: keep the previous JWT
    await clock.advance(500);
    expect((await m.authenticate()).body).toEqual({ role: "ci", jwt: "header.payload.sig-2" });
    m.shutdown?.();
    expect(clock.pendingTimers()).toBe(0);
  });

  test("kept file: 1 min period by default, jwt_read_period overrides; a symlink's target removed only when asked", async () => {
    const clock = new FakeClock();
    writeFileSync(join(dir, "jwt"), "a.b.c");
    const kept = make(
      "jwt",
      { role: "ci", path: join(dir, "jwt"), remove_jwt_after_reading: false },
      {},
      clock,
    );
    expect(clock.nextTimerIn()).toBe(60_000);
    kept.shutdown?.();
    const fast = make(
      "jwt",
      { role: "ci", path: join(dir, "jwt"), remove_jwt_after_reading: false, jwt_read_period: "5s" },
      {},
      clock,
    );
    expect(clock.nextTimerIn()).toBe(5000);
    fast.shutdown?.();

    writeFileSync(join(dir, "target"), "t.t.t");
    symlinkSync(join(dir, "target"), join(dir, "link"));
    make(
      "jwt",
      { role: "ci", path: join(dir, "link"), remove_jwt_follows_symlinks: true },
      {},
      clock,
    ).shutdown?.();
    expect(existsSync(join(dir, "target"))).toBe(false);
  });

  test("nothing ever read → Vault's error; env source errors clearly", async () => {
    await expect(make("jwt", { role: "ci", path: join(dir, "none") }).authenticate()).rejects.toThrow(
      "latest known jwt is empty, cannot authenticate",
    );
    await expect(make("jwt", { role: "ci", jwt_env: "CI_JWT" }).authenticate()).rejects.toThrow(
      "environment variable CI_JWT is empty or not set",
    );
    await expect(make("jwt", { role: "ci", github_actions: true }).authenticate()).rejects.toThrow(
      "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set",
    );
  });
});
