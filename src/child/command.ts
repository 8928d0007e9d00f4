/**
 * How a configured command becomes a process (spec §4.7, §6.4, §9.1 row 15): a single element
 * that contains whitespace is a shell command, run as `sh -c <element>` in a process group of
 * its own so that stop/kill signals reach everything the shell started; any other list is an
 * argv, run directly (argv[0] is looked up on PATH when it has no `/`).
 */

export interface CommandSpec {
  argv: string[];
  /** Run in a new process group (sh -c form), so the whole group can be signalled. */
  group: boolean;
}

export function commandSpec(command: readonly string[]): CommandSpec {
  if (command.length === 1 && /\s/.test(command[0]!)) return { argv: ["sh", "-c", command[0]!], group: true };
  return { argv: [...command], group: false };
}

/** Go's strconv.Quote (what `%q` prints), close enough for log lines. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The command as Consul Template's runner prints it: `%q` of `%q` of the list, e.g. "[\"a b\"]". */
export function commandForLog(command: readonly string[]): string {
  return goQuote(`[${command.map(goQuote).join(" ")}]`);
}

/** What the child library prints after "spawning: " — the argv joined by spaces. */
export function argvForLog(spec: CommandSpec): string {
  return spec.argv.join(" ");
}
