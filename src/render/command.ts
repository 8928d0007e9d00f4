/**
 * Running a template's `command` / `exec.command` after its file changed (spec §4.7): one
 * string with whitespace runs under `sh -c` in its own process group, a list runs directly with
 * argv[0] looked up on PATH; stdin/stdout/stderr are the agent's (or captured); the command is
 * SIGKILLed — its whole group — when it outlives its timeout on the injected clock, and is always
 * reaped. Error texts follow Consul Template: "failed to execute command … command exited with a
 * non-zero exit status" and "… command did not exit within time limit".
 */
import { spawn } from "node:child_process";
import { exitCodeOf } from "../child/child.ts";
import { argvForLog, commandForLog, commandSpec } from "../child/command.ts";
import { resolveExecutable } from "../child/lookup.ts";
import type { Clock } from "../clock/clock.ts";
import type { Logger } from "../log/logger.ts";

export { commandSpec } from "../child/command.ts";

/** Captured output is capped: a chatty command must not grow the agent without bound. */
const OUTPUT_CAP = 1 << 20;

export interface CommandOptions {
  command: readonly string[];
  timeoutMs: number;
  clock: Clock;
  env?: Record<string, string | undefined>;
  /** "inherit" (Vault: the agent's stdout/stderr) or "capture" (stdout+stderr into `output`). */
  output?: "inherit" | "capture";
  logger?: Logger;
  /** The template it runs for, for the `(runner) executing command … from "src" => "dest"` line. */
  template?: { source: string; destination: string };
}

export interface CommandResult {
  /** Exit status; 128+N when killed by signal N. */
  exitCode: number;
  timedOut: boolean;
  /** stdout and stderr interleaved (capture mode only; at most 1 MiB, the rest dropped). */
  output: string;
}

/** The `(runner) executing command …` line as Vault's agent prints it. */
export function executingLine(command: readonly string[], source: string, destination: string): string {
  return `(runner) executing command ${commandForLog(command)} from "${source || "(dynamic)"}" => "${destination}"`;
}

function shown(command: readonly string[]): string {
  return JSON.stringify(command.join(" "));
}

/** Runs the command to completion (or timeout). Throws only when it cannot be started. */
export async function executeCommand(opts: CommandOptions): Promise<CommandResult> {
  const env = opts.env ?? process.env;
  const spec = commandSpec(opts.command);
  if (spec.argv.length === 0 || spec.argv[0] === "")
    throw new Error("failed to execute command: empty command");
  if (opts.template)
    opts.logger?.info(executingLine(opts.command, opts.template.source, opts.template.destination));
  const argv = [...spec.argv];
  try {
    argv[0] = resolveExecutable(argv[0]!, env.PATH);
  } catch (e) {
    throw new Error(`failed to execute command ${shown(opts.command)}: ${(e as Error).message}`);
  }
  opts.logger?.info(`(child) spawning: ${argvForLog(spec)}`);
  const capture = opts.output === "capture";
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      stdio: capture ? ["inherit", "pipe", "pipe"] : "inherit",
      env,
      detached: spec.group,
    });
  } catch (e) {
    throw new Error(`failed to execute command ${shown(opts.command)}: ${(e as Error).message}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (b: Buffer) => {
    if (size >= OUTPUT_CAP) return;
    const part = b.subarray(0, OUTPUT_CAP - size);
    chunks.push(part);
    size += part.length;
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // 'close' (not 'exit'): all output has been read and the process is reaped.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
      child.once("close", (code, signal) => resolve({ code, signal }));
    },
  );
  let timedOut = false;
  const timer = opts.clock.setTimer(opts.timeoutMs, () => {
    timedOut = true;
    try {
      if (spec.group && child.pid) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {}
  });
  const r = await exited;
  timer.cancel();
  if (r.error) throw new Error(`failed to execute command ${shown(opts.command)}: ${r.error.message}`);
  return { exitCode: exitCodeOf(r.code, r.signal), timedOut, output: Buffer.concat(chunks).toString("utf8") };
}

/** executeCommand, with a failure (non-zero exit, timeout) as an error in Consul Template's words. */
export async function runCommand(
  command: readonly string[],
  timeoutMs: number,
  clock: Clock,
  env: Record<string, string | undefined> = process.env,
  logger?: Logger,
): Promise<void> {
  const r = await executeCommand({ command, timeoutMs, clock, env, logger });
  if (r.timedOut)
    throw new Error(`failed to execute command ${shown(command)}: command did not exit within time limit`);
  if (r.exitCode !== 0) {
    throw new Error(
      `failed to execute command ${shown(command)}: command exited with a non-zero exit status (${r.exitCode})`,
    );
  }
}
