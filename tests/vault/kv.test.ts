import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FakeClock } from "../../src/clock/clock.ts";
import { VaultClient, VaultError } from "../../src/vault/client.ts";
import {
  addPrefixToKvPath,
  canonicalNamespace,
  kv2DataPath,
  kv2ListPath,
  splitQuery,
} from "../../src/vault/kv.ts";
import { envelope, json, startFake } from "./fake.ts";
import { startVault, type TestVault } from "./fake-vault.ts";

describe("path rewriting (pure)", () => {
  test("Consul Template's read/write rewrite", () => {
    expect(kv2DataPath("secret", "secret/")).toBe("secret/data");
    expect(kv2DataPath("secret/", "secret/")).toBe("secret/data");
    expect(kv2DataPath("secret/foo", "secret/")).toBe("secret/data/foo");
    expect(kv2DataPath("secret/foo/bar", "secret/")).toBe("secret/data/foo/bar");
    expect(kv2DataPath("secret/data/foo", "secret/")).toBe("secret/data/foo");
    expect(kv2DataPath("secret/metadata/foo", "secret/")).toBe("secret/metadata/foo");
    expect(kv2DataPath("secret/subkeys/foo", "secret/")).toBe("secret/subkeys/foo");
    // The namespace prefix in the mount path is not sent twice.
    expect(kv2DataPath("secret/foo", "ns1/secret/", "ns1")).toBe("secret/data/foo");
  });

  test("Consul Template's list rewrite", () => {
    expect(kv2ListPath("secret", "secret/")).toBe("secret/metadata");
    expect(kv2ListPath("secret/foo", "secret/")).toBe("secret/metadata/foo");
    expect(kv2ListPath("secret/metadata/foo", "secret/")).toBe("secret/metadata/foo");
    expect(kv2ListPath("secret/foo", "ns1/secret/", "/ns1/")).toBe("secret/metadata/foo");
  });

  test("vault kv's rewrite always inserts the prefix and drops namespace segments", () => {
    expect(addPrefixToKvPath("secret/foo", "secret/", "data")).toBe("secret/data/foo");
    expect(addPrefixToKvPath("secret/data/foo", "secret/", "data")).toBe("secret/data/data/foo");
    expect(addPrefixToKvPath("secret/data/foo", "secret/", "data", true)).toBe("secret/data/foo");
    expect(addPrefixToKvPath("secret", "secret/", "metadata")).toBe("secret/metadata");
    expect(addPrefixToKvPath("secret/foo", "ns1/secret/", "data")).toBe("secret/data/foo");
  });

  test("helpers", () => {
    expect(canonicalNamespace("/ns1")).toBe("ns1/");
    expect(canonicalNamespace("ns1/")).toBe("ns1/");
    expect(canonicalNamespace("")).toBe("");
    expect(splitQuery(" /secret/foo?version=3/ ")).toEqual({ path: "secret/foo", query: { version: "3" } });
  });
});

let vault: TestVault;
let client: VaultClient;
beforeAll(async () => {
  vault = await startVault();
  client = new VaultClient({ address: vault.address, token: vault.rootToken, maxRetries: 0 });
});
afterAll(async () => {
  await vault.stop();
});

