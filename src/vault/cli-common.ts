/**
 * What `vaultrun kv …`, `vaultrun read` and `vaultrun write` share with Vault's CLI: the HTTP and
 * output flags, building a client from flags + VAULT_* variables (+ ~/.vault-token), the K=V data
 * arguments (with @file and - for stdin), and printing a secret or one of its fields.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseGoDuration } from "../clock/duration.ts";
import { parseJsonNumbers } from "../common/json.ts";
import { UserError } from "../common/errors.ts";
import type { FlagSet, ParsedFlags } from "../cli/flags.ts";
import type { CommandContext } from "../cli/registry.ts";
import type { VaultClient } from "./client.ts";
import { clientFromEnv, type ClientOverrides } from "./env.ts";
import { goJson, goValue, secretForJson, secretTable, warningsText } from "./output.ts";
import type { VaultResponse } from "./types.ts";

export function addHttpFlags(fs: FlagSet): FlagSet {
  const section = "HTTP Options";
  return fs
    .add({
      name: "address",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Address of the Vault server. This can also be specified via the VAULT_ADDR environment variable.",
    })
    .add({
      name: "agent-address",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Address of the Agent. This can also be specified via the VAULT_AGENT_ADDR environment variable.",
    })
    .add({
      name: "ca-cert",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Path on the local disk to a single PEM-encoded CA certificate to verify the Vault server's SSL certificate. This takes precedence over -ca-path. This can also be specified via the VAULT_CACERT environment variable.",
    })
    .add({
      name: "ca-path",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Path on the local disk to a directory of PEM-encoded CA certificates to verify the Vault server's SSL certificate. This can also be specified via the VAULT_CAPATH environment variable.",
    })
    .add({
      name: "client-cert",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Path on the local disk to a single PEM-encoded CA certificate to use for TLS authentication to the Vault server. If this flag is specified, -client-key is also required. This can also be specified via the VAULT_CLIENT_CERT environment variable.",
    })
    .add({
      name: "client-key",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Path on the local disk to a single PEM-encoded private key matching the client certificate from -client-cert. This can also be specified via the VAULT_CLIENT_KEY environment variable.",
    })
    .add({
      name: "header",
      kind: "strings",
      section,
      placeholder: "key=value",
      usage:
        "Key-value pair provided as key=value to provide http header added to any request done by the CLI. This can be specified multiple times.",
    })
    .add({
      name: "namespace",
      aliases: ["ns"],
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "The namespace to use for the command. Setting this is not necessary but allows using relative paths. This can also be specified via the VAULT_NAMESPACE environment variable.",
    })
    .add({
      name: "tls-server-name",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Name to use as the SNI host when connecting to the Vault server via TLS. This can also be specified via the VAULT_TLS_SERVER_NAME environment variable.",
    })
    .add({
      name: "tls-skip-verify",
      kind: "bool",
      section,
      usage:
        "Disable verification of TLS certificates. Using this option is highly discouraged as it decreases the security of data transmissions to and from the Vault server. This can also be specified via the VAULT_SKIP_VERIFY environment variable.",
    })
    .add({
      name: "wrap-ttl",
      kind: "string",
      section,
      placeholder: "duration",
      usage:
        'Wraps the response in a cubbyhole token with the requested TTL. The response is available via the "vault unwrap" command. The TTL is specified as a numeric string with suffix like "30s" or "5m". This can also be specified via the VAULT_WRAP_TTL environment variable.',
    });
}

export function addOutputFlags(fs: FlagSet, withField = true): FlagSet {
  const section = "Output Options";
  if (withField) {
    fs.add({
      name: "field",
      kind: "string",
      section,
      placeholder: "string",
      usage:
        "Print only the field with the given name. Specifying this option will take precedence over other formatting directives. The result will not have a trailing newline making it ideal for piping to other processes.",
    });
  }
  return fs.add({
    name: "format",
    kind: "string",
    section,
    placeholder: "string",
    default: "table",
    usage:
      'Print the output in the given format. Valid formats are "table" or "json". This can also be specified via the VAULT_FORMAT environment variable.',
  });
}

/** The output format: -format, else VAULT_FORMAT, else table. Rejects what we cannot print. */
export function outputFormat(p: ParsedFlags, env: CommandContext["env"]): "table" | "json" {
  const f = (p.set.has("format") ? String(p.values.format) : env.VAULT_FORMAT || "table").toLowerCase();
  if (f !== "table" && f !== "json") throw new UserError(`Invalid output format: ${f}`, 1);
  return f;
}

