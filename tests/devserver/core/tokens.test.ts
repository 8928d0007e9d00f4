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

async function create(body: Record<string, unknown>, token = server.rootToken) {
  return vault(server, "POST", "auth/token/create", body, token);
}

describe("root token", () => {
  test("the dev root token is what we asked for, never expires, and has the root policy", async () => {
    const r = await vault(server, "GET", "auth/token/lookup-self");
    expect(r.json.data).toMatchObject({
      id: "root",
      policies: ["root"],
      ttl: 0,
      expire_time: null,
      orphan: true,
      path: "auth/token/root",
    });
    await clock.advance(3600_000 * 24 * 365);
    expect((await vault(server, "GET", "auth/token/lookup-self")).status).toBe(200);
  });
  test("without a root token id the server makes a random hvs. one", async () => {
    const s = await startDevServer({ rootToken: "" });
    try {
      expect(s.rootToken).toMatch(/^hvs\.[A-Za-z0-9_-]{20,}$/);
      expect((await vault(s, "GET", "auth/token/lookup-self")).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});

describe("auth/token/create and lookup", () => {
  test("a service token: hvs. prefix, default policy added, ttl, meta, display name, lookups", async () => {
    const c = await create({ policies: ["p1"], ttl: "1h", meta: { who: "ci" }, display_name: "ci job" });
    expect(c.status).toBe(200);
    expect(c.json.data).toBeNull();
    const auth = c.json.auth;
    expect(auth).toMatchObject({
      policies: ["default", "p1"],
      token_policies: ["default", "p1"],
      metadata: { who: "ci" },
      lease_duration: 3600,
      renewable: true,
      token_type: "service",
      orphan: false,
      num_uses: 0,
    });
    expect(auth.client_token).toMatch(/^hvs\./);
    const self = await vault(server, "GET", "auth/token/lookup-self", undefined, auth.client_token);
    expect(self.json.data).toMatchObject({
      accessor: auth.accessor,
      creation_ttl: 3600,
      ttl: 3600,
      display_name: "token-ci-job",
      expire_time: new Date(T0 + 3600_000).toISOString(),
      issue_time: new Date(T0).toISOString(),
      path: "auth/token/create",
      type: "service",
      meta: { who: "ci" },
    });
    const byToken = await vault(server, "POST", "auth/token/lookup", { token: auth.client_token });
    expect(byToken.json.data.id).toBe(auth.client_token);
    const byAccessor = await vault(server, "POST", "auth/token/lookup-accessor", { accessor: auth.accessor });
    expect(byAccessor.json.data).toMatchObject({
      id: "",
      accessor: auth.accessor,
      policies: ["default", "p1"],
    });
    const bad = await vault(server, "POST", "auth/token/lookup", { token: "hvs.nope" });
    expect(bad.status).toBe(403);
    expect(bad.json.errors).toEqual(["bad token"]);
  });

  test("no_default_policy, explicit id (root only), num_uses", async () => {
    const c = await create({ policies: ["p1"], no_default_policy: true, id: "my-token", num_uses: 2 });
    expect(c.json.auth).toMatchObject({ client_token: "my-token", policies: ["p1"], num_uses: 2 });
    // p1 has no rules and there is no default policy: even lookup-self is denied (and spends no use).
    for (let i = 0; i < 3; i++) {
      const denied = await vault(server, "GET", "auth/token/lookup-self", undefined, "my-token");
      expect(denied.json.errors).toEqual(["permission denied"]);
    }
    expect((await create({ id: "my-token" })).json.errors).toEqual([
      "cannot create a token with a duplicate ID",
    ]);
    // Each permitted request spends a use; the last use still succeeds, then the token is gone.
    const withDefault = (await create({ policies: ["default"], num_uses: 2 })).json.auth.client_token;
    const first = await vault(server, "GET", "auth/token/lookup-self", undefined, withDefault);
    expect(first.json.data.num_uses).toBe(1);
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, withDefault)).status).toBe(200);
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, withDefault)).status).toBe(403);
  });

  test("a non-root caller can only hand out a subset of its policies and cannot pick ids or make orphans via create", async () => {
    await vault(server, "PUT", "sys/policies/acl/creator", {
      policy:
        'path "auth/token/create" { capabilities = ["update"] }\npath "auth/token/create-orphan" { capabilities = ["update"] }',
    });
    const parent = (await create({ policies: ["creator"] })).json.auth.client_token;
    const sup = await create({ policies: ["root"] }, parent);
    expect(sup.status).toBe(400);
    expect(sup.json.errors).toEqual(["child policies must be subset of parent"]);
    expect((await create({ policies: ["other"] }, parent)).status).toBe(400);
    expect((await create({ id: "chosen" }, parent)).status).toBe(400);
    expect((await create({ no_parent: true }, parent)).json.errors).toEqual([
      "root or sudo privileges required to create orphan token",
    ]);
    const child = await create({}, parent);
    expect(child.json.auth.policies).toEqual(["creator", "default"]);
    const orphan = await vault(server, "POST", "auth/token/create-orphan", {}, parent);
    expect(orphan.json.auth.orphan).toBe(true);
  });

  test("bad parameters are 400s", async () => {
    for (const body of [
      { ttl: "forever" },
      { num_uses: -1 },
      { type: "weird" },
      { policies: 5 },
      { renewable: "maybe" },
      { type: "batch", period: "1h" },
    ]) {
      const r = await create(body);
      expect(r.status).toBe(400);
      expect(r.json.errors.length).toBe(1);
    }
  });
});

