/**
 * `vaultrun kv put|get|delete|list|metadata get|metadata delete|undelete|destroy`, behaving like
 * `vault kv …`: KV v1/v2 detection by preflight, `secret/foo` or `-mount=secret foo` addressing,
 * Vault's table and JSON output, and its exit codes (1 for usage errors, 2 for API errors and
 * "No value found at …").
 */
import { UserError } from "../common/errors.ts";
import type { VaultClient } from "../vault/client.ts";
import {
  addHttpFlags,
  addOutputFlags,
  checkArgs,
  clientFromFlags,
  outputFormat,
  outputSecret,
  parseArgsData,
  printField,
  type Ui,
  uiOf,
} from "../vault/cli-common.ts";
import { VaultError } from "../vault/errors.ts";
import { addPrefixToKvPath } from "../vault/kv.ts";
import { goJson, headerForMap, mapTable, pathBanner, warningsText } from "../vault/output.ts";
import type { VaultResponse } from "../vault/types.ts";
import { FlagSet, type ParsedFlags } from "./flags.ts";
import type { Command, CommandContext } from "./registry.ts";

const KV_HELP = `Usage: vaultrun kv <subcommand> [options] [args]

  This command has subcommands for interacting with Vault's key-value
  store. Here are some simple examples, and more detailed examples are
  available in the subcommands or the documentation.

  Create or update the key named "foo" in the "secret" mount with the value
  "bar=baz":

      $ vaultrun kv put -mount=secret foo bar=baz

  Read this value back:

      $ vaultrun kv get -mount=secret foo

  Get metadata for the key:

      $ vaultrun kv metadata get -mount=secret foo

Subcommands:
    delete      Deletes versions in the KV store
    destroy     Permanently removes one or more versions in the KV store
    get         Retrieves data from the KV store
    list        List data or secrets
    metadata    Interact with Vault's Key-Value storage
    put         Sets or updates data in the KV store
    undelete    Undeletes versions in the KV store
`;

function mountFlag(fs: FlagSet): FlagSet {
  return fs.add({
    name: "mount",
    kind: "string",
    section: "Common Options",
    placeholder: "string",
    usage:
      "Specifies the path where the KV backend is mounted. If specified, the next argument will be interpreted as the secret path. If this flag is not specified, the next argument will be interpreted as the combined mount path and secret path, with /data/ automatically appended between KV v2 secrets.",
  });
}

function newFlags(sub: string, synopsis: string, description: string, withField = true): FlagSet {
  const fs = new FlagSet(`kv ${sub}`, synopsis, description);
  addHttpFlags(fs);
  addOutputFlags(fs, withField);
  return fs;
}

/** Trims whitespace and slashes, as Vault's sanitizePath. */
function sanitizePath(p: string): string {
  return p.trim().replace(/^\/+|\/+$/g, "");
}

function joinPath(...parts: string[]): string {
  return parts
    .map((x) => x.replace(/^\/+|\/+$/g, ""))
    .filter(Boolean)
    .join("/");
}

interface KvTarget {
  mountPath: string;
  v2: boolean;
  /** The path as given, combined with -mount (for v2) as Vault does before rewriting. */
  partial: string;
  mountFlagSyntax: boolean;
}

/** Preflight for a kv subcommand; a preflight failure is fatal (exit 2) as in Vault's CLI. */
async function resolve(
  client: VaultClient,
  p: ParsedFlags,
  arg: string,
  trimBoth: boolean,
): Promise<KvTarget> {
  const mount = String(p.values.mount ?? "");
  const mountFlagSyntax = mount !== "";
  let partial = trimBoth ? sanitizePath(arg) : arg.replace(/^\/+/, "");
  const info = await client.mountInfo(mountFlagSyntax ? sanitizePath(mount) : partial);
  const mountPath = info?.path ?? "";
  // Vault's CLI goes by options.version alone (Consul Template also requires type "kv").
  const v2 = info?.version === 2;
  if (mountFlagSyntax && v2) partial = joinPath(mountPath, partial);
  return { mountPath, v2, partial, mountFlagSyntax };
}

function v1Path(t: KvTarget): string {
  return t.mountFlagSyntax ? joinPath(t.mountPath, t.partial) : t.partial;
}

function apiError(ui: Ui, what: string, e: unknown): number {
  if (e instanceof VaultError || e instanceof UserError) {
    ui.err(what ? `${what}: ${e.message}` : e.message);
    return 2;
  }
  throw e;
}

