/** The config model: Vault's types and defaults, vaultrun's exec extensions, formats and merging. */
import { describe, expect, test } from "bun:test";
import { loadConfig, loadConfigText } from "../../src/config/index.ts";
import type { AgentConfig } from "../../src/config/types.ts";
import { BASE, loadError, tempDir } from "./helpers.ts";

const t = tempDir();
const load = (text: string, name = "c.hcl") => loadConfigText(`${t.dir}/${name}`, text, { env: {} });

const SUPERVISOR = `${BASE}
env_template "DB_PASSWORD" {
  contents = "{{ with secret \\"kv/data/db\\" }}{{ .Data.data.password }}{{ end }}"
  error_on_missing_key = true
}
exec {
  command = ["/usr/bin/app", "--serve"]
  restart_on_secret_changes = "always"
  restart_stop_signal = "sigint"
  restart_debounce = "500ms"
  kill_timeout = 10
  reload_signal = "SIGHUP"
  env {
    pristine = true
    allowlist = ["PATH", "APP_*"]
    denylist = ["AWS_*"]
  }
}
`;

describe("durations, modes and signals", () => {
  test("durations: Go strings, integer seconds, numeric strings", () => {
    const c = load(`${BASE}template {
  destination = "/tmp/a"
  contents = "x"
  command_timeout = "1m30s"
  wait { min = 2 }
}
template_config { static_secret_render_interval = "10" }
`).config;
    expect(c.templates[0]!.commandTimeout).toBe(90_000);
    expect(c.templates[0]!.wait).toEqual({ min: 2000, max: 8000, enabled: true });
    expect(c.templateConfig.staticSecretRenderInterval).toBe(10_000);
  });
  test("method durations", () => {
    const c = load(`auto_auth {
  method "approle" {
    wrap_ttl = "5m"
    min_backoff = 3
    max_backoff = "1h"
    config = { role_id_file_path = "/r" }
  }
  sink "file" { config = { path = "/t" } }
}
`).config;
    expect(c.autoAuth!.method).toMatchObject({
      wrapTTL: 300_000,
      minBackoff: 3000,
      maxBackoff: 3_600_000,
      mountPath: "auth/approle",
    });
  });
  test("file modes: octal literal, string, sink config", () => {
    const c = load(`${BASE}template {
  destination = "/tmp/a"
  contents = "x"
  perms = 0640
}
template {
  destination = "/tmp/b"
  contents = "y"
  perms = "0600"
}
`).config;
    expect(c.templates.map((x) => x.perms)).toEqual([0o640, 0o600]);
    const sink = load(`auto_auth {
  method "approle" { config = { role_id_file_path = "/r" } }
  sink "file" { config = { path = "/t", mode = 0644 } }
}
`).config.autoAuth!.sinks[0]!;
    expect(sink.config.mode).toBe(0o644);
  });
  test("signals are case-insensitive and need the SIG prefix", () => {
    const c = load(SUPERVISOR).config;
    expect(c.exec!.restartStopSignal).toBe("SIGINT");
    expect(() => load(SUPERVISOR.replace('"sigint"', '"INT"'))).toThrow('invalid signal "INT"');
    expect(() => load(SUPERVISOR.replace('"SIGHUP"', '"HUP"'))).toThrow('invalid signal "HUP"');
  });
});

