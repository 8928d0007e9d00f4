/**
 * `vaultrun kv …`, `vaultrun read|write` — in process through runCli (fast, exact output), and
 * end to end through the compiled binary for stdin, -field and exit codes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { runBinary } from "../helpers/binary.ts";
import { startVault, type TestVault } from "./fake-vault.ts";

let vault: TestVault;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  vault = await startVault();
  dir = mkdtempSync(join(tmpdir(), "vaultrun-cli-"));
  env = { VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken, HOME: dir };
});
afterAll(async () => {
  await vault.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    env: { ...env, ...extraEnv },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** The created_time varies; everything else is Vault's exact layout. */
const normalise = (s: string) => s.replace(/created_time(\s+)\S+/g, "created_time$1<t>");

describe("vaultrun kv (KV v2 at secret/)", () => {
  test("the seed's `kv put secret/test-cred1 user=… password=…` and `kv get`", async () => {
    const put = await cli(["kv", "put", "secret/test-cred1", "user=my-user", "password=my-password"]);
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    expect(normalise(put.stdout)).toBe(
      [
        "===== Secret Path =====",
        "secret/data/test-cred1",
        "",
        "======= Metadata =======",
        "Key                Value",
        "---                -----",
        "created_time       <t>",
        "custom_metadata    <nil>",
        "deletion_time      n/a",
        "destroyed          false",
        "version            1",
        "",
      ].join("\n"),
    );
    const get = await cli(["kv", "get", "secret/test-cred1"]);
    expect(get.code).toBe(0);
    expect(normalise(get.stdout)).toBe(
      [
        "===== Secret Path =====",
        "secret/data/test-cred1",
        "",
        "======= Metadata =======",
        "Key                Value",
        "---                -----",
        "created_time       <t>",
        "custom_metadata    <nil>",
        "deletion_time      n/a",
        "destroyed          false",
        "version            1",
        "",
        "====== Data ======",
        "Key         Value",
        "---         -----",
        "password    my-password",
        "user        my-user",
        "",
      ].join("\n"),
    );
  });

  test("-mount syntax, -format=json and -version", async () => {
    expect((await cli(["kv", "put", "-mount=secret", "app/cfg", "a=1"])).code).toBe(0);
    expect((await cli(["kv", "put", "-mount=secret", "app/cfg", "a=2"])).code).toBe(0);
    const j = await cli(["kv", "get", "-format=json", "-mount=secret", "app/cfg"]);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(Object.keys(doc).slice(0, 6)).toEqual([
      "request_id",
      "lease_id",
      "lease_duration",
      "renewable",
      "data",
      "warnings",
    ]);
    expect(doc.data.data).toEqual({ a: "2" });
    expect(doc.data.metadata.version).toBe(2);
    const v1 = await cli(["kv", "get", "-version=1", "-format=json", "secret/app/cfg"]);
    expect(JSON.parse(v1.stdout).data.data).toEqual({ a: "1" });
  });

  test("list, metadata get, delete", async () => {
    await cli(["kv", "put", "secret/dir/one", "x=1"]);
    await cli(["kv", "put", "secret/dir/two/three", "x=1"]);
    const list = await cli(["kv", "list", "secret/dir"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe("Keys\n----\none\ntwo/\n");
    const listJson = await cli(["kv", "list", "-format=json", "secret/dir"]);
    expect(JSON.parse(listJson.stdout)).toEqual(["one", "two/"]);
    const meta = await cli(["kv", "metadata", "get", "secret/dir/one"]);
    expect(meta.code).toBe(0);
    expect(meta.stdout).toContain(
      "==== Metadata Path ====\nsecret/metadata/dir/one\n\n========== Metadata ==========\n",
    );
    expect(meta.stdout).toContain("current_version         1");
    expect(meta.stdout).toContain("\n\n\n====== Version 1 ======\nKey              Value\n");
    const del = await cli(["kv", "delete", "secret/dir/one"]);
    expect(del.stdout).toBe("Success! Data deleted (if it existed) at: secret/data/dir/one\n");
    const after = await cli(["kv", "get", "secret/dir/one"]);
    expect(after.stdout).not.toContain("== Data ==");
  });

  test("missing secrets and empty lists exit 2 with Vault's message", async () => {
    const get = await cli(["kv", "get", "secret/does-not-exist"]);
    expect(get.code).toBe(2);
    expect(get.stderr).toBe("No value found at secret/data/does-not-exist\n");
    const list = await cli(["kv", "list", "secret/nothing-here"]);
    expect(list.code).toBe(2);
    expect(list.stderr).toBe("No value found at secret/metadata/nothing-here\n");
  });

  test("usage errors exit 1", async () => {
    expect((await cli(["kv", "put", "secret/x"])).stderr).toBe("Must supply data\n");
    expect((await cli(["kv", "put", "secret/x"])).code).toBe(1);
    const bad = await cli(["kv", "put", "secret/x", "novalue"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Failed to parse K=V data");
    expect((await cli(["kv", "get", "-bogus", "secret/x"])).code).toBe(1);
    expect((await cli(["kv", "get"])).stderr).toBe("Not enough arguments (expected 1, got 0)\n");
    expect((await cli(["kv", "get", "-format=xml", "secret/x"])).code).toBe(1);
  });

  test("k=@file reads a file's contents", async () => {
    const file = join(dir, "cert.pem");
    writeFileSync(file, "-----BEGIN X-----\nabc\n-----END X-----\n");
    expect((await cli(["kv", "put", "secret/withfile", `cert=@${file}`])).code).toBe(0);
    const j = JSON.parse((await cli(["kv", "get", "-format=json", "secret/withfile"])).stdout);
    expect(j.data.data.cert).toBe("-----BEGIN X-----\nabc\n-----END X-----\n");
  });
});

describe("vaultrun kv (KV v1 at kv/)", () => {
  test("put prints Success, get prints the data section", async () => {
    const put = await cli(["kv", "put", "kv/app", "user=u", "pass=p"]);
    expect(put.code).toBe(0);
    expect(put.stdout).toBe("Success! Data written to: kv/app\n");
    const get = await cli(["kv", "get", "kv/app"]);
    expect(get.stdout).toBe("==== Data ====\nKey     Value\n---     -----\npass    p\nuser    u\n");
  });
});

describe("vaultrun read / write", () => {
  test("write then read any path; the table shows refresh_interval for a leased v1 read", async () => {
    const w = await cli(["write", "kv/rw", "a=1", "b=two"]);
    expect(w.code).toBe(0);
    expect(w.stdout).toBe("Success! Data written to: kv/rw\n");
    const r = await cli(["read", "kv/rw"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "Key                 Value\n---                 -----\nrefresh_interval    768h\na                   1\nb                   two\n",
    );
    const j = await cli(["read", "-format=json", "kv/rw"]);
    expect(JSON.parse(j.stdout).data).toEqual({ a: "1", b: "two" });
  });

  test("errors: no data, nothing found, permission denied, unreachable server", async () => {
    const nodata = await cli(["write", "kv/x"]);
    expect(nodata.code).toBe(1);
    expect(nodata.stderr).toBe("Must supply data or use -force\n");
    const none = await cli(["read", "kv/absent"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("No value found at kv/absent\n");
    const denied = await cli(["read", "kv/rw"], { VAULT_TOKEN: "bogus-token" });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(
      `Error reading kv/rw: Error making API request.\n\nURL: GET ${vault.address}/v1/kv/rw\nCode: 403. Errors:\n\n* `,
    );
    expect(denied.stderr).toContain("permission denied");
    const down = await cli(["read", "-address=http://127.0.0.1:1", "kv/rw"], { VAULT_MAX_RETRIES: "0" });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("Error reading kv/rw:");
  });

  test("a wrapped read prints the wrapping token", async () => {
    const r = await cli(["read", "-wrap-ttl=5m", "-format=json", "kv/rw"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.wrap_info.token).toBeTruthy();
    expect(doc.wrap_info.creation_path).toBe("kv/rw");
  });
});

describe("through the compiled binary", () => {
  test("kv put/get, -field without a trailing newline, stdin values, exit codes", async () => {
    const put = await runBinary(["kv", "put", "secret/bin-cred", "user=bin-user", "password=-"], {
      env,
      stdin: "from-stdin",
    });
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    expect(put.stdout).toContain("secret/data/bin-cred");
    const field = await runBinary(["kv", "get", "-field=password", "secret/bin-cred"], { env });
    expect(field.code).toBe(0);
    expect(field.stdout).toBe("from-stdin");
    const missing = await runBinary(["kv", "get", "secret/nope"], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("No value found at secret/data/nope\n");
    const json = await runBinary(["write", "kv/fromjson", "-"], {
      env,
      stdin: '{"n": 12, "s": "from-json"}',
    });
    expect(json.code).toBe(0);
    const back = await runBinary(["read", "-field=s", "kv/fromjson"], { env });
    expect(back.stdout).toBe("from-json");
    const denied = await runBinary(["kv", "get", "secret/bin-cred"], {
      env: { ...env, VAULT_TOKEN: "bogus-token" },
    });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain("Code: 403");
  });
});
