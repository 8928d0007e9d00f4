import { describe, expect, test } from "bun:test";
import { approleFactory } from "../../../src/devserver/auth/approle.ts";
import { ldapFactory } from "../../../src/devserver/auth/ldap.ts";
import { userpassFactory } from "../../../src/devserver/auth/userpass.ts";
import { call, callError, unitCore } from "./unit-core.ts";

const M = "auth/approle/";

async function setup(role: Record<string, unknown> = {}) {
  const core = unitCore();
  const ar = approleFactory(core, M, {});
  await call(ar, M, "update", "role/Web", {
    token_policies: "web,Read",
    token_ttl: "1h",
    token_max_ttl: "4h",
    token_num_uses: 3,
    ...role,
  });
  const roleId = String((await call(ar, M, "read", "role/web/role-id")).data!.role_id);
  return { core, ar, roleId };
}

describe("approle auth", () => {
  test("role CRUD reads back Vault's fields", async () => {
    const { ar } = await setup({ secret_id_ttl: "10m", token_type: "batch", token_period: 0 });
    const r = await call(ar, M, "read", "role/web");
    expect(r.data).toMatchObject({
      bind_secret_id: true,
      secret_id_ttl: 600,
      secret_id_num_uses: 0,
      token_policies: ["web", "read"],
      token_ttl: 3600,
      token_max_ttl: 14400,
      token_num_uses: 3,
      token_type: "batch",
    });
    expect((await call(ar, M, "list", "role")).data).toEqual({ keys: ["web"] });
    expect((await call(ar, M, "read", "role/web/policies")).data).toMatchObject({
      token_policies: ["web", "read"],
    });
    await call(ar, M, "update", "role/web/token-ttl", { token_ttl: "30m" });
    expect((await call(ar, M, "read", "role/web")).data!.token_ttl).toBe(1800);
    expect((await callError(ar, M, "update", "role/x", { token_type: "weird" })).message).toBe(
      "invalid 'token_type' value \"weird\"",
    );
    expect((await callError(ar, M, "update", "role/x", { bind_secret_id: false })).message).toBe(
      "at least one constraint should be enabled on the role",
    );
    await call(ar, M, "delete", "role/web");
    expect((await call(ar, M, "read", "role/web")).raw!.status).toBe(404);
  });

  test("login with role_id and secret_id issues a token honouring the role's token parameters", async () => {
    const { core, ar, roleId } = await setup();
    const sid = await call(ar, M, "update", "role/web/secret-id", { metadata: '{"host":"web-1"}' });
    const secretId = String(sid.data!.secret_id);
    expect(sid.data).toMatchObject({ secret_id_ttl: 0, secret_id_num_uses: 0 });
    const res = await call(ar, M, "update", "login", { role_id: roleId, secret_id: secretId });
    expect(res.auth!.policies).toEqual(["default", "read", "web"]);
    expect(core.issued[0].opts).toMatchObject({
      ttl: 3600,
      maxTTL: 14400,
      numUses: 3,
      type: "service",
      meta: { role_name: "web", host: "web-1" },
      entityAlias: roleId,
      displayName: "approle",
    });
    expect(core.issued[0].path).toBe("auth/approle/login");
  });

  test("login failures: Vault's texts", async () => {
    const { ar, roleId } = await setup();
    const sid = String((await call(ar, M, "update", "role/web/secret-id")).data!.secret_id);
    expect((await callError(ar, M, "update", "login", { secret_id: sid })).message).toBe("missing role_id");
    expect((await callError(ar, M, "update", "login", { role_id: roleId })).message).toBe(
      "missing secret_id",
    );
    const wrongSecret = await callError(ar, M, "update", "login", { role_id: roleId, secret_id: "nope" });
    expect([wrongSecret.status, wrongSecret.message]).toEqual([400, "invalid role or secret ID"]);
    expect((await callError(ar, M, "update", "login", { role_id: "nope", secret_id: sid })).message).toBe(
      "invalid role or secret ID",
    );
    expect(wrongSecret.message).not.toContain(sid);
  });

  test("secret IDs expire on the clock, count uses, and can be looked up and destroyed", async () => {
    const { core, ar, roleId } = await setup({ secret_id_ttl: "10m", secret_id_num_uses: 2 });
    const sid = await call(ar, M, "update", "role/web/secret-id");
    const secretId = String(sid.data!.secret_id);
    const look = await call(ar, M, "update", "role/web/secret-id/lookup", { secret_id: secretId });
    expect(look.data).toMatchObject({
      secret_id_num_uses: 2,
      secret_id_ttl: 600,
      secret_id_accessor: sid.data!.secret_id_accessor,
    });
    expect(look.data!.expiration_time).toBe(
      new Date(core.clock.now() + 600_000).toISOString().replace(".000Z", "Z"),
    );
    await call(ar, M, "update", "login", { role_id: roleId, secret_id: secretId });
    await call(ar, M, "update", "login", { role_id: roleId, secret_id: secretId });
    expect(
      (await callError(ar, M, "update", "login", { role_id: roleId, secret_id: secretId })).message,
    ).toBe("invalid role or secret ID");

    const second = String((await call(ar, M, "update", "role/web/secret-id")).data!.secret_id);
    await core.clock.advance(599_000);
    expect((await call(ar, M, "update", "login", { role_id: roleId, secret_id: second })).auth).toBeDefined();
    await core.clock.advance(1_000);
    expect((await callError(ar, M, "update", "login", { role_id: roleId, secret_id: second })).message).toBe(
      "invalid role or secret ID",
    );

    const third = await call(ar, M, "update", "role/web/secret-id");
    expect((await call(ar, M, "list", "role/web/secret-id")).data).toEqual({
      keys: [third.data!.secret_id_accessor],
    });
    await call(ar, M, "update", "role/web/secret-id/destroy", { secret_id: third.data!.secret_id });
    expect((await call(ar, M, "list", "role/web/secret-id")).raw!.status).toBe(404);
    expect((await callError(ar, M, "update", "role/web/secret-id", { ttl: "1h" })).message).toBe(
      "ttl cannot be longer than the role's secret_id_ttl",
    );
  });

  test("custom role_id and custom-secret-id; bind_secret_id=false with a CIDR binding", async () => {
    const { ar } = await setup();
    await call(ar, M, "update", "role/web/role-id", { role_id: "my-role-id" });
    await call(ar, M, "update", "role/web/custom-secret-id", { secret_id: "my-secret-id" });
    expect(
      (await call(ar, M, "update", "login", { role_id: "my-role-id", secret_id: "my-secret-id" })).auth,
    ).toBeDefined();
    expect(
      (await callError(ar, M, "update", "role/web/custom-secret-id", { secret_id: "my-secret-id" })).message,
    ).toBe("SecretID is already registered");
    await call(ar, M, "update", "role/open", {
      bind_secret_id: false,
      secret_id_bound_cidrs: "127.0.0.1/32",
      role_id: "open-id",
    });
    expect((await call(ar, M, "update", "login", { role_id: "open-id" })).auth).toBeDefined();
    expect((await callError(ar, M, "update", "role/other", { role_id: "open-id" })).message).toBe(
      "role_id already in use",
    );
  });
});