describe("exec: Vault's keys and vaultrun's extensions", () => {
  test("all keys decode", () => {
    const c = load(SUPERVISOR).config;
    expect(c.exec).toMatchObject({
      command: ["/usr/bin/app", "--serve"],
      restartOnSecretChanges: "always",
      restartDebounce: 500,
      killTimeout: 10_000,
      reloadSignal: "SIGHUP",
      env: { pristine: true, allowlist: ["PATH", "APP_*"], denylist: ["AWS_*"] },
      childProcessStdout: "",
    });
    expect(c.envTemplates[0]).toMatchObject({
      name: "DB_PASSWORD",
      errorOnMissingKey: true,
      errorFatal: true,
    });
  });
  test("defaults keep Vault's behaviour", () => {
    const c = load(`${BASE}env_template "A" { contents = "x" }\nexec { command = "env" }\n`).config;
    expect(c.exec).toMatchObject({
      command: ["env"],
      restartOnSecretChanges: "always",
      restartStopSignal: "SIGTERM",
      restartDebounce: 2000,
      killTimeout: 30_000,
      reloadSignal: "",
      env: { pristine: false, allowlist: [], denylist: [] },
    });
  });
  test("env = { … } works like env { … }", () => {
    const c = load(
      `${BASE}env_template "A" { contents = "x" }\nexec {\n  command = ["env"]\n  env = { pristine = true }\n}\n`,
    ).config;
    expect(c.exec!.env.pristine).toBe(true);
  });
  test("unknown keys inside exec.env are rejected", () => {
    expect(() =>
      load(
        `${BASE}env_template "A" { contents = "x" }\nexec {\n  command = ["env"]\n  env { pristne = true }\n}\n`,
      ),
    ).toThrow("has invalid keys: pristne");
  });
  test("restart_on_secret_changes is checked", () => {
    expect(() => load(SUPERVISOR.replace('"always"', '"sometimes"'))).toThrow(
      `error validating configuration: 'exec.restart_on_secret_changes' unexpected value: "sometimes"`,
    );
  });
  test("template with env_template is accepted with a warning naming Vault's rejection", () => {
    const r = load(`${SUPERVISOR}template {\n  destination = "/tmp/f"\n  contents = "x"\n}\n`);
    expect(r.config.templates.length).toBe(1);
    const w = r.warnings.find((x) => x.message.includes("Vault Agent rejects"))!;
    expect(w.message).toContain("'template' cannot be specified with 'env_template' entries");
    expect(w.pos.line).toBe(25);
  });
});

describe("env_template rules", () => {
  const withEnv = (body: string) => `${BASE}env_template "X" {\n${body}\n}\nexec { command = ["env"] }\n`;
  test.each([
    ["destination", 'destination = "/x"'],
    ["perms", "perms = 0600"],
    ["wait", "wait { min = 1 }"],
    ["sandbox_path", 'sandbox_path = "/x"'],
    ["command", 'command = "x"'],
  ])("'%s' is not allowed", (key, line) => {
    expect(() => load(withEnv(`contents = "x"\n${line}`))).toThrow(
      `env_template[X]: '${key}' is not allowed`,
    );
  });
  test("contents or source, not both, not neither", () => {
    expect(() => load(withEnv('contents = "x"\nsource = "/y"'))).toThrow(
      "'contents' and 'source' cannot be specified together",
    );
    expect(() => load(withEnv("error_fatal = false"))).toThrow(
      "either 'contents' or 'source' must be specified",
    );
  });
  test("duplicate names across files", () => {
    const a = t.write(
      "dup/a.hcl",
      `${BASE}env_template "X" { contents = "1" }\nexec { command = ["env"] }\n`,
    );
    const b = t.write("dup/b.hcl", `env_template "X" { contents = "2" }\n`);
    expect(loadError([a, b]).message).toContain(`env_template: duplicate environment variable name: "X"`);
  });
  test("env_template needs exec", () => {
    expect(() => load(`${BASE}env_template "X" { contents = "1" }\n`)).toThrow(
      "a top-level 'exec' element must be specified with 'env_template' entries",
    );
  });
});

describe("template defaults and keys", () => {
  test("defaults", () => {
    const tpl = load(`${BASE}template {\n  source = "/in"\n  destination = "/out"\n}\n`).config.templates[0]!;
    expect(tpl).toMatchObject({
      createDestDirs: true,
      perms: 0,
      backup: false,
      errorOnMissingKey: false,
      errorFatal: true,
      leftDelimiter: "{{",
      rightDelimiter: "}}",
      commandTimeout: 30_000,
      command: [],
      exec: null,
      wait: null,
      uid: null,
      gid: null,
      functionDenylist: [],
    });
  });
  test("command string is split on commas (Consul Template)", () => {
    const tpl = load(`${BASE}template {\n  destination = "/o"\n  contents = "x"\n  command = "a b, c"\n}\n`)
      .config.templates[0]!;
    expect(tpl.command).toEqual(["a b", "c"]);
  });
  test("wait string form and its errors", () => {
    const w = (s: string) =>
      load(`${BASE}template {\n  destination = "/o"\n  contents = "x"\n  wait = "${s}"\n}\n`);
    expect(w("5s:10s").config.templates[0]!.wait).toEqual({ min: 5000, max: 10_000, enabled: true });
    expect(() => w("10s:5s")).toThrow("wait: min must be less than max");
  });
  test("function_blacklist is an alias of function_denylist", () => {
    const tpl = load(
      `${BASE}template {\n  destination = "/o"\n  contents = "x"\n  function_blacklist = ["plugin"]\n}\n`,
    ).config.templates[0]!;
    expect(tpl.functionDenylist).toEqual(["plugin"]);
  });
});

