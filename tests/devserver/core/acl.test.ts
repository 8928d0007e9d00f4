import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Acl, parsePolicy } from "../../../src/devserver/core/acl.ts";
import { BackendError } from "../../../src/devserver/types.ts";
import { type DevServer, startDevServer, vault } from "../../helpers/devserver.ts";

function caps(policies: string[], path: string): string[] {
  return [...new Acl(policies.map((p, i) => parsePolicy(`p${i}`, p))).capabilities(path)].sort();
}

describe("policy matching (Vault's priority rules)", () => {
  test("exact beats glob; the longer glob wins; `+` is one segment", () => {
    const pol = `
      path "secret/*" { capabilities = ["read"] }
      path "secret/data/app/*" { capabilities = ["list"] }
      path "secret/data/app/exact" { capabilities = ["update"] }
      path "kv/+/config" { capabilities = ["create"] }
      path "kv/+/+/deep*" { capabilities = ["delete"] }
    `;
    expect(caps([pol], "secret/data/other")).toEqual(["read"]);
    expect(caps([pol], "secret/data/app/x")).toEqual(["list"]);
    expect(caps([pol], "secret/data/app/exact")).toEqual(["update"]);
    expect(caps([pol], "secret")).toEqual([]);
    expect(caps([pol], "kv/team/config")).toEqual(["create"]);
    expect(caps([pol], "kv/team/sub/config")).toEqual([]);
    expect(caps([pol], "kv/config")).toEqual([]);
    expect(caps([pol], "kv/a/b/deeper/x")).toEqual(["delete"]);
    expect(caps([pol], "kv/a/deep")).toEqual([]);
  });
  test("a later first wildcard wins over fewer characters; `*` loses to `+` at the same spot", () => {
    const pol = `
      path "a/+/c/*" { capabilities = ["read"] }
      path "a/b/*" { capabilities = ["list"] }
      path "x/+" { capabilities = ["read"] }
      path "x/*" { capabilities = ["list"] }
    `;
    expect(caps([pol], "a/b/c/d")).toEqual(["list"]); // "a/b/*" has its first wildcard later
    expect(caps([pol], "x/y")).toEqual(["read"]);
    expect(caps([pol], "x/y/z")).toEqual(["list"]);
  });
  test("policies merge per pattern; deny wins inside the winning pattern", () => {
    const a = `path "secret/*" { capabilities = ["read"] }`;
    const b = `path "secret/*" { capabilities = ["list"] }\npath "secret/hidden" { capabilities = ["deny"] }`;
    const c = `path "secret/*" { capabilities = ["deny"] }`;
    expect(caps([a, b], "secret/x")).toEqual(["list", "read"]);
    expect(caps([a, b], "secret/hidden")).toEqual(["deny"]);
    expect(caps([a, c], "secret/x")).toEqual(["deny"]);
  });
  test("JSON policies and the legacy `policy =` form parse", () => {
    expect(caps([`{"path": {"secret/*": {"capabilities": ["read", "list"]}}}`], "secret/x")).toEqual([
      "list",
      "read",
    ]);
    expect(caps([`path "old/*" { policy = "write" }`], "old/x")).toEqual([
      "create",
      "delete",
      "list",
      "read",
      "update",
    ]);
  });
  test("bad policies are a 400 BackendError with a reason", () => {
    for (const bad of [
      `path "x" { capabilities = ["fly"] }`,
      `path "x" {`,
      `path "a*b" { capabilities = ["read"] }`,
      `{"path": 1}`,
      `weird "x" {}`,
    ]) {
      let e: unknown;
      try {
        parsePolicy("bad", bad);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(BackendError);
      expect((e as BackendError).status).toBe(400);
      expect((e as BackendError).message).toStartWith("failed to parse policy");
    }
  });
});

describe("policies enforced over HTTP", () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer();
  });
  afterEach(() => server.stop());

  async function tokenWith(policy: string): Promise<string> {
    expect((await vault(server, "PUT", "sys/policies/acl/test", { policy })).status).toBe(204);
    return (await vault(server, "POST", "auth/token/create", { policies: ["test"] })).json.auth.client_token;
  }

  test("read-only access: reads pass, writes, deletes, lists and other paths are 403 permission denied", async () => {
    const tok = await tokenWith('path "secret/data/ok" { capabilities = ["read"] }');
    await vault(server, "POST", "secret/data/ok", { data: { a: "1" } });
    await vault(server, "POST", "secret/data/no", { data: { a: "1" } });
    expect((await vault(server, "GET", "secret/data/ok", undefined, tok)).json.data.data).toEqual({ a: "1" });
    for (const [m, p, body] of [
      ["GET", "secret/data/no", undefined],
      ["POST", "secret/data/ok", { data: { a: "2" } }],
      ["DELETE", "secret/data/ok", undefined],
      ["LIST", "secret/metadata/", undefined],
      ["GET", "sys/mounts", undefined],
      ["PUT", "sys/policies/acl/evil", { policy: 'path "*" { capabilities = ["sudo"] }' }],
      ["POST", "auth/token/create", {}],
    ] as const) {
      const r = await vault(server, m, p, body, tok);
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ errors: ["permission denied"] });
    }
    // The default policy still lets the token look itself up and use its cubbyhole.
    expect((await vault(server, "GET", "auth/token/lookup-self", undefined, tok)).status).toBe(200);
    expect((await vault(server, "PUT", "cubbyhole/x", { a: "1" }, tok)).status).toBe(204);
  });

  test("no token, an unknown token, and a revoked token are denied", async () => {
    const none = await vault(server, "GET", "secret/data/x", undefined, "");
    expect(none.status).toBe(403);
    expect(none.json.errors).toEqual(["permission denied"]);
    const unknown = await vault(server, "GET", "secret/data/x", undefined, "hvs.unknown");
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors[0]).toContain("invalid token");
  });

  test("policy edits take effect on the next request (the ACL cache is invalidated)", async () => {
    const tok = await tokenWith('path "secret/data/*" { capabilities = ["read"] }');
    await vault(server, "POST", "secret/data/a", { data: { a: "1" } });
    expect((await vault(server, "GET", "secret/data/a", undefined, tok)).status).toBe(200);
    await vault(server, "PUT", "sys/policies/acl/test", {
      policy: 'path "secret/data/*" { capabilities = ["deny"] }',
    });
    expect((await vault(server, "GET", "secret/data/a", undefined, tok)).status).toBe(403);
    await vault(server, "DELETE", "sys/policies/acl/test");
    expect((await vault(server, "GET", "secret/data/a", undefined, tok)).status).toBe(403);
  });

  test("sudo-protected paths need sudo", async () => {
    const tok = await tokenWith('path "sys/auth/*" { capabilities = ["create", "update"] }');
    expect((await vault(server, "POST", "sys/auth/approle", { type: "approle" }, tok)).status).toBe(403);
    const sudo = await tokenWith('path "sys/auth/*" { capabilities = ["create", "update", "sudo"] }');
    expect((await vault(server, "POST", "sys/auth/approle", { type: "approle" }, sudo)).status).toBe(204);
  });

  test("policy CRUD on sys/policy and sys/policies/acl", async () => {
    const text = 'path "secret/*" { capabilities = ["read"] }';
    expect((await vault(server, "PUT", "sys/policy/Reader", { policy: text })).status).toBe(204);
    expect((await vault(server, "GET", "sys/policy/reader")).json.data).toEqual({
      name: "reader",
      rules: text,
    });
    expect((await vault(server, "GET", "sys/policies/acl/reader")).json.data).toEqual({
      name: "reader",
      policy: text,
    });
    expect((await vault(server, "GET", "sys/policy")).json.data.policies).toEqual([
      "default",
      "reader",
      "root",
    ]);
    expect((await vault(server, "LIST", "sys/policies/acl")).json.data.keys).toEqual([
      "default",
      "reader",
      "root",
    ]);
    expect(
      (await vault(server, "PUT", "sys/policies/acl/b64", { policy: Buffer.from(text).toString("base64") }))
        .status,
    ).toBe(204);
    expect((await vault(server, "GET", "sys/policies/acl/b64")).json.data.policy).toBe(text);
    expect(
      (await vault(server, "PUT", "sys/policies/acl/bad", { policy: 'path "x" { capabilities = ["fly"] }' }))
        .status,
    ).toBe(400);
    expect((await vault(server, "PUT", "sys/policies/acl/empty", {})).status).toBe(400);
    expect((await vault(server, "PUT", "sys/policies/acl/root", { policy: text })).status).toBe(400);
    expect((await vault(server, "DELETE", "sys/policies/acl/default")).status).toBe(400);
    expect((await vault(server, "DELETE", "sys/policies/acl/reader")).status).toBe(204);
    expect((await vault(server, "GET", "sys/policies/acl/reader")).status).toBe(404);
  });

  test("capabilities-self and capabilities", async () => {
    const tok = await tokenWith('path "secret/data/*" { capabilities = ["read", "list"] }');
    const r = await vault(
      server,
      "POST",
      "sys/capabilities-self",
      { paths: ["secret/data/x", "sys/mounts"] },
      tok,
    );
    expect(r.json.data).toEqual({
      "secret/data/x": ["list", "read"],
      "sys/mounts": ["deny"],
      capabilities: ["deny"],
    });
    expect(
      (await vault(server, "POST", "sys/capabilities-self", { path: "anything" })).json.data.capabilities,
    ).toEqual(["root"]);
    expect(
      (await vault(server, "POST", "sys/capabilities", { token: tok, paths: ["secret/data/y"] })).json.data
        .capabilities,
    ).toEqual(["list", "read"]);
  });
});