describe("KV v2", () => {
  test("kvWrite wraps the body in data and kvRead unwraps the path", async () => {
    const w = await client.kvWrite("secret/app/db", { user: "u1", password: "p-123" });
    expect(w.kv2).toBe(true);
    expect(w.path).toBe("secret/data/app/db");
    expect(w.response?.data?.version).toBeDefined();
    const r = await client.kvRead("secret/app/db");
    expect(r.path).toBe("secret/data/app/db");
    expect((r.response.data!.data as Record<string, unknown>).password).toBe("p-123");
    const raw = await client.read("secret/data/app/db");
    expect((raw!.data!.data as Record<string, unknown>).user).toBe("u1");
  });

  test("versions through ?version= and the version option", async () => {
    await client.kvWrite("secret/versioned", { n: "one" });
    await client.kvWrite("secret/versioned", { n: "two" });
    const first = await client.kvRead("secret/versioned?version=1");
    expect((first.response.data!.data as Record<string, unknown>).n).toBe("one");
    const latest = await client.kvRead("secret/versioned");
    expect((latest.response.data!.data as Record<string, unknown>).n).toBe("two");
    const opt = await client.kvRead("secret/versioned", { version: 1 });
    expect((opt.response.data!.data as Record<string, unknown>).n).toBe("one");
  });

  test("a missing or deleted secret is 'no secret exists at'", async () => {
    const missing = (await client.kvRead("secret/nope").catch((e) => e)) as VaultError;
    expect(missing.message).toBe("no secret exists at secret/data/nope");
    await client.kvWrite("secret/gone", { a: "b" });
    await client.delete("secret/data/gone");
    const gone = (await client.kvRead("secret/gone").catch((e) => e)) as VaultError;
    expect(gone.message).toBe("no secret exists at secret/data/gone");
  });

  test("kvList lists under metadata/, sorted; nothing there is an empty list", async () => {
    await client.kvWrite("secret/list/b", { x: "1" });
    await client.kvWrite("secret/list/a", { x: "1" });
    await client.kvWrite("secret/list/sub/c", { x: "1" });
    const l = await client.kvList("secret/list");
    expect(l.path).toBe("secret/metadata/list");
    expect(l.keys).toEqual(["a", "b", "sub/"]);
    expect((await client.kvList("secret/empty-dir")).keys).toEqual([]);
  });

  test("cas: a stale version is refused", async () => {
    await client.kvWrite("secret/cas", { v: "1" });
    const e = (await client.kvWrite("secret/cas", { v: "2" }, { cas: 0 }).catch((x) => x)) as VaultError;
    expect(e).toBeInstanceOf(VaultError);
    expect(e.status).toBe(400);
  });
});

describe("KV v1", () => {
  test("paths are used verbatim and the body is not wrapped", async () => {
    const w = await client.kvWrite("kv/app", { key: "value-1" });
    expect(w.kv2).toBe(false);
    expect(w.path).toBe("kv/app");
    const r = await client.kvRead("kv/app");
    expect(r.response.data).toEqual({ key: "value-1" });
    expect(r.response.lease_duration).toBeGreaterThan(0);
    expect((await client.kvList("kv")).keys).toContain("app");
  });
});

describe("preflight", () => {
  test("answers are cached per mount until the TTL passes", async () => {
    const clock = new FakeClock();
    let preflights = 0;
    const f = startFake((_r, s) => {
      if (s.path.startsWith("/v1/sys/internal/ui/mounts/")) {
        preflights++;
        return envelope({ path: "secret/", type: "kv", options: { version: "2" } });
      }
      return envelope({ data: { k: "v" }, metadata: { deletion_time: "" } });
    });
    try {
      const c = new VaultClient({ address: f.address, mountCacheTtl: 60_000 }, { clock });
      await c.kvRead("secret/a");
      await c.kvRead("secret/b/c");
      expect(preflights).toBe(1);
      await clock.advance(60_000);
      await c.kvRead("secret/a");
      expect(preflights).toBe(2);
      expect(f.seen.filter((s) => !s.path.includes("ui/mounts")).map((s) => s.path)).toEqual([
        "/v1/secret/data/a",
        "/v1/secret/data/b/c",
        "/v1/secret/data/a",
      ]);
    } finally {
      f.stop();
    }
  });

  test("404 from an older Vault means KV v1; other errors are thrown by mountInfo and tolerated by kvRead", async () => {
    let status = 404;
    const f = startFake((_r, s) =>
      s.path.includes("ui/mounts") ? json({ errors: ["permission denied"] }, status) : envelope({ k: "v" }),
    );
    try {
      const c = new VaultClient({ address: f.address, maxRetries: 0 });
      expect(await c.mountInfo("secret/x")).toBeNull();
      c.clearMountCache();
      status = 403;
      expect(((await c.mountInfo("secret/x").catch((e) => e)) as VaultError).status).toBe(403);
      const r = await c.kvRead("secret/x");
      expect(r.kv2).toBe(false);
      expect(r.path).toBe("secret/x");
    } finally {
      f.stop();
    }
  });
});

