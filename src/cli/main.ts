/**
 * Dispatches argv to a command and maps every failure to a message and an exit code.
 * No exception escapes: user errors print their message; anything else is an internal error,
 * printed redacted, exit 1.
 */
import { UserError } from "../common/errors.ts";
import { redactor } from "../log/redact.ts";
import { FlagError, HelpRequested } from "./flags.ts";
import { type CommandContext, commands, summaries } from "./registry.ts";

export function topLevelUsage(): string {
  const width = Math.max(...Object.keys(summaries).map((k) => k.length));
  const rows = Object.entries(summaries).map(([k, v]) => `    ${k.padEnd(width)}    ${v}`);
  return ["Usage: vaultrun <command> [args]", "", "Commands:", ...rows, ""].join("\n");
}

function resolve(argv: string[]): { name: string; rest: string[] } | undefined {
  const [a, b] = argv;
  if (a === undefined) return undefined;
  if (b !== undefined && commands[`${a} ${b}`]) return { name: `${a} ${b}`, rest: argv.slice(2) };
  if (commands[a]) return { name: a, rest: argv.slice(1) };
  return undefined;
}

export async function runCli(argv: string[], ctx?: Partial<CommandContext>): Promise<number> {
  const context: CommandContext = {
    env: ctx?.env ?? process.env,
    stdout: ctx?.stdout ?? ((t) => process.stdout.write(t)),
    stderr: ctx?.stderr ?? ((t) => process.stderr.write(t)),
  };
  const first = argv[0];
  if (first === undefined || first === "-h" || first === "-help" || first === "--help" || first === "help") {
    (first === undefined ? context.stderr : context.stdout)(topLevelUsage());
    return first === undefined ? 127 : 0;
  }
  if (first === "-v" || first === "-version" || first === "--version") argv = ["version"];
  const found = resolve(argv);
  if (!found) {
    context.stderr(`Unknown command: ${argv.join(" ")}\n\n${topLevelUsage()}`);
    return 127;
  }
  try {
    const cmd = await commands[found.name]!();
    return await cmd.run(found.rest, context);
  } catch (e) {
    if (e instanceof HelpRequested) {
      context.stderr(`${e.usage}\n`);
      return 0;
    }
    if (e instanceof FlagError) {
      context.stderr(`${e.detail}\n\n${e.usage}\n`);
      return 1;
    }
    if (e instanceof UserError) {
      context.stderr(`${redactor.redact(e.message)}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    context.stderr(`internal error (please report): ${redactor.redact(msg)}\n`);
    return 1;
  }
}
