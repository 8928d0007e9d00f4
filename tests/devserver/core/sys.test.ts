import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../../src/clock/clock.ts";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer();
});
afterEach(() => server.stop());

describe("sys/health, seal-status, leader", () => {
  test("health needs no token and answers with Vault's fields; activecode picks the status; HEAD has no body", async () => {
    const r = await fetch(`${server.address}/v1/sys/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      version: "1.17.0",
    });
    expect(body).not.toHaveProperty("request_id");
    expect((await fetch(`${server.address}/v1/sys/health?standbyok=true&activecode=204`)).status).toBe(204);
    const head = await fetch(`${server.address}/v1/sys/health`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${server.address}/v1/sys/health?activecode=abc`)).status).toBe(400);
    expect((await fetch(`${server.address}/v1/sys/health`, { method: "POST" })).status).toBe(405);
  });
  test("seal-status and leader", async () => {
    const s = await vault(server, "GET", "sys/seal-status", undefined, "");
    expect(s.json).toMatchObject({
      sealed: false,
      initialized: true,
      t: 1,
      n: 1,
      type: "shamir",
      storage_type: "inmem",
    });
    expect((await vault(server, "GET", "sys/leader", undefined, "")).json.ha_enabled).toBe(false);
  });
});

describe("mounts", () => {
  test("a dev server starts with secret/ (kv v2), cubbyhole/, identity/ and sys/", async () => {
    const r = await vault(server, "GET", "sys/mounts");
    expect(Object.keys(r.json.data).sort()).toEqual(["cubbyhole/", "identity/", "secret/", "sys/"]);
    expect(r.json.data["secret/"]).toMatchObject({
      type: "kv",
      options: { version: "2" },
      description: "key/value secret storage",
    });
    expect(r.json.data["secret/"].accessor).toMatch(/^kv_[0-9a-f]{8}$/);
    expect(r.json["secret/"]).toEqual(r.json.data["secret/"]); // Vault's legacy top-level copy
    expect(r.json.data["cubbyhole/"]).toMatchObject({ type: "cubbyhole", local: true });
  });
  test("enable, read, tune, disable; conflicts and unknown types are 400", async () => {
    expect((await vault(server, "POST", "sys/mounts/kv2", { type: "kv-v2", description: "d" })).status).toBe(
      204,
    );
    expect((await vault(server, "GET", "sys/mounts/kv2")).json.data).toMatchObject({
      type: "kv",
      options: { version: "2" },
      description: "d",
    });
    expect(
      (await vault(server, "POST", "sys/mounts/pki", { type: "pki", config: { max_lease_ttl: "87600h" } }))
        .status,
    ).toBe(204);
    expect((await vault(server, "GET", "sys/mounts/pki/tune")).json.data).toMatchObject({
      max_lease_ttl: 315360000,
      default_lease_ttl: 2764800,
    });
    expect((await vault(server, "POST", "sys/mounts/pki/tune", { default_lease_ttl: "1h" })).status).toBe(
      204,
    );
    expect((await vault(server, "GET", "sys/mounts/pki/tune")).json.data.default_lease_ttl).toBe(3600);
    expect(
      (await vault(server, "POST", "sys/mounts/pki/tune", { default_lease_ttl: "1000000h" })).status,
    ).toBe(400);
    const dup = await vault(server, "POST", "sys/mounts/secret", { type: "kv" });
    expect(dup.status).toBe(400);
    expect(dup.json.errors).toEqual(["path is already in use at secret/"]);
    expect((await vault(server, "POST", "sys/mounts/secret/nested", { type: "kv" })).status).toBe(400);
    expect((await vault(server, "POST", "sys/mounts/x", { type: "nonesuch" })).json.errors).toEqual([
      "plugin not found in the catalog: nonesuch",
    ]);
    expect((await vault(server, "POST", "sys/mounts/x", {})).status).toBe(400);
    expect(
      (await vault(server, "POST", "sys/mounts/x", { type: "kv", options: { version: "3" } })).status,
    ).toBe(400);
    expect((await vault(server, "DELETE", "sys/mounts/cubbyhole")).status).toBe(400);
    expect((await vault(server, "DELETE", "sys/mounts/kv2")).status).toBe(204);
    expect((await vault(server, "GET", "kv2/data/x")).status).toBe(404);
    expect(Object.keys((await vault(server, "GET", "sys/mounts")).json.data)).not.toContain("kv2/");
  });
  test("auth methods: list has token/; enable/disable types from the auth registry", async () => {
    const list = await vault(server, "GET", "sys/auth");
    expect(list.json.data["token/"]).toMatchObject({ type: "token", description: "token based credentials" });
    expect((await vault(server, "POST", "sys/auth/approle", { type: "approle" })).status).toBe(204);
    expect((await vault(server, "POST", "sys/auth/my-pass", { type: "userpass" })).status).toBe(204);
    const after = await vault(server, "GET", "sys/auth");
    expect(Object.keys(after.json.data).sort()).toEqual(["approle/", "my-pass/", "token/"]);
    expect(after.json.data["approle/"].accessor).toMatch(/^auth_approle_/);
    expect((await vault(server, "POST", "sys/auth/x", { type: "nonesuch" })).status).toBe(400);
    expect((await vault(server, "DELETE", "sys/auth/my-pass")).status).toBe(204);
    expect(Object.keys((await vault(server, "GET", "sys/auth")).json.data).sort()).toEqual([
      "approle/",
      "token/",
    ]);
    expect((await vault(server, "DELETE", "sys/auth/token")).status).toBe(400);
  });
});