describe("vault stanza, listeners, cache, telemetry", () => {
  test("vault keys, namespace canonical form, retry mapping", () => {
    const v = load(`${BASE}vault {
  address = "https://vault:8200"
  ca_cert = "/ca.pem"
  tls_skip_verify = "true"
  namespace = "/team-a"
  retry { num_retries = -1 }
}
`).config.vault!;
    expect(v).toMatchObject({
      address: "https://vault:8200",
      caCert: "/ca.pem",
      tlsSkipVerify: true,
      namespace: "team-a/",
      retry: { numRetries: 0 },
    });
  });
  test("listeners are parsed and validated", () => {
    const c = load(
      `${BASE}listener "tcp" {\n  address = "127.0.0.1:8100"\n  tls_disable = true\n}\nlistener "unix" { address = "/tmp/s" }\n`,
    ).config;
    expect(c.listeners.map((l) => [l.type, l.address, l.tlsDisable, l.role])).toEqual([
      ["tcp", "127.0.0.1:8100", true, "default"],
      ["unix", "/tmp/s", false, "default"],
    ]);
    expect(() => load(`${BASE}listener "udp" {}\n`)).toThrow(
      `error parsing 'listener': listeners.0: unsupported listener type "udp"`,
    );
    expect(() => load(`${BASE}listener {}\n`)).toThrow("listener type must be specified");
  });
  test("cache use_auto_auth_token values", () => {
    expect(() => load(`${BASE}listener "tcp" {}\ncache { use_auto_auth_token = "sometimes" }\n`)).toThrow(
      `error parsing 'cache':value of 'use_auto_auth_token' can be either true/false/force, "sometimes" is an invalid option`,
    );
  });
  test("telemetry is kept as a map", () => {
    const c = load(
      `${BASE}telemetry {\n  prometheus_retention_time = "30s"\n  disable_hostname = true\n}\n`,
    ).config;
    expect(c.telemetry).toEqual({ prometheus_retention_time: "30s", disable_hostname: true });
  });
});

describe("JSON and TOML decode to the same config as HCL", () => {
  const strip = (c: AgentConfig) =>
    JSON.parse(JSON.stringify({ ...c, sources: [] }, (k, v) => (k === "pos" ? undefined : v)));
  const hcl = load(SUPERVISOR).config;
  test("JSON", () => {
    const json = JSON.stringify({
      auto_auth: {
        method: [{ type: "approle", config: { role_id_file_path: "/r", secret_id_file_path: "/s" } }],
        sink: [{ type: "file", config: { path: "/tmp/token" } }],
      },
      env_template: {
        DB_PASSWORD: {
          contents: '{{ with secret "kv/data/db" }}{{ .Data.data.password }}{{ end }}',
          error_on_missing_key: true,
        },
      },
      exec: {
        command: ["/usr/bin/app", "--serve"],
        restart_on_secret_changes: "always",
        restart_stop_signal: "sigint",
        restart_debounce: "500ms",
        kill_timeout: 10,
        reload_signal: "SIGHUP",
        env: { pristine: true, allowlist: ["PATH", "APP_*"], denylist: ["AWS_*"] },
      },
    });
    const c = load(json, "c.json").config;
    expect(strip(c)).toEqual(strip(hcl));
  });
  test("TOML", () => {
    const toml = `[auto_auth.method]
type = "approle"
config = { role_id_file_path = "/r", secret_id_file_path = "/s" }

[[auto_auth.sink]]
type = "file"
config = { path = "/tmp/token" }

[env_template.DB_PASSWORD]
contents = '{{ with secret "kv/data/db" }}{{ .Data.data.password }}{{ end }}'
error_on_missing_key = true

[exec]
command = ["/usr/bin/app", "--serve"]
restart_on_secret_changes = "always"
restart_stop_signal = "sigint"
restart_debounce = "500ms"
kill_timeout = 10
reload_signal = "SIGHUP"

[exec.env]
pristine = true
allowlist = ["PATH", "APP_*"]
denylist = ["AWS_*"]
`;
    const c = load(toml, "c.toml").config;
    expect(strip(c)).toEqual(strip(hcl));
  });
});

