/**
 * `vaultrun config validate` and `vaultrun config print`: load the config exactly as the agent
 * does (files, merge, validation, VAULT_* environment overrides) and report problems as
 * file:line:col, or print the result — without connecting to anything.
 */
import { applyAgentOverrides, type LoadResult, loadConfig } from "../config/index.ts";
import { FlagSet } from "./flags.ts";
import type { Command, CommandContext } from "./registry.ts";

function flags(name: string, what: string): FlagSet {
  return new FlagSet(`config ${name}`, `vaultrun config ${name} [-config=PATH …] [PATH …]`, what).add({
    name: "config",
    kind: "strings",
    placeholder: "string",
    usage: "Path to a config file or directory (repeatable; positional paths work too).",
  });
}

function load(args: string[], name: string, what: string, ctx: CommandContext): LoadResult | undefined {
  const parsed = flags(name, what).parse(args);
  const paths = [...(parsed.values.config as string[]), ...parsed.args];
  if (paths.length === 0) {
    ctx.stderr("Must specify at least one config path using -config\n");
    return undefined;
  }
  const result = loadConfig(paths, { env: ctx.env });
  // No agent flags here: only the environment overrides and defaults apply.
  applyAgentOverrides(result.config, { values: {}, set: new Set() }, ctx.env);
  return result;
}

export const configValidateCommand: Command = {
  synopsis: "vaultrun config validate [-config=PATH …] [PATH …]",
  async run(args, ctx) {
    const result = load(
      args,
      "validate",
      "Loads and validates agent config files as `vaultrun agent` would.",
      ctx,
    );
    if (!result) return 1;
    for (const w of result.warnings)
      ctx.stderr(`${w.pos.file}:${w.pos.line}:${w.pos.column}: warning: ${w.message}\n`);
    ctx.stdout("Configuration is valid.\n");
    return 0;
  },
};

export const configPrintCommand: Command = {
  synopsis: "vaultrun config print [-config=PATH …] [PATH …]",
  async run(args, ctx) {
    const result = load(args, "print", "Prints the loaded, defaulted agent config as JSON.", ctx);
    if (!result) return 1;
    const hidden = new Set(["pos", "presentKeys"]);
    ctx.stdout(`${JSON.stringify(result.config, (k, v) => (hidden.has(k) ? undefined : v), 2)}\n`);
    return 0;
  },
};
