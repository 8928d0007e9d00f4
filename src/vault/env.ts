/**
 * Building a client from the VAULT_* environment variables, as Vault's api package reads them
 * (DefaultConfig + ReadEnvironment + NewClient). Explicit overrides (command-line flags, the
 * agent's vault stanza) win over the environment.
 */
import { parseDurationSecond } from "../clock/duration.ts";
import { parseGoBool } from "../cli/flags.ts";
import { type ClientDeps, type ClientExtraOptions, DEFAULT_ADDRESS, VaultClient } from "./client.ts";
import { VaultConfigError } from "./transport.ts";
import type { ClientOptions, TlsOptions } from "./types.ts";

export type Env = Record<string, string | undefined>;

export type ClientOverrides = Partial<Omit<ClientOptions, "tls">> & ClientExtraOptions & { tls?: TlsOptions };

/** The options the environment describes (no client is built, nothing is read from disk). */
export function optionsFromEnv(env: Env): ClientOptions & ClientExtraOptions {
  const get = (k: string) => {
    const v = env[k];
    return v === undefined || v === "" ? undefined : v;
  };
  const opts: ClientOptions & ClientExtraOptions = {
    // VAULT_AGENT_ADDR, when set, is where the api sends requests (to a local agent's listener).
    address: get("VAULT_AGENT_ADDR") ?? get("VAULT_ADDR") ?? DEFAULT_ADDRESS,
  };
  const retries = get("VAULT_MAX_RETRIES");
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries.trim())) {
      throw new VaultConfigError(
        `error encountered setting up default configuration: could not parse "VAULT_MAX_RETRIES"`,
      );
    }
    opts.maxRetries = Number(retries.trim());
  }
  const timeout = get("VAULT_CLIENT_TIMEOUT");
  if (timeout !== undefined) {
    let ms: number;
    try {
      ms = parseDurationSecond(timeout);
    } catch {
      throw new VaultConfigError(
        `error encountered setting up default configuration: could not parse "VAULT_CLIENT_TIMEOUT"`,
      );
    }
    if (ms !== 0) opts.timeout = ms;
  }
  const tls: TlsOptions = {};
  const skip = get("VAULT_SKIP_VERIFY");
  if (skip !== undefined) {
    const b = parseGoBool(skip);
    if (b === undefined) {
      throw new VaultConfigError(
        "error encountered setting up default configuration: could not parse VAULT_SKIP_VERIFY",
      );
    }
    tls.skipVerify = b;
  }
  tls.caCert = get("VAULT_CACERT");
  tls.caPath = get("VAULT_CAPATH");
  tls.clientCert = get("VAULT_CLIENT_CERT");
  tls.clientKey = get("VAULT_CLIENT_KEY");
  tls.serverName = get("VAULT_TLS_SERVER_NAME");
  opts.tls = tls;
  const token = get("VAULT_TOKEN");
  if (token !== undefined) opts.token = token;
  const ns = get("VAULT_NAMESPACE");
  if (ns !== undefined) opts.namespace = ns;
  return opts;
}

/** Merges environment options with explicit overrides (overrides win, field by field for TLS). */
export function mergeOptions(
  base: ClientOptions & ClientExtraOptions,
  overrides: ClientOverrides = {},
): ClientOptions & ClientExtraOptions {
  const out: ClientOptions & ClientExtraOptions = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined || k === "tls") continue;
    (out as unknown as Record<string, unknown>)[k] = v;
  }
  if (overrides.tls) {
    const tls: TlsOptions = { ...(base.tls ?? {}) };
    for (const [k, v] of Object.entries(overrides.tls)) {
      if (v !== undefined && v !== "") (tls as Record<string, unknown>)[k] = v;
    }
    out.tls = tls;
  }
  return out;
}

/** A client configured like Vault's CLI: environment first, then the given overrides. */
export function clientFromEnv(env: Env, overrides: ClientOverrides = {}, deps: ClientDeps = {}): VaultClient {
  return new VaultClient(mergeOptions(optionsFromEnv(env), overrides), deps);
}