/** The wrap TTL to request, from -wrap-ttl or VAULT_WRAP_TTL (validated as a duration). */
export function wrapTtl(p: ParsedFlags, env: CommandContext["env"]): string | undefined {
  const v = String(p.values["wrap-ttl"] || env.VAULT_WRAP_TTL || "");
  if (!v) return undefined;
  try {
    if (!/^\d+$/.test(v)) parseGoDuration(v);
  } catch {
    throw new UserError(`invalid value ${JSON.stringify(v)} for -wrap-ttl`, 1);
  }
  return v;
}

/** Flags > VAULT_* > defaults; the token is VAULT_TOKEN, else the token helper file ~/.vault-token. */
export function clientFromFlags(p: ParsedFlags, env: CommandContext["env"]): VaultClient {
  const v = p.values;
  const str = (k: string) => (p.set.has(k) ? String(v[k]) : undefined);
  const headers: Record<string, string> = {};
  for (const h of (v.header as string[]) ?? []) {
    const i = h.indexOf("=");
    if (i <= 0) throw new UserError(`invalid header ${JSON.stringify(h)}: must be key=value`, 1);
    headers[h.slice(0, i)] = h.slice(i + 1);
  }
  const overrides: ClientOverrides = {
    address: str("agent-address") || str("address"),
    namespace: str("namespace"),
    headers,
    tls: {
      caCert: str("ca-cert"),
      caPath: str("ca-path"),
      clientCert: str("client-cert"),
      clientKey: str("client-key"),
      serverName: str("tls-server-name"),
      skipVerify: p.set.has("tls-skip-verify") ? Boolean(v["tls-skip-verify"]) : undefined,
    },
  };
  if (!env.VAULT_TOKEN) {
    const file = join(env.HOME || "/nonexistent", ".vault-token");
    if (existsSync(file)) {
      try {
        overrides.token = readFileSync(file, "utf8").trim();
      } catch {
        // An unreadable helper file means "no token", as with Vault's token helper.
      }
    }
  }
  return clientFromEnv(env, overrides);
}

/** Reads all of stdin (once). */
export async function readStdin(): Promise<string> {
  return await new Response(Bun.stdin.stream()).text();
}

/**
 * Vault's kvbuilder: `k=v` pairs; `v` may be `@file` (its contents), `\@…` (a literal @…) or `-`
 * (stdin); a bare `-` or `@file.json` argument is a JSON object merged in. Repeated keys collect
 * into a list. Throws UserError (exit 1) with Vault's "Failed to parse K=V data" prefix.
 */
export async function parseArgsData(
  args: string[],
  stdin: () => Promise<string> = readStdin,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let stdinUsed = false;
  const fail = (msg: string): never => {
    throw new UserError(`Failed to parse K=V data: ${msg}`, 1);
  };
  const takeStdin = async () => {
    if (stdinUsed) fail("can only read stdin once");
    stdinUsed = true;
    return await stdin();
  };
  const mergeJson = (text: string, from: string) => {
    let obj: unknown;
    try {
      obj = parseJsonNumbers(text);
    } catch (e) {
      return fail(`error parsing JSON from ${from}: ${(e as Error).message}`);
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj))
      return fail(`${from} must contain a JSON object`);
    Object.assign(out, obj);
  };
  const readFile = (file: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch (e) {
      const code = (e as { code?: string }).code;
      return fail(`open ${file}: ${code === "ENOENT" ? "no such file or directory" : String(code)}`);
    }
  };
  for (const arg of args) {
    if (arg === "-") {
      mergeJson(await takeStdin(), "stdin");
      continue;
    }
    if (arg.startsWith("@")) {
      mergeJson(readFile(arg.slice(1)), arg.slice(1));
      continue;
    }
    const i = arg.indexOf("=");
    if (i < 0) fail(`format must be key=value: ${JSON.stringify(arg)}`);
    const key = arg.slice(0, i);
    let value: string = arg.slice(i + 1);
    if (value.startsWith("@")) value = readFile(value.slice(1));
    else if (value.startsWith("\\@")) value = value.slice(1);
    else if (value === "-") value = await takeStdin();
    if (key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else out[key] = value;
  }
  return out;
}

