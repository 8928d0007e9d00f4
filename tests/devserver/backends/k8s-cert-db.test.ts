import { afterAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "../../../src/clock/clock.ts";
import { certFactory } from "../../../src/devserver/auth/cert.ts";
import { kubernetesFactory } from "../../../src/devserver/auth/kubernetes.ts";
import { type DatabaseBackend, databaseFactory } from "../../../src/devserver/engines/database/backend.ts";
import { signJwt, testKey } from "./jwt-helpers.ts";
import { call, callError, unitCore } from "./unit-core.ts";

describe("kubernetes auth (local validation with pem_keys)", () => {
  const K = "auth/kubernetes/";
  const cluster = testKey("RS256", "");
  const other = testKey("ES256");
  const projected = (ns: string, sa: string, exp: number, aud = "vault") => ({
    aud: [aud],
    exp,
    iat: exp - 3600,
    iss: "https://kubernetes.default.svc.cluster.local",
    sub: `system:serviceaccount:${ns}:${sa}`,
    "kubernetes.io": {
      namespace: ns,
      serviceaccount: { name: sa, uid: `uid-${sa}` },
      pod: { name: "p", uid: "pu" },
    },
  });

  async function setup() {
    const core = unitCore();
    const k8s = kubernetesFactory(core, K, {});
    await call(k8s, K, "update", "config", {
      kubernetes_host: "https://10.0.0.1:443",
      pem_keys: [cluster.publicPem],
    });
    await call(k8s, K, "update", "role/app", {
      bound_service_account_names: "app,worker-*",
      bound_service_account_namespaces: "prod",
      audience: "vault",
      token_policies: "app",
      token_ttl: "15m",
    });
    return { core, k8s, nowSec: Math.floor(core.clock.now() / 1000) };
  }

  test("projected and legacy service-account tokens log in", async () => {
    const { core, k8s, nowSec } = await setup();
    const res = await call(k8s, K, "update", "login", {
      role: "app",
      jwt: signJwt(cluster, projected("prod", "worker-7", nowSec + 600)),
    });
    expect(res.auth!.policies).toEqual(["app", "default"]);
    expect(core.issued[0].opts).toMatchObject({
      ttl: 900,
      displayName: "kubernetes-prod-worker-7",
      entityAlias: "uid-worker-7",
      meta: {
        role: "app",
        service_account_name: "worker-7",
        service_account_namespace: "prod",
        service_account_uid: "uid-worker-7",
      },
    });
    await call(k8s, K, "update", "role/legacy", {
      bound_service_account_names: "*",
      bound_service_account_namespaces: "*",
    });
    const legacy = signJwt(cluster, {
      iss: "kubernetes/serviceaccount",
      sub: "system:serviceaccount:default:builder",
      "kubernetes.io/serviceaccount/namespace": "default",
      "kubernetes.io/serviceaccount/service-account.name": "builder",
      "kubernetes.io/serviceaccount/service-account.uid": "u-1",
      "kubernetes.io/serviceaccount/secret.name": "builder-token-abc",
    });
    await call(k8s, K, "update", "login", { role: "legacy", jwt: legacy });
    expect(core.issued[1].opts.meta).toMatchObject({
      service_account_secret_name: "builder-token-abc",
      service_account_name: "builder",
    });
  });

  test("rejections: Vault's texts and statuses", async () => {
    const { k8s, nowSec, core } = await setup();
    const fail = async (body: Record<string, unknown>) => {
      const e = await callError(k8s, K, "update", "login", body);
      return `${e.status} ${e.message}`;
    };
    expect(await fail({ role: "app", jwt: signJwt(cluster, projected("prod", "db", nowSec + 600)) })).toBe(
      "403 service account name not authorized",
    );
    expect(await fail({ role: "app", jwt: signJwt(cluster, projected("dev", "app", nowSec + 600)) })).toBe(
      "403 namespace not authorized",
    );
    expect(await fail({ role: "app", jwt: signJwt(other, projected("prod", "app", nowSec + 600)) })).toBe(
      "403 permission denied",
    );
    expect(
      await fail({ role: "app", jwt: signJwt(cluster, projected("prod", "app", nowSec + 600, "other")) }),
    ).toBe("403 permission denied");
    const expiring = signJwt(cluster, projected("prod", "app", nowSec + 10));
    await core.clock.advance(71_000);
    expect(await fail({ role: "app", jwt: expiring })).toBe("403 permission denied");
    expect(await fail({ role: "nope", jwt: "x" })).toBe('400 invalid role name "nope"');
    expect(await fail({ jwt: "x" })).toBe("400 missing role");
    expect(await fail({ role: "app" })).toBe("400 missing jwt");
    expect(
      (await callError(k8s, K, "update", "role/bad", { bound_service_account_names: "a" })).message,
    ).toBe('"bound_service_account_namespaces" can not be empty');
  });
});

describe("cert auth", () => {
  const C = "auth/cert/";
  const dir = mkdtempSync(join(tmpdir(), "certauth-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => {
    const p = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
    if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  };
  const f = (n: string) => join(dir, n);
  const ca = (name: string) =>
    ssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      f(`${name}.key`),
      "-out",
      f(`${name}.pem`),
      "-subj",
      `/CN=${name}`,
      "-days",
      "2",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    );
  const leaf = (name: string, caName: string, eku: string) => {
    ssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      f(`${name}.key`),
      "-out",
      f(`${name}.csr`),
      "-subj",
      `/CN=${name}`,
    );
    writeFileSync(f(`${name}.ext`), `extendedKeyUsage=${eku}\nsubjectAltName=DNS:${name}.example.com\n`);
    ssl(
      "x509",
      "-req",
      "-in",
      f(`${name}.csr`),
      "-CA",
      f(`${caName}.pem`),
      "-CAkey",
      f(`${caName}.key`),
      "-out",
      f(`${name}.pem`),
      "-days",
      "1",
      "-extfile",
      f(`${name}.ext`),
    );
    return new Uint8Array(new X509Certificate(readFileSync(f(`${name}.pem`))).raw);
  };

  test("a client certificate issued by a configured CA logs in; others are refused", async () => {
    ca("ca1");
    ca("ca2");
    const good = leaf("client-a", "ca1", "clientAuth");
    const otherCa = leaf("client-b", "ca2", "clientAuth");
    const serverOnly = leaf("client-c", "ca1", "serverAuth");
    const core = unitCore(new FakeClock(Date.now()));
    const cert = certFactory(core, C, {});
    await call(cert, C, "update", "certs/web", {
      certificate: readFileSync(f("ca1.pem"), "utf8"),
      allowed_common_names: "client-*",
      token_policies: "web",
      token_ttl: "5m",
    });
    const res = await call(cert, C, "update", "login", { name: "web" }, { peerCertificateDer: good });
    expect(res.auth!.policies).toEqual(["default", "web"]);
    expect(core.issued[0].opts).toMatchObject({
      ttl: 300,
      displayName: "cert-web",
      meta: { cert_name: "web", common_name: "client-a" },
    });
    const text = Bun.spawnSync([
      "openssl",
      "x509",
      "-in",
      f("client-a.pem"),
      "-noout",
      "-ext",
      "subjectKeyIdentifier,authorityKeyIdentifier",
    ]).stdout.toString();
    const ids = [...text.matchAll(/([0-9A-F]{2}(?::[0-9A-F]{2}){19})/g)].map((m) => m[1].toLowerCase());
    expect(ids.length).toBe(2);
    expect([core.issued[0].opts.meta!.subject_key_id, core.issued[0].opts.meta!.authority_key_id]).toEqual(
      ids,
    );
    // Without a name every configured entry is tried.
    expect((await call(cert, C, "update", "login", {}, { peerCertificateDer: good })).auth).toBeDefined();
    const fail = async (der: Uint8Array | undefined, body: Record<string, unknown> = {}) =>
      (await callError(cert, C, "update", "login", body, { peerCertificateDer: der })).message;
    expect(await fail(undefined)).toBe("client certificate must be supplied");
    expect(await fail(otherCa)).toBe("invalid certificate or no client certificate supplied");
    expect(await fail(serverOnly)).toBe("invalid certificate or no client certificate supplied");
    await call(cert, C, "update", "certs/narrow", {
      certificate: readFileSync(f("ca1.pem"), "utf8"),
      allowed_common_names: "someone-else",
    });
    expect(await fail(good, { name: "narrow" })).toBe(
      "invalid certificate or no client certificate supplied",
    );
    // Validity is judged on the core's clock.
    await core.clock.advance(3 * 86400_000);
    expect(await fail(good, { name: "web" })).toBe("invalid certificate or no client certificate supplied");
    expect((await callError(cert, C, "update", "certs/bad", { certificate: "nonsense" })).message).toBe(
      "failed to parse certificate",
    );
  });
});