describe("expiry, renewal and revocation on the clock", () => {
  test("ttl expires; renew-self extends up to explicit_max_ttl with a warning", async () => {
    const c = await create({ ttl: "60s", explicit_max_ttl: "100s", policies: ["default"] });
    const tok = c.json.auth.client_token as string;
    expect(c.json.auth.lease_duration).toBe(60);
    await clock.advance(50_000);
    const r = await vault(server, "PUT", "auth/token/renew-self", { increment: "60s" }, tok);
    expect(r.json.auth.lease_duration).toBe(50);
    expect(r.json.warnings[0]).toContain("max_ttl");
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, tok)).json.data.ttl).toBe(50);
    await clock.advance(50_000);
    const dead = await vault(server, "GET", "auth/token/lookup-self", undefined, tok);
    expect(dead.status).toBe(403);
    expect(dead.json.errors[0]).toContain("invalid token");
  });

  test("renew with increment 0 restores the original ttl; renew by token and accessor", async () => {
    const c = await create({ ttl: "10m", policies: ["default"] });
    const { client_token: tok, accessor } = c.json.auth;
    await clock.advance(300_000);
    expect(
      (await vault(server, "PUT", "auth/token/renew-self", { increment: 0 }, tok)).json.auth.lease_duration,
    ).toBe(600);
    await clock.advance(300_000);
    expect(
      (await vault(server, "PUT", "auth/token/renew", { token: tok, increment: "1h" })).json.auth
        .lease_duration,
    ).toBe(3600);
    expect(
      (await vault(server, "PUT", "auth/token/renew-accessor", { accessor, increment: 120 })).json.auth
        .lease_duration,
    ).toBe(120);
    const looked = await vault(server, "GET", "auth/token/lookup-self", undefined, tok);
    expect(looked.json.data.last_renewal_time).toBe(Math.floor((T0 + 600_000) / 1000));
  });

  test("periodic tokens renew to the period, forever", async () => {
    const tok = (await create({ period: "1h", policies: ["default"] })).json.auth.client_token;
    for (let i = 0; i < 30; i++) {
      await clock.advance(3000_000);
      const r = await vault(server, "PUT", "auth/token/renew-self", { increment: "10h" }, tok);
      expect(r.json.auth.lease_duration).toBe(3600);
    }
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, tok)).json.data.period).toBe(
      3600,
    );
  });

  test("non-renewable and batch tokens cannot be renewed; batch tokens are hvb. and never orphans of nothing", async () => {
    const nr = (await create({ renewable: false, policies: ["default"] })).json.auth.client_token;
    const r1 = await vault(server, "PUT", "auth/token/renew-self", {}, nr);
    expect(r1.status).toBe(400);
    expect(r1.json.errors).toEqual(["lease is not renewable"]);
    const b = await create({ type: "batch", ttl: "5m", policies: ["default"] });
    expect(b.json.auth).toMatchObject({
      token_type: "batch",
      renewable: false,
      accessor: "",
      lease_duration: 300,
    });
    expect(b.json.auth.client_token).toMatch(/^hvb\./);
    expect((await vault(server, "PUT", "auth/token/renew-self", {}, b.json.auth.client_token)).status).toBe(
      400,
    );
    expect(
      (await vault(server, "GET", "auth/token/lookup-self", undefined, b.json.auth.client_token)).json.data
        .type,
    ).toBe("batch");
    await clock.advance(300_000);
    expect(
      (await vault(server, "GET", "auth/token/lookup-self", undefined, b.json.auth.client_token)).status,
    ).toBe(403);
  });

  test("revoking a parent revokes its children; orphans survive; revoke-orphan keeps the children", async () => {
    const parent = (await create({ policies: ["default"], ttl: "1h" })).json.auth.client_token;
    await vault(server, "PUT", "sys/policies/acl/creator", {
      policy: 'path "auth/token/create*" { capabilities = ["update"] }',
    });
    const p2 = (await create({ policies: ["creator"] })).json.auth.client_token;
    const child = (await create({ policies: ["creator"] }, p2)).json.auth.client_token;
    const grandchild = (await create({ policies: ["default"] }, child)).json.auth.client_token;
    const orphan = (await vault(server, "POST", "auth/token/create-orphan", { policies: ["default"] }, p2))
      .json.auth.client_token;
    expect((await vault(server, "PUT", "auth/token/revoke", { token: p2 })).status).toBe(204);
    for (const t of [p2, child, grandchild])
      expect((await vault(server, "GET", "auth/token/lookup-self", undefined, t)).status).toBe(403);
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, orphan)).status).toBe(200);
    // A child's expiry with its parent's: the parent expires on the clock, the child (longer ttl) goes too.
    const p3 = (await create({ policies: ["creator"], ttl: "10m" })).json.auth.client_token;
    const c3 = (await create({ policies: ["default"], ttl: "1h" }, p3)).json.auth.client_token;
    await clock.advance(600_000);
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, c3)).status).toBe(403);
    const p4 = (await create({ policies: ["creator"] })).json.auth.client_token;
    const c4 = (await create({ policies: ["default"] }, p4)).json.auth.client_token;
    expect((await vault(server, "PUT", "auth/token/revoke-orphan", { token: p4 })).status).toBe(204);
    const c4look = await vault(server, "GET", "auth/token/lookup-self", undefined, c4);
    expect(c4look.status).toBe(200);
    expect(c4look.json.data.orphan).toBe(true);
    expect((await vault(server, "PUT", "auth/token/revoke-self", {}, parent)).status).toBe(204);
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, parent)).status).toBe(403);
  });

  test("revoke-accessor and a bad accessor", async () => {
    const c = await create({ policies: ["default"] });
    expect(
      (await vault(server, "PUT", "auth/token/revoke-accessor", { accessor: c.json.auth.accessor })).status,
    ).toBe(204);
    expect(
      (await vault(server, "GET", "auth/token/lookup-self", undefined, c.json.auth.client_token)).status,
    ).toBe(403);
    const bad = await vault(server, "PUT", "auth/token/revoke-accessor", { accessor: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual(["invalid accessor"]);
  });

  test("token TTLs are capped at the system max of 768h", async () => {
    const c = await create({ ttl: "10000h", policies: ["default"] });
    expect(c.json.auth.lease_duration).toBe(768 * 3600);
  });
});