async function withClient<T>(
  ui: Ui,
  p: ParsedFlags,
  ctx: CommandContext,
  fn: (c: VaultClient) => Promise<T>,
) {
  let client: VaultClient;
  try {
    client = clientFromFlags(p, ctx.env);
  } catch (e) {
    if (e instanceof UserError) {
      ui.err(e.message);
      return 2;
    }
    throw e;
  }
  return fn(client);
}

// ---------------------------------------------------------------------------------------------

async function kvGet(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "get",
      "vaultrun kv get [options] KEY",
      "Retrieves the value from Vault's key-value store at the given key name.",
    ),
  );
  fs.add({
    name: "version",
    kind: "int",
    section: "Common Options",
    default: 0,
    usage: "If passed, the value at the version number will be returned.",
  });
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  const format = outputFormat(p, ctx.env);
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, false);
    } catch (e) {
      return apiError(ui, "", e);
    }
    const fullPath = t.v2 ? addPrefixToKvPath(t.partial, t.mountPath, "data") : v1Path(t);
    const version = Number(p.values.version);
    let secret: VaultResponse | null;
    try {
      secret = await client.read(
        fullPath,
        undefined,
        t.v2 && version > 0 ? { version: String(version) } : undefined,
      );
    } catch (e) {
      return apiError(ui, `Error reading ${fullPath}`, e);
    }
    if (!secret) {
      ui.err(`No value found at ${fullPath}`);
      return 2;
    }
    const field = String(p.values.field ?? "");
    if (field) {
      if (!t.v2) return printField(ctx, secret, field, format, true);
      const data = secret.data?.data;
      if (!data || typeof data !== "object") {
        ui.err(`No data found at ${fullPath}`);
        return 2;
      }
      const inner = data as Record<string, unknown>;
      if (field === "data" && !("data" in inner)) return printField(ctx, secret, field, format, true);
      return printField(ctx, inner, field, format, false);
    }
    if (secret.wrap_info || format !== "table") return outputSecret(ui, secret, format);
    const w = warningsText(secret.warnings);
    if (w) ui.err(w.trimEnd());
    if (t.v2) ui.out(pathBanner("Secret Path", fullPath));
    const metadata = secret.data?.metadata;
    if (metadata && typeof metadata === "object") {
      ui.out(headerForMap("Metadata", metadata as Record<string, unknown>));
      ui.out(mapTable(metadata as Record<string, unknown>));
      ui.out("");
    }
    let data: Record<string, unknown> | null = secret.data;
    if (t.v2 && data) {
      const inner = data.data;
      data = inner && typeof inner === "object" ? (inner as Record<string, unknown>) : null;
    }
    if (data) {
      ui.out(headerForMap("Data", data));
      const table = mapTable(data);
      if (table) ui.out(table);
    }
    return 0;
  });
}

async function kvPut(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "put",
      "vaultrun kv put [options] KEY [DATA]",
      "Writes the data to the given path in the key-value store. The data can be of any type.",
    ),
  );
  fs.add({
    name: "cas",
    kind: "int",
    section: "Common Options",
    default: -1,
    usage:
      "Specifies to use a Check-And-Set operation. If not set the write will be allowed. If set to 0 a write will only be allowed if the key doesn't exist. If the index is non-zero the write will only be allowed if the key's current version matches the version specified in the cas parameter.",
  });
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (p.args.length < 1) {
    ui.err(`Not enough arguments (expected >1, got ${p.args.length})`);
    return 1;
  }
  if (p.args.length === 1) {
    ui.err("Must supply data");
    return 1;
  }
  const format = outputFormat(p, ctx.env);
  return withClient(ui, p, ctx, async (client) => {
    let data: Record<string, unknown>;
    try {
      data = await parseArgsData(p.args.slice(1));
    } catch (e) {
      if (e instanceof UserError) {
        ui.err(e.message);
        return 1;
      }
      throw e;
    }
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, true);
    } catch (e) {
      return apiError(ui, "", e);
    }
    let body: Record<string, unknown> = data;
    let fullPath: string;
    if (t.v2) {
      fullPath = addPrefixToKvPath(t.partial, t.mountPath, "data");
      const options: Record<string, unknown> = {};
      const cas = Number(p.values.cas);
      if (cas > -1) options.cas = cas;
      body = { data, options };
    } else {
      fullPath = v1Path(t);
    }
    let secret: VaultResponse | null;
    try {
      secret = await client.write(fullPath, body);
    } catch (e) {
      return apiError(ui, `Error writing data to ${fullPath}`, e);
    }
    if (!secret) {
      if (format === "table") ui.out(`Success! Data written to: ${fullPath}`);
      return 0;
    }
    const field = String(p.values.field ?? "");
    if (field) return printField(ctx, secret, field, format, true);
    if (secret.wrap_info && secret.wrap_info.ttl !== 0) return outputSecret(ui, secret, format);
    if (format === "table") {
      ui.out(pathBanner("Secret Path", fullPath));
      const metadata = secret.data ?? {};
      ui.out(headerForMap("Metadata", metadata));
      const table = mapTable(metadata);
      if (table) ui.out(table);
      return 0;
    }
    return outputSecret(ui, secret, format);
  });
}

