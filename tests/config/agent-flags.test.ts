/** `vault agent` flags and the precedence flag > VAULT_* env > file > default (spec §1.1). */
import { describe, expect, test } from "bun:test";
import { agentFlagSet, applyAgentOverrides } from "../../src/cli/agent-flags.ts";
import { FlagError } from "../../src/cli/flags.ts";
import { ConfigError, loadConfigText } from "../../src/config/index.ts";
import { BASE } from "./helpers.ts";

const FILE_VAULT = `${BASE}vault {
  address = "https://file:8200"
  ca_cert = "/file/ca.pem"
  ca_path = "/file/cas"
  client_cert = "/file/cert.pem"
  client_key = "/file/key.pem"
  tls_server_name = "file.example"
  namespace = "file-ns"
}
log_level = "warn"
log_format = "json"
exit_after_auth = true
`;

function effective(file: string, argv: string[], env: Record<string, string | undefined> = {}) {
  const parsed = agentFlagSet().parse(argv);
  const { config } = loadConfigText("/cfg/agent.hcl", file, { env });
  applyAgentOverrides(config, parsed, env);
  return config;
}

describe("agent flags", () => {
  test("every vault agent flag is accepted", () => {
    const p = agentFlagSet().parse([
      "-config=/a.hcl",
      "-config",
      "/dir",
      "-exit-after-auth",
      "-log-level=debug",
      "-log-format=json",
      "-log-file=/tmp/agent.log",
      "-log-rotate-bytes=1024",
      "-log-rotate-duration=1h",
      "-log-rotate-max-files=3",
      "-address=http://x",
      "-ca-cert=/ca",
      "-ca-path=/cas",
      "-client-cert=/c",
      "-client-key=/k",
      "-tls-server-name=n",
      "-tls-skip-verify",
      "-ns=team",
      "-agent-address=http://ignored",
      "-header=X-A=1",
      "-header",
      "X-B=2",
      "-combine-logs",
      "-test-verify-only",
      "-wrap-ttl=5m",
      "-mfa=x",
      "-policy-override",
      "-disable-redirects",
      "-output-curl-string=false",
      "-output-policy=false",
      "-unlock-key=k",
      "-non-interactive",
    ]);
    expect(p.values.config).toEqual(["/a.hcl", "/dir"]);
    expect(p.values.namespace).toBe("team");
    expect(p.values.header).toEqual(["X-A=1", "X-B=2"]);
    expect(p.args).toEqual([]);
  });
  test("hidden flags stay out of the help text", () => {
    const usage = agentFlagSet().usage();
    expect(usage).toContain("-log-rotate-max-files");
    expect(usage).toContain("-namespace");
    expect(usage).not.toContain("-combine-logs");
    expect(usage).not.toContain("-test-verify-only");
  });
  test("a bad duration is a flag error", () => {
    expect(() => agentFlagSet().parse(["-log-rotate-duration=soon"])).toThrow(FlagError);
  });
});

