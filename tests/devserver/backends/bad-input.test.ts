/**
 * Malformed input never escapes a backend as anything but a BackendError (which the core turns
 * into Vault's {"errors":[…]} with a 4xx): wrong JSON types, garbage PEMs, garbage JWTs.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { authFactories } from "../../../src/devserver/auth/index.ts";
import { engineFactories } from "../../../src/devserver/engines/index.ts";
import { BackendError, type Operation } from "../../../src/devserver/types.ts";
import { signJwt, testKey } from "./jwt-helpers.ts";
import { call, unitCore } from "./unit-core.ts";

const WEIRD: unknown[] = [
  { nested: { deep: true } },
  [{ a: 1 }],
  "not-a-duration-or-bool",
  -5,
  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
  "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA",
  "a.b.c",
  null,
];

const FIELDS = [
  "common_name",
  "ttl",
  "max_ttl",
  "alt_names",
  "ip_sans",
  "key_type",
  "key_bits",
  "allowed_domains",
  "allow_subdomains",
  "csr",
  "certificate",
  "serial_number",
  "format",
  "plugin_name",
  "db_name",
  "default_ttl",
  "allowed_roles",
  "username",
  "rotation_period",
  "creation_statements",
  "password",
  "token_policies",
  "token_ttl",
  "token_type",
  "token_num_uses",
  "bind_secret_id",
  "secret_id",
  "role_id",
  "metadata",
  "num_uses",
  "jwt",
  "role",
  "jwt_validation_pubkeys",
  "jwks_url",
  "bound_claims",
  "bound_audiences",
  "claim_mappings",
  "user_claim",
  "role_type",
  "kubernetes_host",
  "pem_keys",
  "bound_service_account_names",
  "bound_service_account_namespaces",
  "groups",
  "policies",
  "name",
  "allowed_common_names",
  "default",
];

const PATHS: Record<string, string[]> = {
  pki: [
    "root/generate/internal",
    "roles/r",
    "issue/r",
    "sign/r",
    "revoke",
    "config/urls",
    "config/issuers",
    "intermediate/set-signed",
    "root/sign-intermediate",
    "intermediate/generate/internal",
  ],
  database: ["config/c", "roles/r", "static-roles/s", "creds/r", "static-creds/s", "rotate-role/s"],
  approle: [
    "role/r",
    "role/r/secret-id",
    "role/r/custom-secret-id",
    "role/r/secret-id/lookup",
    "role/r/role-id",
    "login",
    "role/r/policies",
  ],
  userpass: ["users/u", "login/u", "users/u/password"],
  ldap: ["config", "users/u", "groups/g", "login/u"],
  jwt: ["config", "role/r", "login"],
  kubernetes: ["config", "role/r", "login"],
  cert: ["certs/c", "login"],
};

describe("backends answer malformed input with a BackendError", () => {
  for (const [type, paths] of Object.entries(PATHS)) {
    test(type, async () => {
      const core = unitCore();
      const factory = engineFactories[type] ?? authFactories[type];
      const mount = engineFactories[type] ? `${type}/` : `auth/${type}/`;
      const backend = factory(core, mount, {});
      let attempts = 0;
      for (const path of paths) {
        for (const op of ["update", "read", "list", "delete"] as Operation[]) {
          for (const value of WEIRD) {
            const body = Object.fromEntries(FIELDS.map((f) => [f, value]));
            attempts++;
            try {
              await call(backend, mount, op, path, body, {
                peerCertificateDer: new Uint8Array([0x30, 0x03, 0x02, 0x01]),
              });
            } catch (e) {
              if (!(e instanceof BackendError))
                throw new Error(`${type} ${op} ${path} with ${JSON.stringify(value)}: ${e}`);
              expect(e.status).toBeGreaterThanOrEqual(400);
              expect(e.status).toBeLessThan(500);
            }
          }
        }
      }
      expect(attempts).toBeGreaterThan(0);
    });
  }
});

describe("one malformed field at a time on otherwise valid requests", () => {
  const ca = testKey("ES256");
  const BASE: Record<string, unknown> = {
    common_name: "a.example.com",
    allow_any_name: true,
    key_type: "ec",
    ttl: "1h",
    plugin_name: "postgresql-database-plugin",
    db_name: "c",
    allowed_roles: "*",
    username: "u",
    rotation_period: "1h",
    password: "pw",
    role_type: "jwt",
    user_claim: "sub",
    bound_subject: "x",
    kubernetes_host: "https://127.0.0.1",
    bound_service_account_names: "*",
    bound_service_account_namespaces: "*",
    jwt_validation_pubkeys: ca.publicPem,
    pem_keys: ca.publicPem,
    secret_id: "sid",
    role: "r",
    jwt: signJwt(ca, { sub: "x", exp: 2e9 }),
  };
  beforeAll(async () => {
    // A real CA certificate for the fields that want one (cert auth's certs/<name>).
    const pki = engineFactories.pki(unitCore(), "pki/", {});
    const root = await call(pki, "pki/", "update", "root/generate/internal", {
      common_name: "ca",
      key_type: "ec",
    });
    BASE.certificate = root.data!.certificate;
  });
  for (const [type, paths] of Object.entries(PATHS)) {
    test(type, async () => {
      const core = unitCore();
      const factory = engineFactories[type] ?? authFactories[type];
      const mount = engineFactories[type] ? `${type}/` : `auth/${type}/`;
      const backend = factory(core, mount, {});
      let succeeded = 0;
      for (const path of paths) {
        for (const field of FIELDS) {
          for (const value of WEIRD) {
            try {
              await call(backend, mount, "update", path, { ...BASE, [field]: value });
              succeeded++;
            } catch (e) {
              if (!(e instanceof BackendError)) {
                throw new Error(`${type} ${path} with ${field}=${JSON.stringify(value)}: ${e}`);
              }
              expect(e.status).toBeLessThan(500);
            }
          }
        }
      }
      // The valid base really is valid: most single-field variations still go through.
      expect(succeeded).toBeGreaterThan(0);
    });
  }
});