export interface Ui {
  out(text: string): void;
  err(text: string): void;
}

export function uiOf(ctx: CommandContext): Ui {
  return { out: (t) => ctx.stdout(`${t}\n`), err: (t) => ctx.stderr(`${t}\n`) };
}

/** Vault's OutputSecret: the table (warnings to stderr first) or the JSON document. */
export function outputSecret(ui: Ui, s: VaultResponse, format: "table" | "json"): number {
  if (format === "json") {
    ui.out(goJson(secretForJson(s), true));
    return 0;
  }
  const w = warningsText(s.warnings);
  if (w) ui.err(w.trimEnd());
  const t = secretTable(s);
  if (t) ui.out(t);
  return 0;
}

/** Fields of a secret outside `data` that -field can name (Vault's extractRaw). */
function envelopeField(s: VaultResponse, field: string): { found: boolean; value?: unknown } {
  const a = s.auth;
  const w = s.wrap_info;
  const table: Record<string, () => unknown> = {
    lease_id: () => s.lease_id,
    lease_duration: () => s.lease_duration,
    lease_renewable: () => s.renewable,
    refresh_interval: () => s.lease_duration,
    ...(a
      ? {
          token: () => a.client_token,
          token_accessor: () => a.accessor,
          token_duration: () => a.lease_duration,
          token_renewable: () => a.renewable,
          token_policies: () => a.token_policies,
          policies: () => a.policies,
        }
      : {}),
    ...(w
      ? {
          wrapping_token: () => w.token,
          wrapping_accessor: () => w.accessor,
          wrapping_token_ttl: () => w.ttl,
          wrapping_token_creation_time: () => w.creation_time,
          wrapping_token_creation_path: () => w.creation_path,
          wrapped_accessor: () => w.wrapped_accessor,
        }
      : {}),
  };
  const get = table[field];
  return get ? { found: true, value: get() } : { found: false };
}

/**
 * Vault's PrintRawField: the value alone, no trailing newline unless stdout is a terminal;
 * with -format=json, the value as JSON. Exit 1 when the field is absent.
 */
export function printField(
  ctx: CommandContext,
  source: VaultResponse | Record<string, unknown>,
  field: string,
  format: "table" | "json",
  isSecret: boolean,
): number {
  let value: unknown;
  let found = false;
  if (isSecret) {
    const s = source as VaultResponse;
    const env = envelopeField(s, field);
    if (env.found) {
      found = true;
      value = env.value;
    } else if (s.data && field in s.data) {
      found = true;
      value = s.data[field];
    }
  } else if (field in (source as Record<string, unknown>)) {
    found = true;
    value = (source as Record<string, unknown>)[field];
  }
  if (!found) {
    ctx.stderr(`Field "${field}" not present in secret\n`);
    return 1;
  }
  if (format === "json") {
    ctx.stdout(`${goJson(value)}\n`);
    return 0;
  }
  ctx.stdout(goValue(value) + (process.stdout.isTTY ? "\n" : ""));
  return 0;
}

/** Vault's "Not enough / Too many arguments" check. */
export function checkArgs(ui: Ui, args: string[], min: number, max: number, expected: string): boolean {
  if (args.length < min) {
    ui.err(`Not enough arguments (expected ${expected}, got ${args.length})`);
    return false;
  }
  if (args.length > max) {
    ui.err(`Too many arguments (expected ${expected}, got ${args.length})`);
    return false;
  }
  return true;
}