describe("merging files and directories (spec §1.2)", () => {
  test("blocks replace, lists concatenate, scalars: later non-empty wins, exit_after_auth ORs", () => {
    const a = t.write(
      "m/1.hcl",
      `${BASE}vault { address = "http://a" }\npid_file = "/a"\nexit_after_auth = true\nlog_rotate_bytes = 5\ntemplate {\n  destination = "/a"\n  contents = "a"\n}\n`,
    );
    const b = t.write(
      "m/2.hcl",
      `vault { tls_skip_verify = true }\npid_file = ""\nexit_after_auth = false\nlog_rotate_bytes = 0\ntemplate {\n  destination = "/b"\n  contents = "b"\n}\n`,
    );
    const c = loadConfig([a, b], { env: {} }).config;
    expect(c.vault).toMatchObject({ address: "", tlsSkipVerify: true }); // whole block replaced
    expect(c.pidFile).toBe("/a");
    expect(c.exitAfterAuth).toBe(true);
    expect(c.logRotateBytes).toBe(0); // set in the later file at all → wins
    expect(c.templates.map((x) => x.destination)).toEqual(["/a", "/b"]);
    expect(c.sources).toEqual([a, b]);
  });
  test("a directory loads its config files in sorted name order, skipping others", () => {
    t.write("d/b.hcl", `template {\n  destination = "/b"\n  contents = "b"\n}\n`);
    t.write("d/a.hcl", `${BASE}template {\n  destination = "/a"\n  contents = "a"\n}\n`);
    t.write("d/c.json", `{"template": [{"destination": "/c", "contents": "c"}]}`);
    t.write("d/a.hcl~", "garbage {");
    t.write("d/.#a.hcl", "garbage {");
    t.write("d/#a.hcl#", "garbage {");
    t.write("d/readme.md", "garbage {");
    t.write("d/sub/x.hcl", "garbage {");
    const c = loadConfig([`${t.dir}/d`], { env: {} }).config;
    expect(c.templates.map((x) => x.destination)).toEqual(["/a", "/b", "/c"]);
    expect(c.sources.map((s) => s.slice(t.dir.length))).toEqual(["/d/a.hcl", "/d/b.hcl", "/d/c.json"]);
  });
});

describe("cache and api_proxy use_auto_auth_token", () => {
  const L = `${BASE}listener "tcp" { address = "127.0.0.1:8100" }\n`;
  test("set in both blocks is rejected", () => {
    expect(() =>
      load(`${L}cache { use_auto_auth_token = true }\napi_proxy { use_auto_auth_token = true }\n`),
    ).toThrow("use_auto_auth_token defined in both api_proxy and cache config");
  });
  test("set in cache only, with an api_proxy block: force carries over", () => {
    const c = load(
      `${L}cache { use_auto_auth_token = "force" }\napi_proxy { enforce_consistency = "always" }\n`,
    ).config;
    expect(c.apiProxy).toMatchObject({ forceAutoAuthToken: true, enforceConsistency: "always" });
  });
  test("set in cache only, no api_proxy: one is synthesized", () => {
    const c = load(`${L}cache { use_auto_auth_token = true }\n`).config;
    expect(c.apiProxy).toMatchObject({ useAutoAuthToken: true, forceAutoAuthToken: false });
  });
});

test("aad_env_var reads the loader's environment", () => {
  const text = `auto_auth {
  method "approle" { config = { role_id_file_path = "/r" } }
  sink "file" {
    dh_type = "curve25519"
    dh_path = "/dh.json"
    aad_env_var = "MY_AAD"
    config = { path = "/t" }
  }
}
`;
  const sink = loadConfigText("aad.hcl", text, { env: { MY_AAD: "from-env" } }).config.autoAuth!.sinks[0]!;
  expect(sink.aad).toBe("from-env");
});

test("a leading byte-order mark is accepted in every format", () => {
  expect(load(`\uFEFF${BASE}`).config.autoAuth).not.toBeNull();
  expect(load('\uFEFF{"pid_file": "/p", "listener": [{"type": "tcp"}]}', "b.json").config.pidFile).toBe("/p");
  expect(load('\uFEFFpid_file = "/p"\n[[listener]]\ntype = "tcp"\n', "b.toml").config.pidFile).toBe("/p");
});

describe("template_config.allow_functions (vaultrun extension)", () => {
  test("off by default; named functions are allowed", () => {
    expect(load(BASE).config.templateConfig.allowFunctions).toEqual([]);
    const c = load(
      `${BASE}template_config {\n  allow_functions = ["writeToFile", "plugin"]\n}\n`,
      "af.hcl",
    ).config;
    expect(c.templateConfig.allowFunctions).toEqual(["writeToFile", "plugin"]);
  });
});