describe("userpass auth", () => {
  const U = "auth/userpass/";
  test("users CRUD and login", async () => {
    const core = unitCore();
    const up = userpassFactory(core, U, {});
    await call(up, U, "update", "users/Alice", {
      password: "s3cret!",
      token_policies: "dev",
      token_ttl: "20m",
    });
    expect((await call(up, U, "read", "users/alice")).data).toMatchObject({
      token_policies: ["dev"],
      token_ttl: 1200,
    });
    expect((await call(up, U, "read", "users/alice")).data!.password).toBeUndefined();
    const res = await call(up, U, "update", "login/ALICE", { password: "s3cret!" });
    expect(res.auth!.policies).toEqual(["default", "dev"]);
    expect(core.issued[0].opts).toMatchObject({
      ttl: 1200,
      meta: { username: "alice" },
      displayName: "userpass-alice",
    });
    expect(core.issued[0].path).toBe("auth/userpass/login/ALICE");
    expect((await callError(up, U, "update", "login/alice", { password: "wrong" })).message).toBe(
      "invalid username or password",
    );
    expect((await callError(up, U, "update", "login/bob", { password: "s3cret!" })).message).toBe(
      "invalid username or password",
    );
    await call(up, U, "update", "users/alice/password", { password: "new-pass" });
    expect((await call(up, U, "update", "login/alice", { password: "new-pass" })).auth).toBeDefined();
    await call(up, U, "update", "users/alice/policies", { token_policies: "ops" });
    expect((await call(up, U, "read", "users/alice")).data!.token_policies).toEqual(["ops"]);
    expect((await call(up, U, "list", "users")).data).toEqual({ keys: ["alice"] });
    expect((await callError(up, U, "update", "users/carol", {})).message).toBe("missing password");
  });
});

describe("ldap auth (in-memory directory)", () => {
  const L = "auth/ldap/";
  test("login merges config, user and group policies", async () => {
    const core = unitCore();
    const ldap = ldapFactory(core, L, {});
    await call(ldap, L, "update", "config", {
      url: "ldap://127.0.0.1",
      userdn: "ou=users,dc=x",
      token_policies: "base",
      token_ttl: "1h",
      bindpass: "hidden",
    });
    expect((await call(ldap, L, "read", "config")).data).toMatchObject({
      url: "ldap://127.0.0.1",
      token_policies: ["base"],
      token_ttl: 3600,
    });
    expect((await call(ldap, L, "read", "config")).data!.bindpass).toBeUndefined();
    await call(ldap, L, "update", "groups/engineers", { policies: "eng" });
    await call(ldap, L, "update", "users/tesla", {
      password: "password",
      groups: "engineers",
      policies: "tesla",
    });
    const res = await call(ldap, L, "update", "login/tesla", { password: "password" });
    expect(res.auth!.policies).toEqual(["base", "default", "eng", "tesla"]);
    expect(core.issued[0].opts).toMatchObject({ ttl: 3600, meta: { username: "tesla" } });
    expect((await callError(ldap, L, "update", "login/tesla", { password: "nope" })).message).toBe(
      "ldap operation failed: failed to bind as user",
    );
    expect((await callError(ldap, L, "update", "login/ghost", { password: "x" })).message).toBe(
      "ldap operation failed: failed to bind as user",
    );
  });
});