async function kvList(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "list",
      "vaultrun kv list [options] PATH",
      "Lists data from Vault's key-value store at the given path.",
      false,
    ),
  );
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  const format = outputFormat(p, ctx.env);
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, false);
    } catch (e) {
      return apiError(ui, "", e);
    }
    const fullPath = t.v2 ? addPrefixToKvPath(t.partial, t.mountPath, "metadata") : v1Path(t);
    let secret: VaultResponse | null;
    try {
      secret = await client.list(fullPath);
    } catch (e) {
      return apiError(ui, `Error listing ${fullPath}`, e);
    }
    const keys = secret?.data?.keys;
    if (!secret || !Array.isArray(keys)) {
      ui.err(`No value found at ${fullPath}`);
      return 2;
    }
    if (format === "json") {
      ui.out(goJson(keys));
      return 0;
    }
    const w = warningsText(secret.warnings);
    if (w) ui.err(w.trimEnd());
    if (keys.length > 0) {
      const sorted = keys.map(String).sort();
      ui.out(["Keys", "----", ...sorted].join("\n"));
    }
    return 0;
  });
}

async function kvDelete(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "delete",
      "vaultrun kv delete [options] PATH",
      "Deletes the data for the provided version and path in the key-value store.",
      false,
    ),
  );
  fs.add({
    name: "versions",
    kind: "strings",
    section: "Common Options",
    placeholder: "string",
    usage: "Specifies the version numbers to delete.",
  });
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, true);
    } catch (e) {
      return apiError(ui, "", e);
    }
    const versions = (p.values.versions as string[])
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    let fullPath: string;
    try {
      if (!t.v2) {
        fullPath = v1Path(t);
        await client.delete(fullPath);
      } else if (versions.length > 0) {
        fullPath = addPrefixToKvPath(t.partial, t.mountPath, "delete");
        await client.write(fullPath, { versions });
      } else {
        fullPath = addPrefixToKvPath(t.partial, t.mountPath, "data");
        await client.delete(fullPath);
      }
    } catch (e) {
      return apiError(ui, `Error deleting ${t.partial}`, e);
    }
    ui.out(`Success! Data deleted (if it existed) at: ${fullPath}`);
    return 0;
  });
}

/** undelete and destroy: PUT <mount>/<op>/<path> {"versions": [...]}; KV v2 only. */
async function kvVersionsOp(
  op: "undelete" | "destroy",
  args: string[],
  ctx: CommandContext,
): Promise<number> {
  const fs = mountFlag(
    newFlags(
      op,
      `vaultrun kv ${op} [options] KEY`,
      `${op === "undelete" ? "Undeletes" : "Permanently removes"} the data for the provided version and path in the key-value store.`,
      false,
    ),
  );
  fs.add({
    name: "versions",
    kind: "strings",
    section: "Common Options",
    placeholder: "string",
    usage: "Specifies the version numbers to operate on.",
  });
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  const versions = (p.values.versions as string[])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  if (versions.length === 0) {
    ui.err('No versions provided, use the "-versions" flag to specify the version to ' + op + ".");
    return 1;
  }
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, true);
    } catch (e) {
      return apiError(ui, "", e);
    }
    if (!t.v2) {
      ui.err(`${op === "undelete" ? "Undelete" : "Destroy"} not supported on KV Version 1`);
      return 1;
    }
    const fullPath = addPrefixToKvPath(t.partial, t.mountPath, op);
    try {
      await client.write(fullPath, { versions });
    } catch (e) {
      return apiError(ui, `Error writing data to ${fullPath}`, e);
    }
    ui.out(`Success! Data written to: ${fullPath}`);
    return 0;
  });
}

