/**
 * The flags of `vault agent` (spec §1.1) and their precedence over the config file:
 * flag > VAULT_* environment variable > file > default.
 */
import { parseGoDuration } from "../clock/duration.ts";
import { canonicalNamespace } from "../config/decode.ts";
import { defaultVault } from "../config/decode.ts";
import type { AgentConfig } from "../config/types.ts";
import { FlagSet, type ParsedFlags, parseGoBool } from "./flags.ts";

const HTTP = "HTTP Options";
const LOG = "Log Options";

export function agentFlagSet(): FlagSet {
  return new FlagSet(
    "agent",
    "vaultrun agent [options]",
    "Starts a Vault Agent compatible agent: auto-auth, token sinks, templates and\nprocess supervisor mode (env_template + exec), configured by -config.",
  )
    .add({ name: "config", kind: "strings", placeholder: "string", usage: "Path to a config file or directory. Repeat to merge several." })
    .add({ name: "exit-after-auth", kind: "bool", usage: "Exit with code 0 after one successful auth, once sinks and templates are written." })
    .add({ name: "exec-command", kind: "string", usage: "vaultrun: run this command (via sh -c) as the exec child, overriding exec.command." })
    .add({ name: "log-level", kind: "string", section: LOG, usage: "trace, debug, info, warn or error. Env: VAULT_LOG_LEVEL." })
    .add({ name: "log-format", kind: "string", section: LOG, usage: "standard or json. Env: VAULT_LOG_FORMAT." })
    .add({ name: "log-file", kind: "string", section: LOG, usage: "Also write logs to this file (a path ending in / means <dir>/agent.log)." })
    .add({ name: "log-rotate-bytes", kind: "int", section: LOG, usage: "Rotate the log file after this many bytes (0: no limit)." })
    .add({ name: "log-rotate-duration", kind: "string", section: LOG, usage: "Rotate the log file after this long (default 24h)." })
    .add({ name: "log-rotate-max-files", kind: "int", section: LOG, usage: "Rotated files to keep (0: all, -1: none)." })
    .add({ name: "address", kind: "string", section: HTTP, usage: "Vault address. Env: VAULT_ADDR." })
    .add({ name: "agent-address", kind: "string", section: HTTP, usage: "Ignored by the agent (its client never loops back to itself)." })
    .add({ name: "ca-cert", kind: "string", section: HTTP, usage: "PEM CA certificate file. Env: VAULT_CACERT." })
    .add({ name: "ca-path", kind: "string", section: HTTP, usage: "Directory of PEM CA certificates. Env: VAULT_CAPATH." })
    .add({ name: "client-cert", kind: "string", section: HTTP, usage: "PEM client certificate for TLS. Env: VAULT_CLIENT_CERT." })
    .add({ name: "client-key", kind: "string", section: HTTP, usage: "PEM client key for TLS. Env: VAULT_CLIENT_KEY." })
    .add({ name: "tls-server-name", kind: "string", section: HTTP, usage: "SNI host name. Env: VAULT_TLS_SERVER_NAME." })
    .add({ name: "tls-skip-verify", kind: "bool", section: HTTP, usage: "Do not verify Vault's certificate (insecure). Env: VAULT_SKIP_VERIFY." })
    .add({ name: "namespace", aliases: ["ns"], kind: "string", section: HTTP, usage: "Namespace for all requests. Env: VAULT_NAMESPACE." })
    .add({ name: "header", kind: "strings", section: HTTP, usage: "Extra HTTP header (key=value) for the agent's own requests." })
    .add({ name: "combine-logs", kind: "bool", hidden: true, usage: "Logs to stdout, no banner." })
    .add({ name: "test-verify-only", kind: "bool", hidden: true, usage: "Load and validate the config, then exit." });
}

/** Applies flag > env > file precedence for the vault stanza and log settings (in place). */
export function applyAgentOverrides(config: AgentConfig, parsed: ParsedFlags, env: Record<string, string | undefined>): void {
  const flag = (name: string): string | undefined => (parsed.set.has(name) ? String(parsed.values[name]) : undefined);
  const pick = (flagName: string, envName: string): string | undefined => flag(flagName) ?? (env[envName] || undefined);

  const v = config.vault ?? defaultVault();
  config.vault = v;
  v.address = pick("address", "VAULT_ADDR") ?? (v.address || "https://127.0.0.1:8200");
  v.caCert = pick("ca-cert", "VAULT_CACERT") ?? v.caCert;
  v.caPath = pick("ca-path", "VAULT_CAPATH") ?? v.caPath;
  v.clientCert = pick("client-cert", "VAULT_CLIENT_CERT") ?? v.clientCert;
  v.clientKey = pick("client-key", "VAULT_CLIENT_KEY") ?? v.clientKey;
  v.tlsServerName = pick("tls-server-name", "VAULT_TLS_SERVER_NAME") ?? v.tlsServerName;
  if (parsed.set.has("tls-skip-verify")) v.tlsSkipVerify = parsed.values["tls-skip-verify"] === true;
  else if (env.VAULT_SKIP_VERIFY) v.tlsSkipVerify = parseGoBool(env.VAULT_SKIP_VERIFY) ?? true; // Vault: any value means true; we honour an explicit false
  const ns = pick("namespace", "VAULT_NAMESPACE");
  if (ns !== undefined) v.namespace = canonicalNamespace(ns);
  else if (!v.namespace && config.autoAuth?.method.namespace) v.namespace = config.autoAuth.method.namespace;
  if (env.VAULT_MAX_RETRIES !== undefined && /^-?[0-9]+$/.test(env.VAULT_MAX_RETRIES)) {
    v.retry.numRetries = Math.max(0, Number(env.VAULT_MAX_RETRIES));
  }

  config.logLevel = pick("log-level", "VAULT_LOG_LEVEL") ?? config.logLevel;
  config.logFormat = pick("log-format", "VAULT_LOG_FORMAT") ?? config.logFormat;
  config.logFile = flag("log-file") ?? config.logFile;
  if (parsed.set.has("log-rotate-bytes")) config.logRotateBytes = parsed.values["log-rotate-bytes"] as number;
  if (parsed.set.has("log-rotate-max-files")) config.logRotateMaxFiles = parsed.values["log-rotate-max-files"] as number;
  const lrd = flag("log-rotate-duration");
  if (lrd !== undefined) config.logRotateDuration = parseGoDuration(lrd);
  if (parsed.set.has("exit-after-auth")) config.exitAfterAuth = parsed.values["exit-after-auth"] === true;
  const cmd = flag("exec-command");
  if (cmd !== undefined && config.exec) config.exec.command = [cmd];
}
