/**
 * The compiled binary end to end against the dev server: config errors, exit_after_auth with file
 * templates and a sink, and supervisor mode (env delivered, signals forwarded, exit code).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary, vaultrunBinary } from "../helpers/binary.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";

let server: DevServer;
let dir: string;
beforeAll(async () => {
  server = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), "vaultrun-e2e-"));
  writeFileSync(join(dir, "token"), server.rootToken);
  await vault(server, "POST", "secret/data/test-cred1", {
    data: { user: "my-user", password: "my-password" },
  });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => `vault { address = "${server.address}" }
auto_auth {
  method "token_file" {
    config { token_file_path = "${dir}/token" }
  }
  sink "file" {
    config {
      path = "${dir}/sink-token"
      mode = 0600
    }
  }
}
`;

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}

describe("vaultrun agent (compiled binary)", () => {
  test("a bad config: file:line:col, exit 1, nothing started", async () => {
    const p = join(dir, "bad.hcl");
    writeFileSync(p, `${auth()}\nexec {\n  command = ["x"]\n  restart_stop_signal = "TERMINATE"\n}\n`);
    const r = await runBinary(["agent", `-config=${p}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.hcl:\d+:\d+: error parsing 'exec': invalid signal "TERMINATE"/);
    expect(existsSync(join(dir, "sink-token"))).toBe(false);
  });

  test("flags: unknown flag and missing -config", async () => {
    const r = await runBinary(["agent", "-nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flag provided but not defined: -nope");
    const r2 = await runBinary(["agent"]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("Must specify exactly at least one config path using -config");
  });

  test("exit_after_auth: sink and templates written, exit 0, Vault's log format, no secret in logs", async () => {
    const p = join(dir, "once.hcl");
    writeFileSync(
      p,
      `${auth()}
template {
  destination = "${dir}/creds.txt"
  perms       = "0600"
  contents    = "{{ with secret \\"secret/test-cred1\\" }}{{ .Data.data.user }}:{{ .Data.data.password }}{{ end }}"
}
`,
    );
    const r = await runBinary(["agent", `-config=${p}`, "-exit-after-auth", "-log-level=debug"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "creds.txt"), "utf8")).toBe("my-user:my-password");
    expect(statSync(join(dir, "creds.txt")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "sink-token"), "utf8")).toBe(server.rootToken);
    expect(statSync(join(dir, "sink-token")).mode & 0o777).toBe(0o600);
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d{4}) \[INFO\] {2}/m);
    expect(r.stderr).toContain("(runner) rendered");
    expect(r.stderr + r.stdout).not.toContain("my-password");
    expect(r.stderr + r.stdout).not.toContain(server.rootToken);
  });

  test("a template over 64 KB (parsed with the JIT hint, bun:jsc in the binary) renders exactly", async () => {
    // 3,000 lines of 3 actions each: large enough for compile.ts's large-template path.
    const line =
      '{{ with secret "secret/test-cred1" }}{{ .Data.data.user }}{{ end }} = {{ printf "%05d" 42 }}\n';
    const src = join(dir, "large.tpl");
    writeFileSync(src, line.repeat(3000));
    expect(statSync(src).size).toBeGreaterThan(1 << 16);
    const p = join(dir, "large.hcl");
    writeFileSync(
      p,
      `${auth()}
template {
  source      = "${src}"
  destination = "${dir}/large.txt"
}
`,
    );
    const r = await runBinary(["agent", `-config=${p}`, "-exit-after-auth"]);
    expect(r.stderr).not.toContain("[ERROR]");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "large.txt"), "utf8")).toBe("my-user = 00042\n".repeat(3000));
  });

  test("supervisor mode: env delivered, SIGTERM forwarded, exit with the child's code", async () => {
    const p = join(dir, "exec.hcl");
    const out = join(dir, "child-env");
    writeFileSync(
      p,
      `${auth()}
env_template "APP_USER" {
  contents = "{{ with secret \\"secret/test-cred1\\" }}{{ .Data.data.user }}{{ end }}"
}
env_template "APP_PASSWORD" {
  contents             = "{{ with secret \\"secret/test-cred1\\" }}{{ .Data.data.password }}{{ end }}"
  error_on_missing_key = true
}
exec {
  command = ["sh", "-c", "echo \\"$APP_USER $APP_PASSWORD\\" > ${out}; trap 'echo term >> ${out}; exit 42' TERM; while :; do sleep 0.05; done"]
}
`,
    );
    const bin = await vaultrunBinary();
    const agent = Bun.spawn([bin, "agent", `-config=${p}`], {
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "" },
    });
    await until(() => existsSync(out) && readFileSync(out, "utf8").includes("my-user"));
    expect(readFileSync(out, "utf8")).toBe("my-user my-password\n");
    agent.kill("SIGTERM");
    expect(await agent.exited).toBe(42);
    expect(readFileSync(out, "utf8")).toContain("term");
  });
});