describe("database engine", () => {
  const D = "database/";
  async function setup() {
    const core = unitCore();
    const db = databaseFactory(core, D, {}) as DatabaseBackend;
    await call(db, D, "update", "config/pg", {
      plugin_name: "postgresql-database-plugin",
      connection_url: "postgresql://{{username}}:{{password}}@localhost:5432/app",
      username: "vault",
      password: "root-pass",
      allowed_roles: "readonly,static-*",
    });
    await call(db, D, "update", "roles/readonly", {
      db_name: "pg",
      creation_statements: ["CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}';"],
      default_ttl: "1h",
      max_ttl: "24h",
    });
    return { core, db };
  }

  test("creds/<role> returns fresh credentials under a renewable lease", async () => {
    const { db } = await setup();
    const a = await call(db, D, "read", "creds/readonly", {}, {});
    const b = await call(db, D, "read", "creds/readonly");
    expect(a.data!.username).toMatch(/^v-token-readonly-[A-Za-z0-9]{20}-\d+$/);
    expect(String(a.data!.password)).toMatch(/^[A-Za-z0-9-]{20}$/);
    expect(a.data!.username).not.toBe(b.data!.username);
    expect(a.data!.password).not.toBe(b.data!.password);
    expect(a.lease).toMatchObject({ ttl: 3600, maxTTL: 86400, renewable: true });
    expect(a.lease!.onRenew!(0)).toBe(3600);
    expect(a.lease!.onRenew!(600)).toBe(600);
    expect(
      db
        .activeCredentials()
        .map((c) => c.username)
        .sort(),
    ).toEqual([String(a.data!.username), String(b.data!.username)].sort());
    a.lease!.onRevoke!();
    expect(db.activeCredentials().map((c) => c.username)).toEqual([b.data!.username as string]);
    const cfg = await call(db, D, "read", "config/pg");
    expect(cfg.data).toMatchObject({
      plugin_name: "postgresql-database-plugin",
      allowed_roles: ["readonly", "static-*"],
    });
    expect(JSON.stringify(cfg.data)).not.toContain("root-pass");
    expect((await call(db, D, "read", "roles/readonly")).data).toMatchObject({
      db_name: "pg",
      default_ttl: 3600,
      max_ttl: 86400,
    });
  });

  test("role errors and allowed_roles", async () => {
    const { db } = await setup();
    expect((await callError(db, D, "read", "creds/none")).message).toBe("unknown role: none");
    await call(db, D, "update", "roles/writer", { db_name: "pg", default_ttl: 60 });
    expect((await callError(db, D, "read", "creds/writer")).message).toBe('"writer" is not an allowed role');
    expect((await callError(db, D, "update", "roles/x", {})).message).toBe("empty database name attribute");
    expect((await callError(db, D, "update", "config/y", {})).message).toBe("empty plugin name");
    await call(db, D, "update", "roles/fixed", {
      db_name: "pg",
      renewable: false,
      default_ttl: "5m",
      max_ttl: "10m",
    });
    await call(db, D, "update", "config/pg", { allowed_roles: "*" });
    expect((await call(db, D, "read", "creds/fixed")).lease).toMatchObject({
      ttl: 300,
      maxTTL: 600,
      renewable: false,
    });
  });

  test("static roles rotate on the core's clock", async () => {
    const { core, db } = await setup();
    await call(db, D, "update", "static-roles/static-app", {
      db_name: "pg",
      username: "app",
      rotation_period: "1h",
    });
    const first = await call(db, D, "read", "static-creds/static-app");
    expect(first.data).toMatchObject({ username: "app", rotation_period: 3600, ttl: 3600 });
    await core.clock.advance(1800_000);
    const half = await call(db, D, "read", "static-creds/static-app");
    expect(half.data).toMatchObject({ password: first.data!.password, ttl: 1800 });
    await core.clock.advance(1800_000);
    const rotated = await call(db, D, "read", "static-creds/static-app");
    expect(rotated.data!.password).not.toBe(first.data!.password);
    expect(rotated.data!.ttl).toBe(3600);
    expect(rotated.data!.last_vault_rotation).toBe(
      new Date(core.clock.now()).toISOString().replace(".000Z", "Z"),
    );
    await call(db, D, "update", "rotate-role/static-app");
    expect((await call(db, D, "read", "static-creds/static-app")).data!.password).not.toBe(
      rotated.data!.password,
    );
    expect(
      (
        await callError(db, D, "update", "static-roles/static-b", {
          db_name: "pg",
          username: "b",
          rotation_period: 2,
        })
      ).message,
    ).toBe("rotation_period must be 5 seconds or more");
  });
});
