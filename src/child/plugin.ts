/**
 * Consul Template's `plugin` template function, as the host side of the engine: runs a program
 * with the trimmed, non-empty arguments and returns its trimmed stdout; a program that fails or
 * runs longer than 30 s is an error with Go's text (stdout and stderr included, as Consul
 * Template does — the engine redacts secret values from template errors).
 *
 * Templates execute synchronously, so the program is waited for synchronously, as Consul
 * Template's render goroutine does. vaultrun turns the function off unless
 * `template_config { allow_functions = ["plugin"] }` is set.
 */
import { spawnSync } from "node:child_process";
import { goTrimSpace } from "../template/funcs/gostrings.ts";
import { quoteGo } from "../template/quote.ts";
import { resolveExecutable } from "./lookup.ts";

export const PLUGIN_TIMEOUT_MS = 30_000;

export interface PluginOptions {
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Go's os/exec wording for how a process ended. */
function exitText(status: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_TEXT[signal] ?? signal}`;
  return `exit status ${status}`;
}

const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: "killed",
  SIGTERM: "terminated",
  SIGINT: "interrupt",
  SIGHUP: "hangup",
  SIGQUIT: "quit",
  SIGABRT: "aborted",
  SIGSEGV: "segmentation fault",
  SIGPIPE: "broken pipe",
  SIGUSR1: "user defined signal 1",
  SIGUSR2: "user defined signal 2",
};

export function runPlugin(name: string, args: readonly string[], opts: PluginOptions): string {
  const timeoutMs = opts.timeoutMs ?? PLUGIN_TIMEOUT_MS;
  const argv = args.map(goTrimSpace).filter((a) => a !== "");
  const failed = (reason: string, stdout = "", stderr = "") =>
    new Error(`exec ${quoteGo(name)}: ${reason}\n\nstdout:\n\n${stdout}\n\nstderr:\n\n${stderr}`);
  let file: string;
  try {
    file = resolveExecutable(name, opts.env.PATH);
  } catch (e) {
    throw failed((e as Error).message);
  }
  const r = spawnSync(file, argv, {
    env: opts.env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = r.stdout?.toString("utf8") ?? "";
  const stderr = r.stderr?.toString("utf8") ?? "";
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ETIMEDOUT") throw new Error(`exec ${quoteGo(name)}: did not finish in ${timeoutMs / 1000}s`);
  if (r.error) throw failed(`fork/exec ${file}: ${r.error.message}`, stdout, stderr);
  if (r.status !== 0 || r.signal) throw failed(exitText(r.status, r.signal), stdout, stderr);
  return goTrimSpace(stdout);
}
