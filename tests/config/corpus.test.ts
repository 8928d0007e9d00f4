import { describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.ts";

const corpus = join(import.meta.dir, "../../../shared/corpus/openbao-agent-configs");
// The corpus keeps its goldens (*.ast.json, *.hcl1.json) beside the configs; a config directory must
// hold only configs, so the config-dir-* fixtures are copied without them.
const dirCopies = mkdtempSync(join(tmpdir(), "vaultrun-corpus-"));
process.on("exit", () => rmSync(dirCopies, { recursive: true, force: true }));
const at = (name: string) => {
  if (!name.startsWith("config-dir-")) return join(corpus, name);
  const dest = join(dirCopies, name);
  cpSync(join(corpus, name), dest, { recursive: true, filter: (src) => !src.endsWith(".json") });
  return dest;
};

/** Vault's expected rejection text for every bad fixture (spec §8.1). */
const BAD: Record<string, string> = {
  "bad-config-api_proxy-cache.hcl": "use_auto_auth_token defined in both api_proxy and cache config",
  "bad-config-auto_auth-nosinks-nocache-notemplates.hcl":
    "auto_auth requires at least one sink or at least one template or api_proxy.use_auto_auth_token=true",
  "bad-config-auto_auth-wrapped-multiple-sinks.hcl":
    "error parsing 'auto_auth': error parsing auto_auth: wrapping enabled on auth method and 0 or many sinks defined",
  "bad-config-cache-auto_auth-method-wrapping.hcl":
    "cache.use_auto_auth_token is true and auto_auth uses wrapping",
  "bad-config-cache-force-token-no-auth-method.hcl":
    "cache.use_auto_auth_token is true but auto_auth not configured",
  "bad-config-cache-inconsistent-auto_auth.hcl":
    "cache.use_auto_auth_token is true but auto_auth not configured",
  "bad-config-cache-no-listeners.hcl":
    "enabling the cache requires at least 1 template or 1 listener to be defined",
  "bad-config-disable-idle-connections.hcl": "unknown disable_idle_connections value: foo",
  "bad-config-disable-keep-alives.hcl": "unknown disable_keep_alives value: foo",
  "bad-config-env-templates-disalowed-fields.hcl":
    "env_template[FOO_PASSWORD]: 'create_dest_dirs' is not allowed",
  "bad-config-env-templates-invalid-signal.hcl": `error parsing 'exec': invalid signal "notasignal" - valid signals are [`,
  "bad-config-env-templates-missing-exec.hcl":
    "a top-level 'exec' element must be specified with 'env_template' entries",
  "bad-config-env-templates-no-name.hcl":
    "error parsing 'env_template': expected one and only one environment variable name, got 0",
  "bad-config-env-templates-with-proxy.hcl": "'api_proxy' cannot be specified with 'env_template' entries",
  "bad-config-method-wrapping-and-sink-wrapping.hcl":
    "error parsing 'auto_auth': error parsing auto_auth: wrapping enabled both on auth method and sink",
  "config-cache-persist-empty-type.hcl":
    "error parsing 'cache':error parsing persist: persist type must be specified",
};

/** Valid fixtures that load but fail Vault's validation (spec §8.2 notes). */
const LOAD_ONLY = new Set(["config-template_config.hcl", "config-template_config-empty.hcl"]);

describe("OpenBao fixtures: bad configs are rejected with Vault's reason", () => {
  for (const [name, reason] of Object.entries(BAD)) {
    test(name, () => {
      expect(() => loadConfig([at(name)])).toThrow(reason);
    });
  }
  test("errors carry file:line:col", () => {
    expect(() => loadConfig([at("bad-config-env-templates-invalid-signal.hcl")])).toThrow(
      /bad-config-env-templates-invalid-signal\.hcl:\d+:\d+: /,
    );
  });
  test("template + env_template is a vaultrun extension: accepted, with a warning", () => {
    const { warnings } = loadConfig([at("bad-config-env-templates-with-file-templates.hcl")]);
    expect(warnings.map((w) => w.message).join("\n")).toContain("Vault Agent rejects this config");
  });
});

describe("OpenBao fixtures: good configs load", () => {
  const names = readdirSync(corpus).filter(
    (n) => n.startsWith("config") && !n.endsWith(".json") && !(n in BAD),
  );
  for (const name of names) {
    test(name, () => {
      expect(() => loadConfig([at(name)], { validate: !LOAD_ONLY.has(name) })).not.toThrow();
    });
  }
  test("template_config-only files fail validation as in Vault", () => {
    expect(() => loadConfig([at("config-template_config.hcl")])).toThrow(
      "no auto_auth, cache, or listener block found in config",
    );
  });
});

describe("decoded values", () => {
  test("config-template-full", () => {
    const { config } = loadConfig([at("config-template-full.hcl")]);
    const t = config.templates[0]!;
    expect(t).toMatchObject({
      destination: "/path/on/disk/where/template/will/render.txt",
      createDestDirs: true,
      command: ["restart service foo"],
      commandTimeout: 60_000,
      errorOnMissingKey: true,
      perms: 0o655,
      backup: true,
      leftDelimiter: "<<",
      rightDelimiter: ">>",
      sandboxPath: "/path/on/disk/where",
      wait: { min: 10_000, max: 40_000, enabled: true },
      exec: { command: ["foo"], timeout: 10_000 },
    });
    expect(config.autoAuth!.method).toMatchObject({
      type: "aws",
      namespace: "my-namespace/",
      mountPath: "auth/aws",
    });
    expect(config.pidFile).toBe("./pidfile");
  });
  test("config-env-templates-simple and -complex", () => {
    const simple = loadConfig([at("config-env-templates-simple.hcl")]).config;
    expect(simple.exec).toMatchObject({ restartOnSecretChanges: "always", restartStopSignal: "SIGTERM" });
    expect(simple.envTemplates.length).toBe(1);
    const complex = loadConfig([at("config-env-templates-complex.hcl")]).config;
    expect(complex.exec).toMatchObject({ restartOnSecretChanges: "never", restartStopSignal: "SIGINT" });
    expect(complex.envTemplates.map((e) => e.name).sort()).toEqual(["FOO_PASSWORD", "FOO_USER"]);
  });
  test("config-method-*", () => {
    const w = loadConfig([at("config-method-wrapping.hcl")]).config.autoAuth!.method;
    expect(w).toMatchObject({ wrapTTL: 300_000, maxBackoff: 120_000 });
    expect(loadConfig([at("config-method-initial-backoff.hcl")]).config.autoAuth!.method.minBackoff).toBe(
      5_000,
    );
    expect(loadConfig([at("config-method-exit-on-err.hcl")]).config.autoAuth!.method.exitOnErr).toBe(true);
  });
  test("config-vault-retry*", () => {
    expect(loadConfig([at("config-vault-retry.hcl")]).config.vault!.retry.numRetries).toBe(5);
    expect(loadConfig([at("config-vault-retry-empty.hcl")]).config.vault!.retry.numRetries).toBe(12);
  });
  test("config-template_config", () => {
    const c = loadConfig([at("config-template_config.hcl")], { validate: false }).config;
    expect(c.templateConfig).toMatchObject({ exitOnRetryFailure: true, staticSecretRenderInterval: 60_000 });
    expect(c.vault!.retry.numRetries).toBe(5);
  });
  test("config-dir-* merge files", () => {
    const cache = loadConfig([at("config-dir-cache")]).config;
    expect(cache.listeners.length).toBeGreaterThan(0);
    expect(cache.cache).not.toBeNull();
    expect(cache.vault).not.toBeNull();
    const aal = loadConfig([at("config-dir-auto-auth-and-listener")]).config;
    expect(aal.autoAuth).not.toBeNull();
    expect(aal.listeners.length).toBeGreaterThan(0);
    expect(aal.pidFile).not.toBe("");
    const vb = loadConfig([at("config-dir-vault-block")]).config;
    expect(vb.vault).not.toBeNull();
    expect(vb.autoAuth).not.toBeNull();
  });
  test("disable_* lists and the env override", () => {
    expect(
      loadConfig([at("config-disable-idle-connections-all.hcl")]).config.disableIdleConnections.sort(),
    ).toEqual(["auto-auth", "caching", "proxying", "templating"]);
    const env = { VAULT_AGENT_DISABLE_IDLE_CONNECTIONS: "auto-auth,caching,templating" };
    expect(
      loadConfig([at("config-disable-idle-connections-empty.hcl")], { env }).config.disableIdleConnections,
    ).toEqual(["auto-auth", "caching", "templating"]);
  });
  test("config.hcl: labels, namespace, sinks", () => {
    const c = loadConfig([at("config.hcl")], { env: {} }).config;
    expect(c.autoAuth!.sinks.length).toBe(2);
    expect(c.autoAuth!.sinks[1]!.wrapTTL).toBe(300_000);
    expect(c.autoAuth!.sinks[1]!.deriveKey).toBe(true);
    const e = loadConfig([at("config-embedded-type.hcl")], { env: {} }).config;
    expect(e.autoAuth!.method.type).toBe(c.autoAuth!.method.type);
    expect(e.autoAuth!.sinks.map((s) => s.type)).toEqual(c.autoAuth!.sinks.map((s) => s.type));
  });
});
