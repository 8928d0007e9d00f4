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

const ENVELOPE_KEYS = [
  "auth",
  "data",
  "lease_duration",
  "lease_id",
  "mount_type",
  "renewable",
  "request_id",
  "warnings",
  "wrap_info",
];
const MERGE = { headers: { "content-type": "application/merge-patch+json" } };

describe("Vault's response envelope", () => {
  test("a KV v2 read has every envelope field, Vault's types, and a fresh request_id", async () => {
    await vault(server, "POST", "secret/data/app", { data: { user: "u1" } });
    const a = await vault(server, "GET", "secret/data/app");
    const b = await vault(server, "GET", "secret/data/app");
    expect(a.status).toBe(200);
    expect(a.headers.get("content-type")).toBe("application/json");
    expect(Object.keys(a.json).sort()).toEqual(ENVELOPE_KEYS);
    expect(a.json).toMatchObject({
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: "kv",
    });
    expect(a.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.json.request_id).not.toBe(b.json.request_id);
  });
  test("writes with nothing to say are 204 with an empty body", async () => {
    const r = await vault(server, "POST", "sys/policies/acl/p", {
      policy: 'path "x" { capabilities = ["read"] }',
    });
    expect(r.status).toBe(204);
    expect(r.json).toBeNull();
  });
  test("Authorization: Bearer works like X-Vault-Token", async () => {
    const r = await fetch(`${server.address}/v1/auth/token/lookup-self`, {
      headers: { Authorization: `Bearer ${server.rootToken}` },
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { data: { policies: string[] } }).data.policies).toEqual(["root"]);
  });
});

