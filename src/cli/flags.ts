/**
 * Go's `flag` package semantics, which Vault's CLI is built on:
 *  - `-name`, `--name`, `-name=value`, `-name value` (non-boolean flags only);
 *  - booleans take no separate value: `-x`, `-x=false`; values as strconv.ParseBool;
 *  - parsing stops at `--` (consumed) or at the first argument that is not a flag ("-" is one);
 *  - `-h`, `-help`, `--help` ask for help unless the command defines such a flag;
 *  - errors use Go's texts: "flag provided but not defined: -x", "flag needs an argument: -x",
 *    "invalid value "v" for flag -x: …", "invalid boolean value "v" for -x: parse error",
 *    "bad flag syntax: ---x".
 */
import { parseGoDuration } from "../clock/duration.ts";
import { UserError } from "../common/errors.ts";

export type FlagKind = "string" | "bool" | "int" | "duration" | "strings";

export interface FlagDef {
  name: string;
  kind: FlagKind;
  usage: string;
  /** Shown in help, and the value when the flag is not given. */
  default?: string | boolean | number | string[];
  /** Other spellings (e.g. -ns for -namespace). */
  aliases?: string[];
  /** Placeholder for the value in help text. */
  placeholder?: string;
  hidden?: boolean;
  /** Help section heading. */
  section?: string;
  /** Custom validation; throw an Error whose message Go would print after the colon. */
  validate?: (value: string) => void;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  values: Record<string, FlagValue>;
  /** Names (canonical) of the flags given explicitly on the command line. */
  set: Set<string>;
  args: string[];
}

/** Raised for -h/-help: print usage, exit 0. */
export class HelpRequested extends UserError {
  constructor(readonly usage: string) {
    super(usage, 0);
    this.name = "HelpRequested";
  }
}

/** Raised for a bad command line: Go's message then the usage, exit 1. */
export class FlagError extends UserError {
  constructor(
    readonly detail: string,
    readonly usage: string,
  ) {
    super(`${detail}\n\n${usage}`, 1);
    this.name = "FlagError";
  }
}

export function parseGoBool(v: string): boolean | undefined {
  switch (v) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
    default:
      return undefined;
  }
}

export class FlagSet {
  private defs = new Map<string, FlagDef>();
  private order: FlagDef[] = [];

  constructor(
    readonly command: string,
    readonly synopsis: string,
    readonly description = "",
  ) {}

  add(def: FlagDef): this {
    this.order.push(def);
    for (const n of [def.name, ...(def.aliases ?? [])]) this.defs.set(n, def);
    return this;
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  parse(argv: readonly string[]): ParsedFlags {
    const values: Record<string, FlagValue> = {};
    const set = new Set<string>();
    for (const d of this.order) {
      if (d.kind === "strings") values[d.name] = [...((d.default as string[] | undefined) ?? [])];
      else if (d.default !== undefined) values[d.name] = d.default;
      else if (d.kind === "bool") values[d.name] = false;
      else if (d.kind === "string") values[d.name] = "";
      else values[d.name] = 0;
    }
    let i = 0;
    const fail = (msg: string): never => {
      throw new FlagError(msg, this.usage());
    };
    for (; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg.length < 2 || arg[0] !== "-") break;
      let numMinuses = 1;
      if (arg[1] === "-") {
        numMinuses = 2;
        if (arg.length === 2) {
          i++;
          break; // "--" terminates the flags
        }
      }
      let name = arg.slice(numMinuses);
      if (name.length === 0 || name[0] === "-" || name[0] === "=") fail(`bad flag syntax: ${arg}`);
      let value: string | undefined;
      const eq = name.indexOf("=");
      if (eq > 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const def = this.defs.get(name);
      if (!def) {
        if (name === "help" || name === "h") throw new HelpRequested(this.usage());
        fail(`flag provided but not defined: -${name}`);
      }
      const d = def!;
      if (d.kind === "bool") {
        if (value !== undefined) {
          const b = parseGoBool(value);
          if (b === undefined)
            fail(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`);
          values[d.name] = b!;
        } else {
          values[d.name] = true;
        }
      } else {
        if (value === undefined) {
          if (i + 1 >= argv.length) fail(`flag needs an argument: -${name}`);
          value = argv[++i]!;
        }
        try {
          d.validate?.(value);
          if (d.kind === "strings") (values[d.name] as string[]).push(value);
          else if (d.kind === "int") {
            if (!/^[+-]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*|0)$/.test(value)) {
              throw new Error("parse error");
            }
            values[d.name] = Number(value.replace(/_/g, "").replace(/^([+-]?)0([0-7])/, "$10o$2"));
          } else if (d.kind === "duration") values[d.name] = parseGoDuration(value);
          else values[d.name] = value;
        } catch (e) {
          fail(`invalid value ${JSON.stringify(value)} for flag -${name}: ${(e as Error).message}`);
        }
      }
      set.add(d.name);
    }
    return { values, set, args: argv.slice(i) };
  }

  usage(): string {
    const lines: string[] = [`Usage: ${this.synopsis}`, ""];
    if (this.description) lines.push(this.description.trimEnd(), "");
    const sections = new Map<string, FlagDef[]>();
    for (const d of this.order) {
      if (d.hidden) continue;
      const s = d.section ?? "Command Options";
      if (!sections.has(s)) sections.set(s, []);
      sections.get(s)!.push(d);
    }
    for (const [section, defs] of sections) {
      lines.push(`${section}:`, "");
      for (const d of defs) {
        const ph = d.kind === "bool" ? "" : `=<${d.placeholder ?? d.kind}>`;
        lines.push(`  -${d.name}${ph}`);
        lines.push(...wrap(d.usage, 76).map((l) => `      ${l}`));
        if (d.default !== undefined && d.default !== "" && d.default !== false && !Array.isArray(d.default)) {
          lines.push(`      The default is ${d.default}.`);
        }
        lines.push("");
      }
    }
    return lines.join("\n");
  }
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/)) {
      if (!word) continue;
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
