/**
 * One running child process: spawned with Go-like start errors, signalled as a unit (its whole
 * process group when it runs under `sh -c`), stopped with a signal and then SIGKILL after a
 * timeout on the injected clock, always reaped, and protected against outliving the agent
 * (see orphan.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import type { Clock } from "../clock/clock.ts";
import type { Logger } from "../log/logger.ts";
import { argvForLog, commandSpec } from "./command.ts";
import { resolveExecutable } from "./lookup.ts";
import { type OrphanProtection, planProtection, Watchdog } from "./orphan.ts";

export type Stdio = "inherit" | "ignore" | number;

export interface ChildStartOptions {
  command: readonly string[];
  env: Record<string, string>;
  /** PATH used to find argv[0] (the agent's own, as Go's exec.LookPath does). */
  pathEnv: string | undefined;
  stdout?: Stdio;
  stderr?: Stdio;
  stdin?: Stdio;
  orphanProtection?: OrphanProtection;
  clock: Clock;
  logger: Logger;
}

/**
 * The exit status as one number. A child killed by signal N reports 128+N (the shell's
 * convention — vaultrun's choice; Vault reports -1, i.e. 255).
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
  return n ? 128 + n : 1;
}

export class ChildStartError extends Error {
  constructor(reason: string) {
    super(`error starting the child process: ${reason}`);
    this.name = "ChildStartError";
  }
}

export class Child {
  readonly pid: number;
  readonly group: boolean;
  /** Resolves with the exit code once the process is gone and reaped (never rejects). */
  readonly exited: Promise<number>;
  readonly startedAt: number;
  private exitCode?: number;
  private readonly watchdog?: Watchdog;
  private readonly clock: Clock;
  private readonly log: Logger;

  private constructor(proc: ChildProcess, group: boolean, watchdog: boolean, opts: ChildStartOptions) {
    this.pid = proc.pid!;
    this.group = group;
    this.clock = opts.clock;
    this.log = opts.logger;
    this.startedAt = opts.clock.now();
    if (watchdog) this.watchdog = new Watchdog(this.pid, group);
    this.exited = new Promise<number>((resolve) => {
      proc.once("exit", (code, signal) => resolve(exitCodeOf(code, signal)));
    }).then(async (code) => {
      this.exitCode = code;
      await this.watchdog?.release();
      return code;
    });
  }

  /** Starts the command. Throws ChildStartError (with Go's wording) when it cannot run. */
  static start(opts: ChildStartOptions): Child {
    const spec = commandSpec(opts.command);
    if (spec.argv.length === 0) throw new ChildStartError("exec: no command");
    const argv = [...spec.argv];
    try {
      argv[0] = resolveExecutable(argv[0]!, opts.pathEnv);
    } catch (e) {
      throw new ChildStartError((e as Error).message);
    }
    for (const [k, v] of Object.entries(opts.env)) {
      // execve cannot carry these; Node would throw a TypeError that names the value.
      if (k.includes("\0") || v.includes("\0"))
        throw new ChildStartError(`invalid environment variable ${k}: contains a NUL byte`);
      if (k === "" || k.includes("="))
        throw new ChildStartError(`invalid environment variable name ${JSON.stringify(k)}`);
    }
    const plan = planProtection(argv, spec.group, opts.orphanProtection ?? "auto");
    opts.logger.info(`(child) spawning: ${argvForLog(spec)}`);
    let proc: ChildProcess;
    try {
      proc = spawn(plan.argv[0]!, plan.argv.slice(1), {
        env: opts.env,
        stdio: [opts.stdin ?? "inherit", opts.stdout ?? "inherit", opts.stderr ?? "inherit"],
        detached: spec.group,
      });
    } catch (e) {
      throw new ChildStartError((e as Error).message);
    }
    if (proc.pid === undefined) {
      // Spawning failed; the error event follows. Reap nothing, report the reason.
      proc.once("error", () => {});
      throw new ChildStartError(`fork/exec ${argv[0]}: failed to start`);
    }
    proc.once("error", (e) => opts.logger.error("(child) child process error", "error", e.message));
    return new Child(proc, spec.group, plan.watchdog, opts);
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Sends `sig` to the child (its group when it has one). False when it is already gone. */
  signal(sig: NodeJS.Signals): boolean {
    if (!this.running) return false;
    try {
      if (this.group) process.kill(-this.pid, sig);
      else process.kill(this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /** `sig`, then SIGKILL if it is still there after `killTimeoutMs`. Resolves with the exit code. */
  async stop(sig: NodeJS.Signals, killTimeoutMs: number): Promise<number> {
    if (!this.running) return this.exited;
    this.log.info("(child) stopping process", "process_id", this.pid);
    this.signal(sig);
    const timer = this.clock.setTimer(killTimeoutMs, () => {
      this.log.warn("(child) process did not stop in time, killing it", "process_id", this.pid);
      this.signal("SIGKILL");
    });
    const code = await this.exited;
    timer.cancel();
    return code;
  }
}