describe("sys/internal/ui/mounts (the agent's KV preflight)", () => {
  test("answers with the mount serving a path: type, options.version, path", async () => {
    await vault(server, "POST", "sys/mounts/kv1", { type: "kv", options: { version: "1" } });
    const v2 = await vault(server, "GET", "sys/internal/ui/mounts/secret/foo/bar");
    expect(v2.json.data).toMatchObject({ path: "secret/", type: "kv", options: { version: "2" } });
    expect(v2.json.data).toHaveProperty("accessor");
    const v1 = await vault(server, "GET", "sys/internal/ui/mounts/kv1/app");
    expect(v1.json.data).toMatchObject({ path: "kv1/", type: "kv", options: { version: "1" } });
    const none = await vault(server, "GET", "sys/internal/ui/mounts/nowhere/x");
    expect(none.status).toBe(403);
    expect(none.json.errors[0]).toContain("preflight capability check returned 403");
    const all = await vault(server, "GET", "sys/internal/ui/mounts");
    expect(Object.keys(all.json.data.secret)).toContain("secret/");
    expect(Object.keys(all.json.data.auth)).toContain("token/");
  });
  test("a token with access under the mount passes; a token without is denied", async () => {
    await vault(server, "PUT", "sys/policies/acl/app", {
      policy: 'path "secret/data/app/*" { capabilities = ["read"] }',
    });
    const tok = (await vault(server, "POST", "auth/token/create", { policies: ["app"] })).json.auth
      .client_token;
    expect(
      (await vault(server, "GET", "sys/internal/ui/mounts/secret/app/x", undefined, tok)).json.data.path,
    ).toBe("secret/");
    const kv1 = await vault(server, "POST", "sys/mounts/other", { type: "kv" });
    expect(kv1.status).toBe(204);
    expect((await vault(server, "GET", "sys/internal/ui/mounts/other/x", undefined, tok)).status).toBe(403);
    const listed = await vault(server, "GET", "sys/internal/ui/mounts", undefined, tok);
    expect(Object.keys(listed.json.data.secret)).toContain("secret/");
    expect(Object.keys(listed.json.data.secret)).toContain("cubbyhole/"); // the default policy's cubbyhole/*
    expect(Object.keys(listed.json.data.secret)).not.toContain("other/");
  });
});

