/**
 * Running a template's `command`/`exec.command` after its file changed (spec §4.7): one string
 * with whitespace runs under `sh -c` in its own process group, a list runs directly; the
 * command is killed after its timeout (on the injected clock). Error texts follow Consul
 * Template: "failed to execute command … command exited with a non-zero exit status" and
 * "… command did not exit within time limit".
 */
import { spawn } from "node:child_process";
import type { Clock } from "../clock/clock.ts";

export interface CommandSpec {
  argv: string[];
  /** Run in a new process group (sh -c form), so the whole group can be signalled. */
  group: boolean;
}

/** Consul Template's rule: a single element containing whitespace is a shell command. */
export function commandSpec(command: readonly string[]): CommandSpec {
  if (command.length === 1 && /\s/.test(command[0]!)) return { argv: ["sh", "-c", command[0]!], group: true };
  return { argv: [...command], group: false };
}

export async function runCommand(
  command: readonly string[],
  timeoutMs: number,
  clock: Clock,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const spec = commandSpec(command);
  const shown = JSON.stringify(command.join(" "));
  if (spec.argv.length === 0) throw new Error(`failed to execute command ${shown}: empty command`);
  const child = spawn(spec.argv[0]!, spec.argv.slice(1), { stdio: "inherit", env, detached: spec.group });
  let timedOut = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const timer = clock.setTimer(timeoutMs, () => {
    timedOut = true;
    try {
      if (spec.group && child.pid) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {}
  });
  const r = await exited;
  timer.cancel();
  if (r.error) throw new Error(`failed to execute command ${shown}: ${r.error.message}`);
  if (timedOut) throw new Error(`failed to execute command ${shown}: command did not exit within time limit`);
  if (r.code !== 0) {
    throw new Error(`failed to execute command ${shown}: command exited with a non-zero exit status (${r.code ?? r.signal})`);
  }
}
