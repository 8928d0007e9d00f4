/**
 * The agent runtime in-process (issue 5): the real agent and the real dev server share one
 * FakeClock, so intervals, backoff, quiescence and token/lease expiry are driven by the test.
 * Real HTTP and real files: waiting for those uses bounded polls (`until`, `pump`).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { vault } from "../helpers/devserver.ts";
import { FaultProxy, type Harness, harness, pump, TOKEN_FILE_AUTH, until } from "./helpers.ts";

let h: Harness;
let proxy: FaultProxy | undefined;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  proxy?.stop();
  proxy = undefined;
  await h.close();
});

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
const logHas = (s: string) => h.logs.lines.some((l) => l.includes(s));
const secretTpl = (dest: string, path: string, field: string, extra = "") => `
template {
  destination = "{{DIR}}/${dest}"
  contents    = "{{ with secret \\"${path}\\" }}{{ ${field} }}{{ end }}"
${extra}
}`;

function withProxy(): FaultProxy {
  proxy = new FaultProxy(h.server.address);
  proxy.start();
  return proxy;
}

describe("templates (in-process, FakeClock)", () => {
  test("KV v1: rendered, and refreshed at its ttl (Vault: KV v1 follows lease_duration)", async () => {
    await vault(h.server, "POST", "sys/mounts/kv1", { type: "kv" });
    expect((await vault(h.server, "POST", "kv1/app", { user: "v1-a", ttl: "30s" })).status).toBe(204);
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "30s" }
${secretTpl("kv1.txt", "kv1/app", ".Data.user")}`);
    const file = join(h.dir, "kv1.txt");
    await until(() => read(file) === "v1-a");
    await vault(h.server, "POST", "kv1/app", { user: "v1-b", ttl: "30s" });
    await h.clock.advance(25_000); // < 30 s × 0.85
    await Bun.sleep(20);
    expect(read(file)).toBe("v1-a");
    await h.clock.advance(4_000);
    await until(() => read(file) === "v1-b");
    await agent.stop();
  });

  test("exactly one read per static secret per interval, however many templates use it", async () => {
    const p = withProxy();
    await vault(h.server, "POST", "secret/data/shared", { data: { a: "1", b: "2" } });
    const templates = Array.from({ length: 25 }, (_, i) =>
      secretTpl(`t${i}.txt`, "secret/shared", i % 2 ? ".Data.data.a" : ".Data.data.b"),
    ).join("\n");
    const { agent } = h.agent(
      `${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "10s" }
${templates}`,
      { VAULT_ADDR: p.address },
    );
    await until(() => read(join(h.dir, "t24.txt")) === "2" && read(join(h.dir, "t23.txt")) === "1");
    const reads = () => p.count("GET", "secret/data/shared");
    const fetched = () =>
      h.logs.lines.filter((l) => l.includes("fetched") && l.includes("secret/shared")).length;
    expect(reads()).toBe(1);
    // Five intervals (each 10 s × 0.9 ± 5 %, so 8.5–9.5 s; one 10 s step covers exactly one):
    // five more reads, not 5 × 25.
    for (let i = 0; i < 5; i++) {
      await h.clock.advance(10_000);
      // The agent has scheduled its next refresh once it logged the fetch (not when the proxy saw it).
      await until(() => reads() === i + 2 && fetched() === i + 2);
    }
    await Bun.sleep(20);
    expect(reads()).toBe(6);
    await agent.stop();
  });

  test("perms, backup and wait { min } through the runner", async () => {
    await vault(h.server, "POST", "secret/data/w", { data: { v: "one" } });
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "60s" }
${secretTpl("w.txt", "secret/w", ".Data.data.v", `  perms = "0640"\n  backup = true\n  wait {\n    min = "5s"\n    max = "20s"\n  }`)}`);
    const file = join(h.dir, "w.txt");
    // The first render is not delayed by wait (Vault: quiescence applies to changes).
    await until(() => read(file) === "one");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(existsSync(`${file}.bak`)).toBe(false);
    await vault(h.server, "POST", "secret/data/w", { data: { v: "two" } });
    await h.clock.advance(57_000); // the refresh happens by now…
    await until(
      () => h.logs.lines.filter((l) => l.includes("fetched") && l.includes("secret/w")).length === 2,
    );
    await Bun.sleep(20);
    expect(read(file)).toBe("one"); // …but the write waits for `min` of quiet
    await h.clock.advance(5_000);
    await until(() => read(file) === "two");
    expect(read(`${file}.bak`)).toBe("one");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    await agent.stop();
  });

  test("command runs only when the file changed; a failing one with exit_on_retry_failure exits 1", async () => {
    await vault(h.server, "POST", "secret/data/c", { data: { v: "one" } });
    const cmdLog = join(h.dir, "cmd.log");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "10s" }
${secretTpl("c.txt", "secret/c", ".Data.data.v", `  exec { command = ["sh", "-c", "cat {{DIR}}/c.txt >> ${cmdLog}; echo >> ${cmdLog}"] }`)}`);
    const file = join(h.dir, "c.txt");
    await until(() => read(cmdLog) === "one\n");
    // Two refreshes with identical data: the file is unchanged, the command does not run.
    const fetched = () => h.logs.lines.filter((l) => l.includes("fetched") && l.includes("secret/c")).length;
    for (let i = 0; i < 2; i++) {
      await h.clock.advance(10_000);
      await until(() => fetched() === i + 2);
    }
    await Bun.sleep(30);
    expect(read(cmdLog)).toBe("one\n");
    await vault(h.server, "POST", "secret/data/c", { data: { v: "two" } });
    await h.clock.advance(10_000);
    await until(() => read(cmdLog) === "one\ntwo\n");
    expect(read(file)).toBe("two");
    await agent.stop();

    // A failing command with exit_on_retry_failure: the agent exits 1.
    const bad = h.agent(`${TOKEN_FILE_AUTH}
template_config { exit_on_retry_failure = true }
${secretTpl("c2.txt", "secret/c", ".Data.data.v", `  exec { command = ["sh", "-c", "exit 3"] }`)}`);
    expect(await bad.agent.exited).toBe(1);
    expect(read(join(h.dir, "c2.txt"))).toBe("two");
  });

  test("an unwritable destination fails that template only", async () => {
    await vault(h.server, "POST", "secret/data/u", { data: { v: "ok" } });
    // A regular file where a directory should be: unwritable even for root (tests may run as root).
    writeFileSync(join(h.dir, "blocker"), "not a directory");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
${secretTpl("blocker/x.txt", "secret/u", ".Data.data.v")}
${secretTpl("fine.txt", "secret/u", ".Data.data.v")}`);
    await until(() => read(join(h.dir, "fine.txt")) === "ok");
    await until(() => h.logs.lines.some((l) => l.includes("[ERROR]") && l.includes("blocker/x.txt")));
    const line = h.logs.lines.find((l) => l.includes("[ERROR]") && l.includes("blocker/x.txt"));
    expect(line).toMatch(/not a directory|ENOTDIR|EEXIST/i);
    expect(read(join(h.dir, "blocker"))).toBe("not a directory");
    let exited = false;
    void agent.exited.then(() => (exited = true));
    await Bun.sleep(20);
    expect(exited).toBe(false); // the agent keeps running for the other template
    await agent.stop();
  });

  test("missing or empty token file: a clear error (exit 1 with exit_on_err)", async () => {
    for (const [name, content] of [
      ["absent-token", undefined],
      ["empty-token", ""],
    ] as const) {
      if (content !== undefined) writeFileSync(join(h.dir, name), content);
      const { agent } = h.agent(`
auto_auth {
  method "token_file" {
    exit_on_err = true
    config { token_file_path = "{{DIR}}/${name}" }
  }
}
${secretTpl("never.txt", "secret/x", ".Data.data.v")}`);
      expect(await agent.exited).toBe(1);
    }
    expect(h.logs.text()).toContain("no such file or directory");
    expect(h.logs.text()).toContain("token file empty");
    expect(existsSync(join(h.dir, "never.txt"))).toBe(false);
  });
});

describe("faults (in-process, FakeClock)", () => {
  for (const fault of ["down", "500", "403"] as const) {
    test(`Vault ${fault === "down" ? "unreachable" : fault} mid-run: retries with backoff, the last good file stays`, async () => {
      const p = withProxy();
      await vault(h.server, "POST", "secret/data/f", { data: { v: "good" } });
      const { agent } = h.agent(
        `${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "10s" }
${secretTpl("f.txt", "secret/f", ".Data.data.v")}`,
        { VAULT_ADDR: p.address },
      );
      const file = join(h.dir, "f.txt");
      await until(() => read(file) === "good");
      p.setMode(
        fault === "down"
          ? "down"
          : fault === "500"
            ? { status: 500, errors: ["internal error"] }
            : { status: 403, errors: ["permission denied"] },
      );
      await vault(h.server, "POST", "secret/data/f", { data: { v: "newer" } });
      const failures = () => h.logs.lines.filter((l) => l.includes("dependency fetch failed")).length;
      await pump(h.clock, () => failures() >= 3);
      expect(read(file)).toBe("good");
      const retryIns = h.logs.lines
        .filter((l) => l.includes("dependency fetch failed"))
        .map((l) => Number(/retry_in=(\d+)ms/.exec(l)?.[1]));
      // Backoff: each retry waits longer than the one before.
      expect(retryIns[1]!).toBeGreaterThan(retryIns[0]!);
      expect(retryIns[2]!).toBeGreaterThan(retryIns[1]!);
      p.setMode("pass");
      await pump(h.clock, () => read(file) === "newer");
      expect(h.logs.text()).not.toContain("newer");
      await agent.stop();
    });
  }
});

describe("leases and tokens (in-process, FakeClock)", () => {
  test("token expiry → re-auth: leases are not thrown away, and none is left to die with the old token", async () => {
    await vault(h.server, "POST", "sys/auth/userpass", { type: "userpass" });
    await vault(h.server, "POST", "auth/userpass/users/agent", {
      password: "pw",
      token_ttl: "30s",
      token_max_ttl: "90s",
      token_policies: "root",
    });
    await vault(h.server, "POST", "sys/mounts/database", { type: "database" });
    await vault(h.server, "POST", "database/config/db", {
      plugin_name: "postgresql-database-plugin",
      allowed_roles: "*",
    });
    await vault(h.server, "POST", "database/roles/app", {
      db_name: "db",
      default_ttl: "1h",
      max_ttl: "24h",
      creation_statements: "x",
    });
    writeFileSync(join(h.dir, "pw"), "pw");
    const start = h.clock.now();
    const { agent } = h.agent(`
auto_auth {
  method "userpass" {
    config {
      username = "agent"
      password_file_path = "{{DIR}}/pw"
    }
  }
  sink "file" { config { path = "{{DIR}}/sink" } }
}
${secretTpl("db.txt", "database/creds/app", ".Data.username")}`);
    const file = join(h.dir, "db.txt");
    const sink = join(h.dir, "sink");
    await until(() => read(file) !== "" && read(sink) !== "");
    const creds = read(file);
    const token1 = read(sink);
    const credFetches = () =>
      h.logs.lines.filter((l) => l.includes("fetched") && l.includes("database/creds/app")).length;
    const leases = async (): Promise<string[]> =>
      (await vault(h.server, "LIST", "sys/leases/lookup/database/creds/app")).json?.data?.keys ?? [];
    expect(credFetches()).toBe(1);
    // The token reaches its max TTL; auto-auth logs in again (Vault Agent would now restart the
    // template server and issue new credentials at once).
    await pump(h.clock, () => read(sink) !== token1, 400);
    await Bun.sleep(30);
    expect(credFetches()).toBe(1);
    expect(read(file)).toBe(creds);
    // But the lease belongs to the old token, and Vault revokes it when that token expires (at
    // start + 90 s): the agent must have fetched new credentials before then, with the new token.
    await pump(h.clock, () => h.clock.now() > start + 91_000, 400);
    await Bun.sleep(30);
    expect(credFetches()).toBe(2);
    expect(read(file)).not.toBe(creds);
    expect(await leases()).toHaveLength(1); // the old one revoked with its token, the new one alive
    await agent.stop();
  });

  test("pkiCert: a real certificate, reused from the destination file on restart", async () => {
    await vault(h.server, "POST", "sys/mounts/pki", { type: "pki" });
    await vault(h.server, "POST", "pki/root/generate/internal", { common_name: "Test CA", ttl: "87600h" });
    await vault(h.server, "POST", "pki/roles/web", {
      allowed_domains: "example.com",
      allow_subdomains: true,
      max_ttl: "72h",
    });
    const hcl = `${TOKEN_FILE_AUTH}
template {
  destination = "{{DIR}}/cert.pem"
  contents    = "{{ with pkiCert \\"pki/issue/web\\" \\"common_name=a.example.com\\" \\"ttl=24h\\" }}{{ .Cert }}{{ .Key }}{{ end }}"
}`;
    const file = join(h.dir, "cert.pem");
    const first = h.agent(hcl);
    await until(() => read(file).includes("PRIVATE KEY"));
    const pem = read(file);
    const cert = new X509Certificate(pem);
    expect(cert.subject).toContain("CN=a.example.com");
    expect(new Date(cert.validTo).getTime() - h.clock.now()).toBeGreaterThan(23 * 3600_000);
    await first.agent.stop();
    const issued = (await vault(h.server, "LIST", "pki/certs")).json.data.keys.length;

    const second = h.agent(hcl);
    await until(
      () =>
        logHas("(runner) all templates rendered") &&
        h.logs.lines.filter((l) => l.includes("all templates rendered")).length === 2,
    );
    expect(read(file)).toBe(pem);
    expect((await vault(h.server, "LIST", "pki/certs")).json.data.keys.length).toBe(issued);
    await second.agent.stop();
  });
});
