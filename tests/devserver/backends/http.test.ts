/**
 * The backends over real HTTP through the dev server: mount via sys/mounts or sys/auth,
 * configure, log in / issue, then use the token against ACL-enforced paths.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../../src/clock/clock.ts";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";
import { githubClaims, signJwt, testKey } from "./jwt-helpers.ts";

let server: DevServer;
let clock: FakeClock;
beforeEach(async () => {
  clock = new FakeClock(Date.now());
  server = await startDevServer({ clock });
});
afterEach(() => server.stop());

async function ok(method: string, path: string, body?: unknown, token?: string) {
  const r = await vault(server, method, path, body, token);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function policy(name: string, text: string) {
  await ok("PUT", `sys/policies/acl/${name}`, { policy: text });
}

describe("auth methods over HTTP", () => {
  test("approle: wrapped secret-id, login, and the token's policies enforced", async () => {
    await ok("POST", "sys/auth/approle", { type: "approle" });
    await policy("app-read", 'path "secret/data/app" { capabilities = ["read"] }');
    await ok("POST", "secret/data/app", { data: { password: "pw1" } });
    await ok("POST", "secret/data/other", { data: { password: "pw2" } });
    await ok("POST", "auth/approle/role/app", {
      token_policies: "app-read",
      token_ttl: "20m",
      secret_id_ttl: "1h",
    });
    const roleId = (await ok("GET", "auth/approle/role/app/role-id")).data.role_id;

    const wrapped = await fetch(`${server.address}/v1/auth/approle/role/app/secret-id`, {
      method: "POST",
      headers: { "X-Vault-Token": server.rootToken, "X-Vault-Wrap-TTL": "60s" },
    }).then((r) => r.json() as Promise<{ data: unknown; wrap_info: { token: string } }>);
    expect(wrapped.data).toBeNull();
    const unwrapped = await ok("POST", "sys/wrapping/unwrap", undefined, wrapped.wrap_info.token);
    const secretId = unwrapped.data.secret_id;
    expect(secretId).toBeString();

    const bad = await vault(
      server,
      "POST",
      "auth/approle/login",
      { role_id: roleId, secret_id: "wrong" },
      "",
    );
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual(["invalid role or secret ID"]);

    const login = await ok("POST", "auth/approle/login", { role_id: roleId, secret_id: secretId }, "");
    expect(login.auth.policies).toEqual(["app-read", "default"]);
    expect(login.auth.lease_duration).toBe(1200);
    expect(login.auth.metadata).toEqual({ role_name: "app" });
    const token = login.auth.client_token;
    expect((await ok("GET", "secret/data/app", undefined, token)).data.data).toEqual({ password: "pw1" });
    expect((await vault(server, "GET", "secret/data/other", undefined, token)).status).toBe(403);
    // Management paths stay closed to the approle token.
    expect((await vault(server, "GET", "auth/approle/role/app/role-id", undefined, token)).status).toBe(403);
  });

  test("jwt: a GitHub-Actions-shaped token against a loopback JWKS", async () => {
    const key = testKey("ES256");
    const jwks = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => Response.json({ keys: [key.jwk] }),
    });
    try {
      await ok("POST", "sys/auth/jwt", { type: "jwt" });
      await ok("POST", "auth/jwt/config", {
        jwks_url: `http://127.0.0.1:${jwks.port}/`,
        bound_issuer: "https://token.actions.githubusercontent.com",
      });
      await policy("deploy", 'path "secret/data/deploy/*" { capabilities = ["read"] }');
      await ok("POST", "secret/data/deploy/app", { data: { k: "v" } });
      await ok("POST", "auth/jwt/role/gha", {
        role_type: "jwt",
        user_claim: "repository",
        bound_audiences: ["https://github.com/org"],
        bound_claims: { repository: "org/app", ref: "refs/heads/main" },
        token_policies: ["deploy"],
        token_ttl: 300,
      });
      const jwt = signJwt(key, githubClaims(Math.floor(clock.now() / 1000)));
      const login = await ok("POST", "auth/jwt/login", { role: "gha", jwt }, "");
      expect(login.auth.metadata).toEqual({ role: "gha" });
      expect(login.auth.lease_duration).toBe(300);
      expect(
        (await ok("GET", "secret/data/deploy/app", undefined, login.auth.client_token)).data.data,
      ).toEqual({ k: "v" });
      const wrongRef = signJwt(key, githubClaims(Math.floor(clock.now() / 1000), { ref: "refs/heads/dev" }));
      const denied = await vault(server, "POST", "auth/jwt/login", { role: "gha", jwt: wrongRef }, "");
      expect(denied.status).toBe(400);
      expect(denied.json.errors).toEqual([
        'error validating claims: claim "ref" does not match any associated bound claim values',
      ]);
    } finally {
      jwks.stop(true);
    }
  });

  test("userpass, ldap and kubernetes logins issue usable tokens", async () => {
    await ok("POST", "sys/auth/userpass", { type: "userpass" });
    await ok("POST", "auth/userpass/users/alice", { password: "pw", token_policies: "default" });
    const up = await ok("POST", "auth/userpass/login/alice", { password: "pw" }, "");
    expect((await ok("GET", "auth/token/lookup-self", undefined, up.auth.client_token)).data.meta).toEqual({
      username: "alice",
    });

    await ok("POST", "sys/auth/ldap", { type: "ldap" });
    await ok("POST", "auth/ldap/users/bob", { password: "pw", policies: "ops" });
    const ld = await ok("POST", "auth/ldap/login/bob", { password: "pw" }, "");
    expect(ld.auth.policies).toEqual(["default", "ops"]);

    const sa = testKey("RS256");
    await ok("POST", "sys/auth/kubernetes", { type: "kubernetes" });
    await ok("POST", "auth/kubernetes/config", {
      kubernetes_host: "https://10.0.0.1",
      pem_keys: sa.publicPem,
    });
    await ok("POST", "auth/kubernetes/role/web", {
      bound_service_account_names: "web",
      bound_service_account_namespaces: "default",
      token_policies: "web",
    });
    const now = Math.floor(clock.now() / 1000);
    const saJwt = signJwt(sa, {
      iss: "https://kubernetes.default.svc",
      sub: "system:serviceaccount:default:web",
      iat: now,
      nbf: now,
      exp: now + 3600,
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "web", uid: "u-1" } },
    });
    const k = await ok("POST", "auth/kubernetes/login", { role: "web", jwt: saJwt }, "");
    expect(k.auth.metadata).toMatchObject({
      service_account_name: "web",
      service_account_namespace: "default",
    });
  });
});

describe("secret engines over HTTP", () => {
  test("pki: root, role, issue with a scoped token; ca/pem is public; openssl verifies", async () => {
    await ok("POST", "sys/mounts/pki", { type: "pki" });
    const root = await ok("POST", "pki/root/generate/internal", {
      common_name: "example.com",
      ttl: "87600h",
    });
    await ok("POST", "pki/roles/web", {
      allowed_domains: "example.com",
      allow_subdomains: true,
      max_ttl: "72h",
    });
    await policy("pki-web", 'path "pki/issue/web" { capabilities = ["update"] }');
    const token = (await ok("POST", "auth/token/create", { policies: ["pki-web"] })).auth.client_token;
    const issued = await ok("POST", "pki/issue/web", { common_name: "app.example.com", ttl: "24h" }, token);
    expect(issued.lease_id).toBe("");
    expect(issued.data.ca_chain).toEqual([root.data.certificate]);
    expect((await vault(server, "POST", "pki/roles/evil", { allow_any_name: true }, token)).status).toBe(403);

    const caPem = await fetch(`${server.address}/v1/pki/ca/pem`).then((r) => r.text());
    expect(caPem).toBe(`${root.data.certificate}\n`);
    const dir = mkdtempSync(join(tmpdir(), "pki-http-"));
    try {
      writeFileSync(join(dir, "ca.pem"), caPem);
      writeFileSync(join(dir, "leaf.pem"), `${issued.data.certificate}\n`);
      const p = Bun.spawnSync(["openssl", "verify", "-CAfile", join(dir, "ca.pem"), join(dir, "leaf.pem")]);
      expect(p.stdout.toString()).toContain("leaf.pem: OK");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(new X509Certificate(issued.data.certificate).subjectAltName).toBe("DNS:app.example.com");
  });

  test("database: creds under a renewable lease that the core renews and expires on its clock", async () => {
    await ok("POST", "sys/mounts/database", { type: "database" });
    await ok("POST", "database/config/pg", {
      plugin_name: "postgresql-database-plugin",
      allowed_roles: "ro",
    });
    await ok("POST", "database/roles/ro", { db_name: "pg", default_ttl: "1h", max_ttl: "2h" });
    const a = await ok("GET", "database/creds/ro");
    const b = await ok("GET", "database/creds/ro");
    expect(a.data.username).not.toBe(b.data.username);
    expect(a.lease_id).toStartWith("database/creds/ro/");
    expect(a.lease_duration).toBe(3600);
    expect(a.renewable).toBe(true);
    const renewed = await ok("PUT", "sys/leases/renew", { lease_id: a.lease_id, increment: 1800 });
    expect(renewed.lease_duration).toBe(1800);
    await clock.advance(3601_000);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: b.lease_id })).status).toBe(400);

    const notAllowed = await vault(server, "POST", "database/static-roles/app", {
      db_name: "pg",
      username: "app",
      rotation_period: "1h",
    });
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.json.errors).toEqual(['"app" is not an allowed role']);
  });
});

describe("cert auth over -dev-tls (mTLS)", () => {
  test("a client certificate issued by the pki engine logs in", async () => {
    const tlsServer = await startDevServer({ clock, tls: true });
    try {
      const call = async (
        method: string,
        path: string,
        body?: unknown,
        init: Record<string, unknown> = {},
      ) => {
        const res = await fetch(`${tlsServer.address}/v1/${path}`, {
          method,
          headers: { "X-Vault-Token": tlsServer.rootToken, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          // biome-ignore lint/suspicious/noExplicitAny: Bun's fetch takes a `tls` option
          tls: { ca: await Bun.file(tlsServer.caCertPath!).text(), ...(init.tls as object) } as any,
        } as RequestInit);
        // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
        const json: any = await res.json().catch(() => null);
        return { status: res.status, json };
      };
      await call("POST", "sys/mounts/pki", { type: "pki" });
      const root = (
        await call("POST", "pki/root/generate/internal", { common_name: "clients", key_type: "ec" })
      ).json;
      await call("POST", "pki/roles/client", { allow_any_name: true, key_type: "ec", server_flag: false });
      const leaf = (await call("POST", "pki/issue/client", { common_name: "build-agent" })).json.data;
      await call("POST", "sys/auth/cert", { type: "cert" });
      await call("POST", "auth/cert/certs/ci", {
        certificate: root.data.certificate,
        allowed_common_names: "build-*",
        token_policies: "ci",
      });

      const noCert = await call("POST", "auth/cert/login", {});
      expect(noCert.status).toBe(400);
      expect(noCert.json.errors).toEqual(["client certificate must be supplied"]);
      const login = await call(
        "POST",
        "auth/cert/login",
        { name: "ci" },
        { tls: { cert: leaf.certificate, key: leaf.private_key } },
      );
      expect(login.status).toBe(200);
      expect(login.json.auth.policies).toEqual(["ci", "default"]);
      expect(login.json.auth.metadata).toMatchObject({ cert_name: "ci", common_name: "build-agent" });
    } finally {
      await tlsServer.stop();
    }
  });
});
