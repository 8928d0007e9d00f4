/**
 * `vaultrun read` and `vaultrun write`, behaving like `vault read|write`: any API path, K=V data
 * (query parameters for read, the JSON body for write; @file and - for stdin), Vault's table and
 * JSON output, -field, -wrap-ttl, and its exit codes (2 for API errors and "No value found at").
 */
import { UserError } from "../common/errors.ts";
import type { VaultClient } from "../vault/client.ts";
import {
  addHttpFlags,
  addOutputFlags,
  clientFromFlags,
  outputFormat,
  outputSecret,
  parseArgsData,
  printField,
  uiOf,
  wrapTtl,
} from "../vault/cli-common.ts";
import { VaultError } from "../vault/errors.ts";
import { goValue } from "../vault/output.ts";
import type { VaultResponse } from "../vault/types.ts";
import { FlagSet } from "./flags.ts";
import type { Command, CommandContext } from "./registry.ts";

function build(p: Parameters<typeof clientFromFlags>[0], ctx: CommandContext): VaultClient | number {
  try {
    return clientFromFlags(p, ctx.env);
  } catch (e) {
    if (e instanceof UserError) {
      ctx.stderr(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function data(args: string[], ctx: CommandContext): Promise<Record<string, unknown> | number> {
  try {
    return await parseArgsData(args);
  } catch (e) {
    if (e instanceof UserError) {
      ctx.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

export const readCommand: Command = {
  synopsis: "vaultrun read [options] PATH",
  async run(args, ctx) {
    const fs = new FlagSet(
      "read",
      "vaultrun read [options] PATH",
      "Reads data from Vault at the given path. This can be used to read secrets,\ngenerate dynamic credentials, get configuration details, and more.",
    );
    addHttpFlags(fs);
    addOutputFlags(fs);
    const p = fs.parse(args);
    const ui = uiOf(ctx);
    if (p.args.length < 1) {
      ui.err(`Not enough arguments (expected 1, got ${p.args.length})`);
      return 1;
    }
    const format = outputFormat(p, ctx.env);
    const client = build(p, ctx);
    if (typeof client === "number") return client;
    const path = p.args[0]!.replace(/^\/+/, "");
    const params = await data(p.args.slice(1), ctx);
    if (typeof params === "number") return params;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) query[k] = goValue(v);
    let secret: VaultResponse | null;
    try {
      const wrap = wrapTtl(p, ctx.env);
      secret = wrap
        ? await client.request({ method: "GET", path, query, wrapTTL: wrap })
        : await client.read(path, undefined, query);
    } catch (e) {
      if (e instanceof VaultError) {
        if (e.status === 404) secret = null;
        else {
          ui.err(`Error reading ${path}: ${e.message}`);
          return 2;
        }
      } else throw e;
    }
    if (!secret) {
      ui.err(`No value found at ${path}`);
      return 2;
    }
    const field = String(p.values.field ?? "");
    if (field) return printField(ctx, secret, field, format, true);
    return outputSecret(ui, secret, format);
  },
};

export const writeCommand: Command = {
  synopsis: "vaultrun write [options] PATH [DATA K=V...]",
  async run(args, ctx) {
    const fs = new FlagSet(
      "write",
      "vaultrun write [options] PATH [DATA K=V...]",
      "Writes data to Vault at the given path. The data can be credentials, secrets,\nconfiguration, or arbitrary data.",
    );
    addHttpFlags(fs);
    addOutputFlags(fs);
    fs.add({
      name: "force",
      aliases: ["f"],
      kind: "bool",
      section: "Command Options",
      usage:
        "Allow the operation to continue with no key=value pairs. This allows writing to keys that do not need or expect data.",
    });
    const p = fs.parse(args);
    const ui = uiOf(ctx);
    if (p.args.length < 1) {
      ui.err(`Not enough arguments (expected 1, got ${p.args.length})`);
      return 1;
    }
    if (p.args.length === 1 && !p.values.force) {
      ui.err("Must supply data or use -force");
      return 1;
    }
    const format = outputFormat(p, ctx.env);
    const client = build(p, ctx);
    if (typeof client === "number") return client;
    const path = p.args[0]!.replace(/^\/+/, "");
    const body = await data(p.args.slice(1), ctx);
    if (typeof body === "number") return body;
    let secret: VaultResponse | null;
    try {
      secret = await client.request({ method: "PUT", path, body, wrapTTL: wrapTtl(p, ctx.env) });
    } catch (e) {
      if (e instanceof VaultError) {
        ui.err(`Error writing data to ${path}: ${e.message}`);
        return 2;
      }
      throw e;
    }
    if (!secret) {
      if (format === "table") ui.out(`Success! Data written to: ${path}`);
      return 0;
    }
    const field = String(p.values.field ?? "");
    if (field) return printField(ctx, secret, field, format, true);
    return outputSecret(ui, secret, format);
  },
};