describe("wrapping, leases and tokens", () => {
  test("a wrapped write returns wrap_info; lookup and unwrap return the original", async () => {
    await client.kvWrite("secret/wrapme", { inner: "secret-inner-value" });
    const w = await client.wrapped({ method: "GET", path: "secret/data/wrapme" }, 300_000);
    expect(w!.wrap_info!.token).toBeTruthy();
    expect(w!.wrap_info!.ttl).toBe(300);
    const look = await client.wrappingLookup(w!.wrap_info!.token);
    expect(look!.data!.creation_path).toBe("secret/data/wrapme");
    const un = await client.unwrap(w!.wrap_info!.token);
    expect((un!.data!.data as Record<string, unknown>).inner).toBe("secret-inner-value");
    const again = (await client.unwrap(w!.wrap_info!.token).catch((e) => e)) as VaultError;
    expect(again.status).toBe(400);
  });

  test("lookup-self, renew-self and revoke-self", async () => {
    const self = await client.lookupSelf();
    expect(self!.data!.policies).toContain("root");
    const created = await client.write("auth/token/create", { policies: ["default"], ttl: "1h" });
    const child = client.withToken(created!.auth!.client_token);
    expect((await child.lookupSelf())!.data!.policies).toContain("default");
    const renewed = await child.renewSelf(600);
    expect(renewed!.auth!.lease_duration).toBe(600);
    expect(await child.revokeSelf()).toBeNull();
    const e = (await child.lookupSelf().catch((x) => x)) as VaultError;
    expect(e.status).toBe(403);
  });

  test("lease renew and revoke", async () => {
    // Only the fake has a creds/ mount ready-made; against the dev server this needs its dynamic
    // credentials engine configured first (see the report).
    if (vault.kind !== "fake") return;
    const creds = await client.read("creds/db");
    expect(creds!.renewable).toBe(true);
    const r = await client.renewLease(creds!.lease_id, 120);
    expect(r!.lease_id).toBe(creds!.lease_id);
    expect(r!.lease_duration).toBe(120);
    await client.revokeLease(creds!.lease_id);
    expect(((await client.renewLease(creds!.lease_id).catch((e) => e)) as VaultError).status).toBe(400);
  });
});

describe("ACL", () => {
  test("a policy that only allows reads of secret/data/shared/* denies other reads and writes", async () => {
    await client.kvWrite("secret/shared/ok", { v: "visible" });
    await client.kvWrite("secret/private/no", { v: "hidden" });
    const reader = client.withToken(vault.readerToken!);
    const ok = await reader.read("secret/data/shared/ok");
    expect((ok!.data!.data as Record<string, unknown>).v).toBe("visible");
    expect(((await reader.read("secret/data/private/no").catch((e) => e)) as VaultError).status).toBe(403);
    expect(
      ((await reader.write("secret/data/shared/ok", { data: { v: "x" } }).catch((e) => e)) as VaultError)
        .status,
    ).toBe(403);
  });

  test("permission denied is a 403 VaultError with Vault's errors list", async () => {
    const denied = new VaultClient({ address: vault.address, token: "not-a-real-token", maxRetries: 0 });
    const e = (await denied.read("secret/data/app/db").catch((x) => x)) as VaultError;
    expect(e).toBeInstanceOf(VaultError);
    expect(e.status).toBe(403);
    expect(e.errors.join(" ")).toContain("permission denied");
    expect(e.message).toContain("Code: 403. Errors:");
  });
});