describe("precedence", () => {
  test("file values apply when no flag or env is given", () => {
    const c = effective(FILE_VAULT, []);
    expect(c.vault).toMatchObject({
      address: "https://file:8200",
      caCert: "/file/ca.pem",
      caPath: "/file/cas",
      clientCert: "/file/cert.pem",
      clientKey: "/file/key.pem",
      tlsServerName: "file.example",
      namespace: "file-ns/",
      tlsSkipVerify: false,
    });
    expect([c.logLevel, c.logFormat, c.exitAfterAuth]).toEqual(["warn", "json", true]);
  });
  const env = {
    VAULT_ADDR: "http://env:8200",
    VAULT_CACERT: "/env/ca.pem",
    VAULT_CAPATH: "/env/cas",
    VAULT_CLIENT_CERT: "/env/cert.pem",
    VAULT_CLIENT_KEY: "/env/key.pem",
    VAULT_TLS_SERVER_NAME: "env.example",
    VAULT_SKIP_VERIFY: "1",
    VAULT_NAMESPACE: "env-ns",
    VAULT_MAX_RETRIES: "3",
    VAULT_LOG_LEVEL: "trace",
    VAULT_LOG_FORMAT: "standard",
  };
  test("VAULT_* env beats the file", () => {
    const c = effective(FILE_VAULT, [], env);
    expect(c.vault).toMatchObject({
      address: "http://env:8200",
      caCert: "/env/ca.pem",
      caPath: "/env/cas",
      clientCert: "/env/cert.pem",
      clientKey: "/env/key.pem",
      tlsServerName: "env.example",
      namespace: "env-ns/",
      tlsSkipVerify: true,
      retry: { numRetries: 3 },
    });
    expect([c.logLevel, c.logFormat]).toEqual(["trace", "standard"]);
  });
  test("flags beat env", () => {
    const c = effective(
      FILE_VAULT,
      [
        "-address=http://flag:8200",
        "-ca-cert=/flag/ca.pem",
        "-ca-path=/flag/cas",
        "-client-cert=/flag/cert.pem",
        "-client-key=/flag/key.pem",
        "-tls-server-name=flag.example",
        "-tls-skip-verify=false",
        "-namespace=flag-ns",
        "-log-level=error",
        "-log-format=json",
        "-exit-after-auth=false",
        "-log-rotate-duration=90m",
        "-log-rotate-bytes=10",
        "-log-rotate-max-files=-1",
        "-log-file=/tmp/x.log",
      ],
      env,
    );
    expect(c.vault).toMatchObject({
      address: "http://flag:8200",
      caCert: "/flag/ca.pem",
      caPath: "/flag/cas",
      clientCert: "/flag/cert.pem",
      clientKey: "/flag/key.pem",
      tlsServerName: "flag.example",
      namespace: "flag-ns/",
      tlsSkipVerify: false,
    });
    expect(c).toMatchObject({
      logLevel: "error",
      logFormat: "json",
      exitAfterAuth: false,
      logRotateDuration: 90 * 60_000,
      logRotateBytes: 10,
      logRotateMaxFiles: -1,
      logFile: "/tmp/x.log",
    });
  });
  test("no vault stanza: created with defaults", () => {
    const c = effective(BASE, []);
    expect(c.vault).toMatchObject({
      address: "https://127.0.0.1:8200",
      namespace: "",
      retry: { numRetries: 12 },
      tlsSkipVerify: false,
    });
  });
  test("empty env values count as unset", () => {
    expect(effective(FILE_VAULT, [], { VAULT_ADDR: "" }).vault!.address).toBe("https://file:8200");
  });
  test("VAULT_SKIP_VERIFY: any value but an explicit false word means true", () => {
    expect(effective(BASE, [], { VAULT_SKIP_VERIFY: "yes" }).vault!.tlsSkipVerify).toBe(true);
    expect(effective(BASE, [], { VAULT_SKIP_VERIFY: "false" }).vault!.tlsSkipVerify).toBe(false);
  });
  test("method namespace becomes the client namespace unless a flag or env sets one", () => {
    const file = FILE_VAULT.replace('method "approle" {', 'method "approle" {\n    namespace = "method-ns"');
    expect(effective(file, []).vault!.namespace).toBe("method-ns/");
    expect(effective(file, ["-ns=/flag"]).vault!.namespace).toBe("flag/");
  });
  test("exit_after_auth from the file is kept unless the flag is given", () => {
    expect(effective(BASE, ["-exit-after-auth"]).exitAfterAuth).toBe(true);
    expect(effective(`${BASE}exit_after_auth = true\n`, []).exitAfterAuth).toBe(true);
  });
  test("headers and bad values", () => {
    expect(effective(BASE, ["-header=X-A=1=2", "-header=X-B="]).vault!.headers).toEqual({
      "X-A": "1=2",
      "X-B": "",
    });
    expect(() => effective(BASE, ["-header=novalue"])).toThrow(ConfigError);
    expect(() => effective(BASE, [], { VAULT_MAX_RETRIES: "lots" })).toThrow(
      'VAULT_MAX_RETRIES: invalid number "lots"',
    );
  });
  test("VAULT_AGENT_DISABLE_* replace the file lists", () => {
    const c = effective(`${BASE}disable_keep_alives = ["caching"]\n`, [], {
      VAULT_AGENT_DISABLE_KEEP_ALIVES: "Auto-Auth, templating",
      VAULT_AGENT_DISABLE_IDLE_CONNECTIONS: "",
    });
    expect(c.disableKeepAlives).toEqual(["auto-auth", "templating"]);
    expect(c.disableIdleConnections).toEqual([]);
    expect(() => effective(BASE, [], { VAULT_AGENT_DISABLE_KEEP_ALIVES: "bogus" })).toThrow(
      "unknown disable_keep_alives value: bogus",
    );
  });
});
