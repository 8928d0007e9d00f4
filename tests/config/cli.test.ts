/** `vaultrun config validate|print` end to end through the compiled binary. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";
import { BASE, tempDir } from "./helpers.ts";

const corpus = join(import.meta.dir, "../../../shared/corpus/openbao-agent-configs");
const t = tempDir();

describe("vaultrun config validate", () => {
  test("a valid config", async () => {
    const r = await runBinary(["config", "validate", "-config", join(corpus, "config-template-full.hcl")]);
    expect(r).toMatchObject({ code: 0, stdout: "Configuration is valid.\n", stderr: "" });
  });
  test("positional paths and repeated -config merge", async () => {
    const a = t.write("a.hcl", BASE);
    const b = t.write("b.hcl", `template {\n  destination = "/o"\n  contents = "x"\n}\n`);
    const r = await runBinary(["config", "validate", `-config=${a}`, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Configuration is valid.\n");
  });
  test("warnings: file:line:col: warning: …", async () => {
    const file = join(corpus, "bad-config-env-templates-with-file-templates.hcl");
    const r = await runBinary(["config", "validate", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Configuration is valid.\n");
    expect(r.stderr).toMatch(
      new RegExp(`^${file}:\\d+:\\d+: warning: .*Vault Agent rejects this config`, "m"),
    );
  });
  test("a typo is a warning with its position", async () => {
    const file = t.write("typo.hcl", `${BASE}pid_flie = "/run/agent.pid"\n`);
    const r = await runBinary(["config", "validate", file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}:7:1: warning: unknown key "pid_flie" in the top level is ignored\n`);
  });
  test("an invalid config: Vault's message with its position, exit 1", async () => {
    const file = join(corpus, "bad-config-method-wrapping-and-sink-wrapping.hcl");
    const r = await runBinary(["config", "validate", "-config", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      new RegExp(
        `^${file}:\\d+:\\d+: error parsing 'auto_auth': error parsing auto_auth: wrapping enabled both on auth method and sink\\n$`,
      ),
    );
  });
  test("a syntax error", async () => {
    const file = t.write("syntax.hcl", `${BASE}template {\n  contents = <<EOT\nno end\n`);
    const r = await runBinary(["config", "validate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}:10:1: heredoc not terminated\n`);
  });
  test("no path", async () => {
    const r = await runBinary(["config", "validate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Must specify at least one config path");
  });
  test("an empty directory", async () => {
    const dir = join(t.dir, "empty");
    t.write("empty/.keep", "");
    const r = await runBinary(["config", "validate", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error loading configuration from ${dir}: no configuration files`);
  });
  test("an unknown flag is a Go-style flag error", async () => {
    const r = await runBinary(["config", "validate", "-bogus"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flag provided but not defined: -bogus");
  });
});

describe("vaultrun config print", () => {
  test("prints the loaded, defaulted config as JSON", async () => {
    const r = await runBinary(
      ["config", "print", "-config", join(corpus, "config-env-templates-complex.hcl")],
      {
        env: { VAULT_ADDR: "http://127.0.0.1:8200" },
      },
    );
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.vault.address).toBe("http://127.0.0.1:8200");
    expect(c.vault.retry).toEqual({ numRetries: 12 });
    expect(c.exec).toMatchObject({
      restartOnSecretChanges: "never",
      restartStopSignal: "SIGINT",
      restartDebounce: 2000,
      killTimeout: 30000,
    });
    expect(c.envTemplates.map((e: { name: string }) => e.name).sort()).toEqual(["FOO_PASSWORD", "FOO_USER"]);
    expect(c.templateConfig.maxConnectionsPerHost).toBe(10);
    expect(r.stdout).not.toContain('"pos"');
  });
  test("errors as for validate", async () => {
    const r = await runBinary(["config", "print", join(corpus, "bad-config-disable-keep-alives.hcl")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown disable_keep_alives value: foo");
  });
});
