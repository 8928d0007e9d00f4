import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { FakeClock } from "../../../src/clock/clock.ts";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";

let server: DevServer;
let clock: FakeClock;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
beforeEach(async () => {
  clock = new FakeClock(T0);
  server = await startDevServer({ clock });
});
afterEach(() => server.stop());

function wrapped(ttl: string) {
  return { headers: { "X-Vault-Wrap-TTL": ttl } };
}

describe("response wrapping", () => {
  test("sys/wrapping/wrap → wrap_info; lookup; single-use unwrap with the wrapping token", async () => {
    const w = await vault(server, "POST", "sys/wrapping/wrap", { k: "v" }, undefined, wrapped("60"));
    expect(w.status).toBe(200);
    expect(w.json.data).toBeNull();
    expect(w.json.wrap_info).toMatchObject({
      ttl: 60,
      creation_path: "sys/wrapping/wrap",
      creation_time: new Date(T0).toISOString(),
      wrapped_accessor: "",
    });
    const token = w.json.wrap_info.token as string;
    expect(token).toMatch(/^hvs\./);
    expect(w.json.wrap_info.accessor).toBeTruthy();
    const look = await vault(server, "GET", "sys/wrapping/lookup", undefined, token);
    expect(look.json.data).toEqual({
      creation_path: "sys/wrapping/wrap",
      creation_time: new Date(T0).toISOString(),
      creation_ttl: 60,
    });
    // lookup also takes the token in the body, with no other credential
    expect((await vault(server, "POST", "sys/wrapping/lookup", { token }, "")).json.data.creation_ttl).toBe(
      60,
    );
    const un = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, token, {
      headers: { "X-Vault-Namespace": "any-ns" },
    });
    expect(un.status).toBe(200);
    expect(un.json.data).toEqual({ k: "v" });
    const again = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, token);
    expect(again.status).toBe(400);
    expect(again.json.errors).toEqual(["wrapping token is not valid or does not exist"]);
  });

  test("any response can be wrapped; unwrap by body token with another token; the wrap expires on the clock", async () => {
    await vault(server, "POST", "secret/data/app", { data: { pw: "s3cret" } });
    const w = await vault(server, "GET", "secret/data/app", undefined, undefined, wrapped("5m"));
    expect(w.json.data).toBeNull();
    expect(w.json.wrap_info).toMatchObject({ ttl: 300, creation_path: "secret/data/app" });
    expect(JSON.stringify(w.json)).not.toContain("s3cret");
    const un = await vault(server, "POST", "sys/wrapping/unwrap", { token: w.json.wrap_info.token });
    expect(un.json.data.data).toEqual({ pw: "s3cret" });
    expect(un.json.mount_type).toBe("kv");
    const w2 = await vault(server, "GET", "secret/data/app", undefined, undefined, wrapped("5m"));
    await clock.advance(300_000);
    expect(
      (await vault(server, "PUT", "sys/wrapping/unwrap", undefined, w2.json.wrap_info.token)).status,
    ).toBe(400);
  });

  test("a wrapped login (token create) carries wrapped_accessor and unwraps to the auth block", async () => {
    const w = await vault(
      server,
      "POST",
      "auth/token/create",
      { policies: ["default"] },
      undefined,
      wrapped("2m"),
    );
    expect(w.json.auth).toBeNull();
    const un = await vault(server, "PUT", "sys/wrapping/unwrap", undefined, w.json.wrap_info.token);
    expect(un.json.auth.policies).toEqual(["default"]);
    expect(w.json.wrap_info.wrapped_accessor).toBe(un.json.auth.accessor);
    expect(
      (await vault(server, "GET", "auth/token/lookup-self", undefined, un.json.auth.client_token)).status,
    ).toBe(200);
  });

  test("rewrap issues a new token for the same response and invalidates the old one", async () => {
    const w = await vault(server, "POST", "sys/wrapping/wrap", { k: "v" }, undefined, wrapped("60s"));
    const r = await vault(server, "POST", "sys/wrapping/rewrap", { token: w.json.wrap_info.token });
    expect(r.json.wrap_info.token).not.toBe(w.json.wrap_info.token);
    expect(
      (await vault(server, "PUT", "sys/wrapping/unwrap", undefined, w.json.wrap_info.token)).status,
    ).toBe(400);
    expect(
      (await vault(server, "PUT", "sys/wrapping/unwrap", undefined, r.json.wrap_info.token)).json.data,
    ).toEqual({ k: "v" });
  });

  test("wrap errors: no TTL header, a bad TTL, an empty body", async () => {
    expect((await vault(server, "POST", "sys/wrapping/wrap", { k: "v" })).status).toBe(400);
    const bad = await vault(server, "POST", "sys/wrapping/wrap", { k: "v" }, undefined, wrapped("soon"));
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toContain("X-Vault-Wrap-TTL");
    expect((await vault(server, "POST", "sys/wrapping/wrap", {}, undefined, wrapped("1m"))).status).toBe(400);
  });
});