describe("namespaces (prefix model)", () => {
  test("X-Vault-Namespace scopes mounts; root's view does not list them; ns/ and ns are the same", async () => {
    const ns = { headers: { "X-Vault-Namespace": "team-a" } };
    expect((await vault(server, "POST", "sys/mounts/kv", { type: "kv-v2" }, undefined, ns)).status).toBe(204);
    expect(
      (
        await vault(server, "POST", "kv/data/x", { data: { a: "1" } }, undefined, {
          headers: { "X-Vault-Namespace": "team-a/" },
        })
      ).status,
    ).toBe(200);
    expect((await vault(server, "GET", "kv/data/x", undefined, undefined, ns)).json.data.data).toEqual({
      a: "1",
    });
    expect((await vault(server, "GET", "kv/data/x")).status).toBe(404);
    expect((await vault(server, "GET", "team-a/kv/data/x")).json.data.data).toEqual({ a: "1" });
    expect(
      Object.keys((await vault(server, "GET", "sys/mounts", undefined, undefined, ns)).json.data),
    ).toContain("kv/");
    expect(Object.keys((await vault(server, "GET", "sys/mounts")).json.data)).not.toContain("team-a/kv/");
    expect(
      (await vault(server, "GET", "sys/internal/ui/mounts/kv/x", undefined, undefined, ns)).json.data,
    ).toMatchObject({ path: "kv/", options: { version: "2" } });
    // Policies see the full path.
    await vault(server, "PUT", "sys/policies/acl/nsread", {
      policy: 'path "team-a/kv/data/*" { capabilities = ["read"] }',
    });
    const tok = (await vault(server, "POST", "auth/token/create", { policies: ["nsread"] })).json.auth
      .client_token;
    expect((await vault(server, "GET", "kv/data/x", undefined, tok, ns)).status).toBe(200);
    expect((await vault(server, "GET", "secret/data/x", undefined, tok, ns)).status).toBe(403);
  });
});

describe("-dev-tls", () => {
  test("serves HTTPS with a generated CA written to the cert dir; the key is private", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultrun-tls-test-"));
    const tlsServer = await startDevServer({ tls: { dir } });
    try {
      expect(tlsServer.address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(tlsServer.caCertPath).toBe(join(dir, "vault-ca.pem"));
      expect(statSync(join(dir, "vault-key.pem")).mode & 0o077).toBe(0);
      const ca = readFileSync(tlsServer.caCertPath!, "utf8");
      const ok = await fetch(`${tlsServer.address}/v1/sys/health`, { tls: { ca } } as RequestInit);
      expect(ok.status).toBe(200);
      const localhost = await fetch(tlsServer.address.replace("127.0.0.1", "localhost") + "/v1/sys/health", {
        tls: { ca },
      } as RequestInit);
      expect(localhost.status).toBe(200);
      await expect(fetch(`${tlsServer.address}/v1/sys/health`)).rejects.toThrow();
    } finally {
      await tlsServer.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("pluggable auth methods through the core", () => {
  test("login paths need no token; the issued token is an orphan with default added; the mount's tuned TTLs apply", async () => {
    await server.stop();
    server = await startDevServer({ clock: new FakeClock() });
    expect(
      (
        await vault(server, "POST", "sys/auth/userpass", {
          type: "userpass",
          config: { default_lease_ttl: "10m", max_lease_ttl: "1h" },
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await vault(server, "POST", "auth/userpass/users/alice", {
          password: "pw-123456",
          token_policies: ["dev"],
        })
      ).status,
    ).toBe(204);
    const login = await vault(server, "POST", "auth/userpass/login/alice", { password: "pw-123456" }, "");
    expect(login.status).toBe(200);
    expect(login.json.auth).toMatchObject({
      policies: ["default", "dev"],
      orphan: true,
      lease_duration: 600,
      renewable: true,
    });
    expect(login.json.mount_type).toBe("userpass");
    const tok = login.json.auth.client_token as string;
    const self = await vault(server, "GET", "auth/token/lookup-self", undefined, tok);
    expect(self.json.data).toMatchObject({ path: "auth/userpass/login/alice", ttl: 600 });
    const renewed = await vault(server, "PUT", "auth/token/renew-self", { increment: "2h" }, tok);
    expect(renewed.json.auth.lease_duration).toBe(3600);
    // Non-login paths of the method still need a token with access.
    expect((await vault(server, "GET", "auth/userpass/users/alice", undefined, tok)).status).toBe(403);
    expect((await vault(server, "POST", "auth/userpass/login/alice", { password: "wrong" }, "")).status).toBe(
      400,
    );
    expect((await vault(server, "GET", "sys/auth/userpass/tune")).json.data).toMatchObject({
      default_lease_ttl: 600,
      max_lease_ttl: 3600,
    });
    // Repeated logins of the same user share one entity.
    const again = await vault(server, "POST", "auth/userpass/login/alice", { password: "pw-123456" }, "");
    expect(again.json.auth.entity_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.json.auth.entity_id).toBe(login.json.auth.entity_id);
  });
});
