/**
 * `vault agent`'s precedence for connection and log settings (spec §1.1):
 * command-line flag > VAULT_* environment variable > config file > built-in default.
 * Applied once at start-up on the loaded config (Vault does not re-apply them on SIGHUP).
 * The flag values come from src/cli/agent-flags.ts; this module only needs their shape, so the
 * config layer does not depend on the CLI.
 */
import { DurationError, parseGoDuration } from "../clock/duration.ts";
import { canonicalNamespace, defaultVault } from "./decode.ts";
import { ConfigError } from "./load.ts";
import type { AgentConfig } from "./types.ts";

/** The parsed command line as src/cli/flags.ts returns it (ParsedFlags). */
export interface FlagValues {
  values: Record<string, string | boolean | number | string[]>;
  /** Canonical names of the flags given explicitly. */
  set: Set<string>;
}

export const DEFAULT_VAULT_ADDRESS = "https://127.0.0.1:8200";

const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Applies flag > env > file > default in place; creates the `vault` stanza when absent. */
export function applyAgentOverrides(
  config: AgentConfig,
  parsed: FlagValues,
  env: Record<string, string | undefined>,
): void {
  const flag = (name: string): string | undefined =>
    parsed.set.has(name) ? String(parsed.values[name]) : undefined;
  // An empty environment variable counts as unset, as in Vault's api.ReadEnvironment.
  const fromEnv = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const pick = (flagName: string, envName: string) => flag(flagName) ?? fromEnv(envName);

  const v = config.vault ?? defaultVault();
  config.vault = v;
  v.address = pick("address", "VAULT_ADDR") ?? (v.address || DEFAULT_VAULT_ADDRESS);
  v.caCert = pick("ca-cert", "VAULT_CACERT") ?? v.caCert;
  v.caPath = pick("ca-path", "VAULT_CAPATH") ?? v.caPath;
  v.clientCert = pick("client-cert", "VAULT_CLIENT_CERT") ?? v.clientCert;
  v.clientKey = pick("client-key", "VAULT_CLIENT_KEY") ?? v.clientKey;
  v.tlsServerName = pick("tls-server-name", "VAULT_TLS_SERVER_NAME") ?? v.tlsServerName;

  if (parsed.set.has("tls-skip-verify")) v.tlsSkipVerify = parsed.values["tls-skip-verify"] === true;
  else {
    // Vault treats any non-empty VAULT_SKIP_VERIFY as true; we keep that, except that an
    // explicit false word ("false", "0", …) means false — nobody writes that to skip checks.
    const sv = fromEnv("VAULT_SKIP_VERIFY");
    if (sv !== undefined) v.tlsSkipVerify = !FALSE_WORDS.has(sv.trim());
  }

  const ns = pick("namespace", "VAULT_NAMESPACE");
  if (ns !== undefined) v.namespace = canonicalNamespace(ns);
  else if (config.autoAuth?.method.namespace) {
    // Without -namespace/VAULT_NAMESPACE, the method's namespace becomes the client's (and so the
    // templates') namespace, overriding vault.namespace — Vault's implementation (spec §2.3).
    v.namespace = config.autoAuth.method.namespace;
  }

  const retries = fromEnv("VAULT_MAX_RETRIES");
  if (retries !== undefined) {
    if (!/^-?[0-9]+$/.test(retries.trim()))
      throw new ConfigError(`VAULT_MAX_RETRIES: invalid number "${retries}"`);
    v.retry.numRetries = Math.max(0, Number(retries.trim()));
  }

  const headers = parsed.values.header;
  if (Array.isArray(headers) && headers.length > 0) {
    v.headers = { ...v.headers };
    for (const h of headers) {
      const eq = h.indexOf("=");
      if (eq <= 0) throw new ConfigError(`invalid -header "${h}": must be in the form key=value`);
      v.headers[h.slice(0, eq)] = h.slice(eq + 1);
    }
  }

  config.logLevel = pick("log-level", "VAULT_LOG_LEVEL") ?? config.logLevel;
  config.logFormat = pick("log-format", "VAULT_LOG_FORMAT") ?? config.logFormat;
  config.logFile = flag("log-file") ?? config.logFile;
  if (parsed.set.has("log-rotate-bytes")) config.logRotateBytes = Number(parsed.values["log-rotate-bytes"]);
  if (parsed.set.has("log-rotate-max-files"))
    config.logRotateMaxFiles = Number(parsed.values["log-rotate-max-files"]);
  const lrd = flag("log-rotate-duration");
  if (lrd !== undefined) {
    try {
      config.logRotateDuration = parseGoDuration(lrd);
    } catch (e) {
      throw new ConfigError(
        `invalid -log-rotate-duration "${lrd}": ${e instanceof DurationError ? e.message : String(e)}`,
      );
    }
  }
  // Only an explicit -exit-after-auth overrides the file, in either direction.
  if (parsed.set.has("exit-after-auth")) config.exitAfterAuth = parsed.values["exit-after-auth"] === true;
  const cmd = flag("exec-command");
  if (cmd !== undefined && config.exec) config.exec.command = [cmd];
}