describe("KV v2", () => {
  test("write returns version metadata; reads return data.data and data.metadata with Vault's fields", async () => {
    const w = await vault(server, "POST", "secret/data/app", {
      data: { user: "u1", n: 1, nested: { a: [1, 2] } },
    });
    expect(w.status).toBe(200);
    expect(w.json.data).toEqual({
      created_time: new Date(T0).toISOString(),
      custom_metadata: null,
      deletion_time: "",
      destroyed: false,
      version: 1,
    });
    await clock.advance(1000);
    await vault(server, "PUT", "secret/data/app", { data: { user: "u2" } });
    const r = await vault(server, "GET", "secret/data/app");
    expect(r.json.data.data).toEqual({ user: "u2" });
    expect(r.json.data.metadata).toEqual({
      created_time: new Date(T0 + 1000).toISOString(),
      custom_metadata: null,
      deletion_time: "",
      destroyed: false,
      version: 2,
    });
    const v1 = await vault(server, "GET", "secret/data/app?version=1");
    expect(v1.json.data.data).toEqual({ user: "u1", n: 1, nested: { a: [1, 2] } });
    expect((await vault(server, "GET", "secret/data/app?version=7")).status).toBe(404);
    expect((await vault(server, "GET", "secret/data/missing")).json).toEqual({ errors: [] });
  });

  test("soft delete → 404 with data null and deletion_time; undelete restores; destroy is final", async () => {
    await vault(server, "POST", "secret/data/app", { data: { v: "1" } });
    await vault(server, "POST", "secret/data/app", { data: { v: "2" } });
    await clock.advance(5000);
    expect((await vault(server, "DELETE", "secret/data/app")).status).toBe(204);
    const gone = await vault(server, "GET", "secret/data/app");
    expect(gone.status).toBe(404);
    expect(gone.json.data.data).toBeNull();
    expect(gone.json.data.metadata).toMatchObject({
      version: 2,
      destroyed: false,
      deletion_time: new Date(T0 + 5000).toISOString(),
    });
    // Older versions stay readable.
    expect((await vault(server, "GET", "secret/data/app?version=1")).json.data.data).toEqual({ v: "1" });
    expect((await vault(server, "POST", "secret/undelete/app", { versions: [2] })).status).toBe(204);
    expect((await vault(server, "GET", "secret/data/app")).json.data).toMatchObject({
      data: { v: "2" },
      metadata: { deletion_time: "" },
    });
    await vault(server, "POST", "secret/delete/app", { versions: [1] });
    expect((await vault(server, "GET", "secret/data/app?version=1")).status).toBe(404);
    await vault(server, "PUT", "secret/destroy/app", { versions: [2] });
    const destroyed = await vault(server, "GET", "secret/data/app");
    expect(destroyed.status).toBe(404);
    expect(destroyed.json.data.metadata.destroyed).toBe(true);
    await vault(server, "POST", "secret/undelete/app", { versions: [2] });
    expect((await vault(server, "GET", "secret/data/app")).status).toBe(404);
    const meta = await vault(server, "GET", "secret/metadata/app");
    expect(meta.json.data.current_version).toBe(2);
    expect(meta.json.data.versions["2"]).toEqual({
      created_time: new Date(T0).toISOString(),
      deletion_time: "",
      destroyed: true,
    });
    expect(meta.json.data.versions["1"].deletion_time).not.toBe("");
    const noVersions = await vault(server, "POST", "secret/delete/app", {});
    expect(noVersions.status).toBe(400);
  });

  test("check-and-set: cas must match the current version; cas_required enforces it", async () => {
    expect(
      (await vault(server, "POST", "secret/data/c", { data: { a: "1" }, options: { cas: 0 } })).status,
    ).toBe(200);
    const bad = await vault(server, "POST", "secret/data/c", { data: { a: "2" }, options: { cas: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual(["check-and-set parameter did not match the current version"]);
    expect(
      (await vault(server, "POST", "secret/data/c", { data: { a: "2" }, options: { cas: 1 } })).json.data
        .version,
    ).toBe(2);
    await vault(server, "POST", "secret/metadata/c", { cas_required: true });
    const missing = await vault(server, "POST", "secret/data/c", { data: { a: "3" } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors).toEqual(["check-and-set parameter required for this call"]);
    await vault(server, "POST", "secret/config", { cas_required: true });
    expect((await vault(server, "POST", "secret/data/other", { data: { a: "1" } })).status).toBe(400);
    expect((await vault(server, "GET", "secret/config")).json.data).toEqual({
      cas_required: true,
      delete_version_after: "0s",
      max_versions: 0,
    });
  });

  test("metadata: max_versions trims old versions, custom_metadata shows on reads, PATCH merges it", async () => {
    await vault(server, "POST", "secret/metadata/m", {
      max_versions: 2,
      custom_metadata: { owner: "ops", team: "a" },
    });
    for (const v of ["1", "2", "3"]) await vault(server, "POST", "secret/data/m", { data: { v } });
    const meta = await vault(server, "GET", "secret/metadata/m");
    expect(meta.json.data).toMatchObject({
      current_version: 3,
      oldest_version: 2,
      max_versions: 2,
      cas_required: false,
      delete_version_after: "0s",
    });
    expect(Object.keys(meta.json.data.versions).sort()).toEqual(["2", "3"]);
    expect((await vault(server, "GET", "secret/data/m?version=1")).status).toBe(404);
    expect((await vault(server, "GET", "secret/data/m")).json.data.metadata.custom_metadata).toEqual({
      owner: "ops",
      team: "a",
    });
    const patched = await vault(
      server,
      "PATCH",
      "secret/metadata/m",
      { custom_metadata: { team: null, env: "prod" } },
      undefined,
      MERGE,
    );
    expect(patched.status).toBe(204);
    expect((await vault(server, "GET", "secret/metadata/m")).json.data.custom_metadata).toEqual({
      owner: "ops",
      env: "prod",
    });
    const badMeta = await vault(server, "POST", "secret/metadata/m", { custom_metadata: { n: 1 } });
    expect(badMeta.status).toBe(400);
    expect((await vault(server, "DELETE", "secret/metadata/m")).status).toBe(204);
    expect((await vault(server, "GET", "secret/metadata/m")).status).toBe(404);
    expect((await vault(server, "GET", "secret/data/m")).status).toBe(404);
  });

  test("delete_version_after schedules deletion on the clock", async () => {
    await vault(server, "POST", "secret/metadata/t", { delete_version_after: "1h" });
    const w = await vault(server, "POST", "secret/data/t", { data: { v: "1" } });
    expect(w.json.data.deletion_time).toBe(new Date(T0 + 3600_000).toISOString());
    expect((await vault(server, "GET", "secret/data/t")).status).toBe(200);
    await clock.advance(3600_000);
    expect((await vault(server, "GET", "secret/data/t")).status).toBe(404);
    expect((await vault(server, "GET", "secret/metadata/t")).json.data.delete_version_after).toBe("1h0m0s");
  });

  test("PATCH is a JSON merge patch and needs application/merge-patch+json", async () => {
    await vault(server, "POST", "secret/data/p", { data: { a: "1", b: "2", o: { x: 1, y: 2 } } });
    const wrongType = await vault(server, "PATCH", "secret/data/p", { data: { a: "9" } });
    expect(wrongType.status).toBe(415);
    const r = await vault(
      server,
      "PATCH",
      "secret/data/p",
      { data: { a: "9", b: null, o: { y: null, z: 3 } } },
      undefined,
      MERGE,
    );
    expect(r.json.data.version).toBe(2);
    expect((await vault(server, "GET", "secret/data/p")).json.data.data).toEqual({
      a: "9",
      o: { x: 1, z: 3 },
    });
    expect(
      (await vault(server, "PATCH", "secret/data/none", { data: { a: "1" } }, undefined, MERGE)).status,
    ).toBe(404);
  });

  test("LIST on metadata/ gives direct children with folders; empty is 404; data/ cannot be listed", async () => {
    await vault(server, "POST", "secret/data/dir/a", { data: { x: "1" } });
    await vault(server, "POST", "secret/data/dir/sub/b", { data: { x: "1" } });
    await vault(server, "POST", "secret/data/top", { data: { x: "1" } });
    expect((await vault(server, "LIST", "secret/metadata/")).json.data.keys).toEqual(["dir/", "top"]);
    expect((await vault(server, "LIST", "secret/metadata/dir")).json.data.keys).toEqual(["a", "sub/"]);
    const empty = await vault(server, "LIST", "secret/metadata/nothing/");
    expect(empty.status).toBe(404);
    expect(empty.json).toEqual({ errors: [] });
    expect((await vault(server, "LIST", "secret/data/dir/")).status).toBe(405);
  });

  test("subkeys shows the structure with null leaves, to a depth", async () => {
    await vault(server, "POST", "secret/data/s", { data: { a: "1", o: { b: { c: "2" } } } });
    expect((await vault(server, "GET", "secret/subkeys/s")).json.data.subkeys).toEqual({
      a: null,
      o: { b: { c: null } },
    });
    expect((await vault(server, "GET", "secret/subkeys/s?depth=1")).json.data.subkeys).toEqual({
      a: null,
      o: null,
    });
  });

  test("bad writes are 400 and change nothing", async () => {
    await vault(server, "POST", "secret/data/b", { data: { a: "1" } });
    expect((await vault(server, "POST", "secret/data/b", { nodata: 1 })).json.errors).toEqual([
      "no data provided",
    ]);
    expect((await vault(server, "POST", "secret/data/b", { data: "x" })).status).toBe(400);
    expect(
      (await vault(server, "POST", "secret/data/b", { data: { a: "2" }, options: { cas: "x" } })).status,
    ).toBe(400);
    expect((await vault(server, "POST", "secret/metadata/b", { max_versions: -1 })).status).toBe(400);
    expect((await vault(server, "GET", "secret/metadata/b")).json.data).toMatchObject({
      current_version: 1,
      max_versions: 0,
    });
  });
});

describe("KV v1", () => {
  beforeEach(async () => {
    expect(
      (await vault(server, "POST", "sys/mounts/kv1", { type: "kv", options: { version: "1" } })).status,
    ).toBe(204);
  });
  test("read, list, delete; lease_duration is the mount default or the ttl key, never renewable", async () => {
    expect((await vault(server, "POST", "kv1/app", { pw: "x" })).status).toBe(204);
    const r = await vault(server, "GET", "kv1/app");
    expect(r.json).toMatchObject({
      data: { pw: "x" },
      lease_id: "",
      renewable: false,
      lease_duration: 2764800,
      mount_type: "kv",
    });
    await vault(server, "PUT", "kv1/ttl", { pw: "y", ttl: "1h" });
    const t = await vault(server, "GET", "kv1/ttl");
    expect(t.json).toMatchObject({
      data: { pw: "y", ttl: "1h" },
      lease_duration: 3600,
      renewable: false,
      lease_id: "",
    });
    await vault(server, "PUT", "kv1/dir/x", { a: "1" });
    expect((await vault(server, "LIST", "kv1/")).json.data.keys).toEqual(["app", "dir/", "ttl"]);
    expect((await vault(server, "DELETE", "kv1/app")).status).toBe(204);
    expect((await vault(server, "GET", "kv1/app")).status).toBe(404);
  });
  test("a tuned default_lease_ttl applies; a bad ttl key is rejected", async () => {
    await vault(server, "POST", "sys/mounts/kv1/tune", { default_lease_ttl: "30m" });
    await vault(server, "PUT", "kv1/app", { pw: "x" });
    expect((await vault(server, "GET", "kv1/app")).json.lease_duration).toBe(1800);
    expect((await vault(server, "GET", "sys/mounts/kv1/tune")).json.data.default_lease_ttl).toBe(1800);
    const bad = await vault(server, "PUT", "kv1/bad", { ttl: "soon" });
    expect(bad.status).toBe(400);
    expect((await vault(server, "GET", "kv1/bad")).status).toBe(404);
  });
  test("upgrading to version 2 by tuning keeps the data as version 1", async () => {
    await vault(server, "PUT", "kv1/app", { pw: "x" });
    expect((await vault(server, "POST", "sys/mounts/kv1/tune", { options: { version: "2" } })).status).toBe(
      204,
    );
    expect((await vault(server, "GET", "kv1/data/app")).json.data).toMatchObject({
      data: { pw: "x" },
      metadata: { version: 1 },
    });
    expect((await vault(server, "GET", "sys/internal/ui/mounts/kv1/app")).json.data.options).toEqual({
      version: "2",
    });
  });
});

describe("cubbyhole", () => {
  test("is private to each token and dies with it", async () => {
    const mk = async () =>
      (await vault(server, "POST", "auth/token/create", { policies: ["default"] })).json.auth
        .client_token as string;
    const a = await mk();
    const b = await mk();
    expect((await vault(server, "PUT", "cubbyhole/note", { v: "a's" }, a)).status).toBe(204);
    expect((await vault(server, "GET", "cubbyhole/note", undefined, a)).json.data).toEqual({ v: "a's" });
    expect((await vault(server, "GET", "cubbyhole/note", undefined, b)).status).toBe(404);
    expect((await vault(server, "GET", "cubbyhole/note")).status).toBe(404); // not even root
    expect((await vault(server, "LIST", "cubbyhole/", undefined, a)).json.data.keys).toEqual(["note"]);
  });
});