async function kvMetadataGet(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "metadata get",
      "vaultrun kv metadata get [options] KEY",
      "Retrieves the metadata from Vault's key-value store at the given key name.",
    ),
  );
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  const format = outputFormat(p, ctx.env);
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, false);
    } catch (e) {
      return apiError(ui, "", e);
    }
    if (!t.v2) {
      ui.err("Metadata not supported on KV Version 1");
      return 1;
    }
    const fullPath = addPrefixToKvPath(t.partial, t.mountPath, "metadata");
    let secret: VaultResponse | null;
    try {
      secret = await client.read(fullPath);
    } catch (e) {
      return apiError(ui, `Error reading ${fullPath}`, e);
    }
    if (!secret) {
      ui.err(`No value found at ${fullPath}`);
      return 2;
    }
    const field = String(p.values.field ?? "");
    if (field) return printField(ctx, secret, field, format, true);
    if (format !== "table") return outputSecret(ui, secret, format);
    const data = { ...(secret.data ?? {}) };
    const versions = (data.versions ?? {}) as Record<string, Record<string, unknown>>;
    delete data.versions;
    ui.out(pathBanner("Metadata Path", fullPath));
    ui.out(headerForMap("Metadata", data));
    const table = mapTable(data);
    if (table) ui.out(table);
    for (const v of Object.keys(versions)
      .map(Number)
      .sort((a, b) => a - b)) {
      const entry = versions[String(v)] ?? {};
      ui.out("\n");
      ui.out(headerForMap(`Version ${v}`, entry));
      const vt = mapTable(entry);
      if (vt) ui.out(vt);
    }
    return 0;
  });
}

async function kvMetadataDelete(args: string[], ctx: CommandContext): Promise<number> {
  const fs = mountFlag(
    newFlags(
      "metadata delete",
      "vaultrun kv metadata delete [options] PATH",
      "Deletes all versions and metadata for the provided key.",
      false,
    ),
  );
  const p = fs.parse(args);
  const ui = uiOf(ctx);
  if (!checkArgs(ui, p.args, 1, 1, "1")) return 1;
  return withClient(ui, p, ctx, async (client) => {
    let t: KvTarget;
    try {
      t = await resolve(client, p, p.args[0]!, true);
    } catch (e) {
      return apiError(ui, "", e);
    }
    if (!t.v2) {
      ui.err("Metadata not supported on KV Version 1");
      return 1;
    }
    const fullPath = addPrefixToKvPath(t.partial, t.mountPath, "metadata");
    try {
      await client.delete(fullPath);
    } catch (e) {
      return apiError(ui, `Error deleting ${fullPath}`, e);
    }
    ui.out(`Success! Data deleted (if it existed) at: ${fullPath}`);
    return 0;
  });
}

const subcommands: Record<string, (args: string[], ctx: CommandContext) => Promise<number>> = {
  get: kvGet,
  put: kvPut,
  list: kvList,
  delete: kvDelete,
  undelete: (a, c) => kvVersionsOp("undelete", a, c),
  destroy: (a, c) => kvVersionsOp("destroy", a, c),
  "metadata get": kvMetadataGet,
  "metadata delete": kvMetadataDelete,
};

export const kvCommand: Command = {
  synopsis: "vaultrun kv <subcommand> [options] [args]",
  async run(args, ctx) {
    const [a, b] = args;
    if (a === undefined || a === "-h" || a === "-help" || a === "--help") {
      (a === undefined ? ctx.stderr : ctx.stdout)(KV_HELP);
      return a === undefined ? 127 : 0;
    }
    if (a === "metadata") {
      const fn = b !== undefined ? subcommands[`metadata ${b}`] : undefined;
      if (!fn) {
        ctx.stderr(
          "Usage: vaultrun kv metadata <subcommand> [options] [args]\n\nSubcommands:\n    delete    Deletes all versions and metadata for a key in the KV store\n    get       Retrieves key metadata from the KV store\n",
        );
        return 127;
      }
      return fn(args.slice(2), ctx);
    }
    const fn = subcommands[a];
    if (!fn) {
      ctx.stderr(KV_HELP);
      return 127;
    }
    return fn(args.slice(1), ctx);
  },
};