describe("leases", () => {
  async function dbCreds(token = server.rootToken, ttl = "60s", maxTtl = "120s") {
    await vault(server, "POST", "sys/mounts/database", { type: "database" }); // a 400 when already mounted
    await vault(server, "POST", "database/config/db", {
      plugin_name: "postgresql-database-plugin",
      allowed_roles: "*",
    });
    await vault(server, "POST", "database/roles/app", {
      db_name: "db",
      default_ttl: ttl,
      max_ttl: maxTtl,
      creation_statements: "x",
    });
    return vault(server, "GET", "database/creds/app", undefined, token);
  }

  test("a dynamic secret gets a lease; renew extends it up to max TTL; expiry on the clock revokes it", async () => {
    const creds = await dbCreds();
    expect(creds.json).toMatchObject({ renewable: true, lease_duration: 60, mount_type: "database" });
    const id = creds.json.lease_id as string;
    expect(id).toStartWith("database/creds/app/");
    const look = await vault(server, "PUT", "sys/leases/lookup", { lease_id: id });
    expect(look.json.data).toMatchObject({
      id,
      renewable: true,
      ttl: 60,
      issue_time: new Date(T0).toISOString(),
      last_renewal: null,
    });
    await clock.advance(50_000);
    const r = await vault(server, "PUT", "sys/leases/renew", { lease_id: id, increment: 0 });
    expect(r.json).toMatchObject({ lease_id: id, renewable: true, lease_duration: 60, data: null });
    await clock.advance(50_000);
    const capped = await vault(server, "PUT", "sys/leases/renew", { lease_id: id, increment: "1h" });
    expect(capped.json.lease_duration).toBe(20);
    expect(capped.json.warnings[0]).toContain("max_ttl");
    await clock.advance(20_000);
    const gone = await vault(server, "PUT", "sys/leases/renew", { lease_id: id });
    expect(gone.status).toBe(400);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: id })).status).toBe(400);
  });

  test("a lease never outlives the mount's tuned max_lease_ttl", async () => {
    await vault(server, "POST", "sys/mounts/database", { type: "database" });
    await vault(server, "POST", "sys/mounts/database/tune", { max_lease_ttl: "30s" });
    const creds = await dbCreds();
    expect(creds.json.lease_duration).toBe(30);
    const r = await vault(server, "PUT", "sys/leases/renew", {
      lease_id: creds.json.lease_id,
      increment: "1h",
    });
    expect(r.json.lease_duration).toBe(30);
    await clock.advance(30_000);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: creds.json.lease_id })).status).toBe(
      400,
    );
  });

  test("revoke, revoke-prefix, listing by prefix, and the legacy sys/renew path", async () => {
    const a = (await dbCreds()).json.lease_id as string;
    const b = (await vault(server, "GET", "database/creds/app")).json.lease_id as string;
    const c = (await vault(server, "GET", "database/creds/app")).json.lease_id as string;
    expect((await vault(server, "LIST", "sys/leases/lookup/database/creds/app/")).json.data.keys.length).toBe(
      3,
    );
    expect((await vault(server, "LIST", "sys/leases/lookup/database/")).json.data.keys).toEqual(["creds/"]);
    expect((await vault(server, "LIST", "sys/leases/lookup/")).json.data.keys).toEqual(["database/"]);
    expect((await vault(server, "PUT", `sys/renew/${a}`, {})).json.lease_id).toBe(a);
    expect((await vault(server, "PUT", "sys/leases/revoke", { lease_id: a })).status).toBe(204);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: a })).status).toBe(400);
    expect((await vault(server, "PUT", "sys/leases/revoke-prefix/database/creds", {})).status).toBe(204);
    for (const id of [b, c])
      expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: id })).status).toBe(400);
    expect((await vault(server, "PUT", "sys/leases/renew", {})).json.errors).toEqual(["missing lease_id"]);
  });

  test("a token's leases are revoked with the token (and when it expires)", async () => {
    const tok = (await vault(server, "POST", "auth/token/create", { ttl: "10m" })).json.auth.client_token;
    const mine = (await dbCreds(tok, "1h", "2h")).json.lease_id as string;
    const tok2 = (await vault(server, "POST", "auth/token/create", { ttl: "1h" })).json.auth.client_token;
    const other = (await vault(server, "GET", "database/creds/app", undefined, tok2)).json.lease_id as string;
    await clock.advance(600_000);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: mine })).status).toBe(400);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: other })).status).toBe(200);
    await vault(server, "PUT", "auth/token/revoke", { token: tok2 });
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: other })).status).toBe(400);
  });

  test("disabling a mount revokes its leases; stop leaves no timer behind", async () => {
    const id = (await dbCreds()).json.lease_id as string;
    expect(clock.pendingTimers()).toBeGreaterThan(0);
    expect((await vault(server, "DELETE", "sys/mounts/database")).status).toBe(204);
    expect((await vault(server, "PUT", "sys/leases/lookup", { lease_id: id })).status).toBe(400);
    await vault(server, "POST", "auth/token/create", { ttl: "1h" });
    await server.stop();
    expect(clock.pendingTimers()).toBe(0);
    server = await startDevServer({ clock });
  });
});
