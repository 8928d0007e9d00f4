/**
 * The flags of `vault agent` (spec §1.1), with Go flag semantics (src/cli/flags.ts), and their
 * precedence over the config file (flag > VAULT_* env > file > default, in
 * src/config/overrides.ts). Generic HTTP flags Vault's agent inherits but does not use are
 * accepted and ignored, so existing command lines keep working.
 */
import { parseGoDuration } from "../clock/duration.ts";
import { applyAgentOverrides } from "../config/overrides.ts";
import { FlagSet } from "./flags.ts";

export { applyAgentOverrides };

const HTTP = "HTTP Options";
const LOG = "Log Options";

export function agentFlagSet(): FlagSet {
  return (
    new FlagSet(
      "agent",
      "vaultrun agent [options]",
      "Starts a Vault Agent compatible agent: auto-auth, token sinks, templates and\n" +
        "process supervisor mode (env_template + exec), configured by -config.",
    )
      .add({
        name: "config",
        kind: "strings",
        placeholder: "string",
        usage: "Path to a config file or directory (HCL, JSON or TOML). Repeat to merge several.",
      })
      .add({
        name: "exit-after-auth",
        kind: "bool",
        usage: "Exit with code 0 after one successful auth, once sinks and templates are written.",
      })
      .add({
        name: "exec-command",
        kind: "string",
        usage: "vaultrun: run this command (via sh -c) as the exec child, overriding exec.command.",
      })
      // Log options
      .add({
        name: "log-level",
        kind: "string",
        section: LOG,
        usage: "trace, debug, info, warn or error. Env: VAULT_LOG_LEVEL.",
      })
      .add({
        name: "log-format",
        kind: "string",
        section: LOG,
        usage: "standard or json. Env: VAULT_LOG_FORMAT.",
      })
      .add({
        name: "log-file",
        kind: "string",
        section: LOG,
        usage: "Also write logs to this file (a path ending in / means <dir>/agent.log).",
      })
      .add({
        name: "log-rotate-bytes",
        kind: "int",
        section: LOG,
        usage: "Rotate the log file after this many bytes (0: no limit).",
      })
      .add({
        name: "log-rotate-duration",
        kind: "string",
        placeholder: "duration",
        section: LOG,
        usage: "Rotate the log file after this long (default 24h).",
        validate: (v) => void parseGoDuration(v),
      })
      .add({
        name: "log-rotate-max-files",
        kind: "int",
        section: LOG,
        usage: "Rotated files to keep (0: all, -1: none).",
      })
      // HTTP options (Vault's generic client flags)
      .add({ name: "address", kind: "string", section: HTTP, usage: "Vault address. Env: VAULT_ADDR." })
      .add({
        name: "agent-address",
        kind: "string",
        section: HTTP,
        usage: "Ignored by the agent (its client never loops back to itself).",
      })
      .add({
        name: "ca-cert",
        kind: "string",
        section: HTTP,
        usage: "PEM CA certificate file. Env: VAULT_CACERT.",
      })
      .add({
        name: "ca-path",
        kind: "string",
        section: HTTP,
        usage: "Directory of PEM CA certificates. Env: VAULT_CAPATH.",
      })
      .add({
        name: "client-cert",
        kind: "string",
        section: HTTP,
        usage: "PEM client certificate for TLS. Env: VAULT_CLIENT_CERT.",
      })
      .add({
        name: "client-key",
        kind: "string",
        section: HTTP,
        usage: "PEM client key for TLS. Env: VAULT_CLIENT_KEY.",
      })
      .add({
        name: "tls-server-name",
        kind: "string",
        section: HTTP,
        usage: "SNI host name. Env: VAULT_TLS_SERVER_NAME.",
      })
      .add({
        name: "tls-skip-verify",
        kind: "bool",
        section: HTTP,
        usage: "Do not verify Vault's certificate (insecure). Env: VAULT_SKIP_VERIFY.",
      })
      .add({
        name: "namespace",
        aliases: ["ns"],
        kind: "string",
        section: HTTP,
        usage: "Namespace for all requests. Env: VAULT_NAMESPACE.",
      })
      .add({
        name: "header",
        kind: "strings",
        placeholder: "key=value",
        section: HTTP,
        usage: "Extra HTTP header for the agent's own requests (repeatable).",
      })
      // Accepted for compatibility with Vault's generic CLI flags; they have no effect on the agent.
      .add({ name: "wrap-ttl", kind: "string", section: HTTP, hidden: true, usage: "Ignored by the agent." })
      .add({ name: "mfa", kind: "strings", section: HTTP, hidden: true, usage: "Ignored by the agent." })
      .add({
        name: "policy-override",
        kind: "bool",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      .add({
        name: "disable-redirects",
        kind: "bool",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      .add({
        name: "output-curl-string",
        kind: "bool",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      .add({
        name: "output-policy",
        kind: "bool",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      .add({
        name: "unlock-key",
        kind: "string",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      .add({
        name: "non-interactive",
        kind: "bool",
        section: HTTP,
        hidden: true,
        usage: "Ignored by the agent.",
      })
      // Hidden, as in Vault
      .add({ name: "combine-logs", kind: "bool", hidden: true, usage: "Logs to stdout, no banner." })
      .add({
        name: "test-verify-only",
        kind: "bool",
        hidden: true,
        usage: "Load and validate the config, then exit.",
      })
  );
}
