/**
 * The supervised child of process-supervisor mode (spec §6): started once every env template has
 * rendered, with the agent's environment (filtered by `exec.env`) plus the rendered variables;
 * restarted (debounced) or signalled (`reload_signal`) when the environment changes, or left alone
 * with `restart_on_secret_changes = "never"`. Stopping sends `restart_stop_signal`, then SIGKILL
 * after `kill_timeout`. A child that exits on its own is reported with its code (128+N when a
 * signal N killed it), and the agent exits with that code.
 *
 * Orphan protection: on Linux the child is started through `setpriv --pdeathsig KILL`, so the
 * kernel kills it if the agent dies, even by SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { constants } from "node:os";
import type { Clock, Timer } from "../clock/clock.ts";
import type { ExecConfig } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { commandSpec } from "../render/command.ts";
import { childEnvironment } from "./env.ts";
import { resolveExecutable } from "./lookup.ts";

export interface SupervisorOptions {
  exec: ExecConfig;
  clock: Clock;
  logger: Logger;
  /** The agent's environment, as inherited at start-up. */
  baseEnv: Record<string, string | undefined>;
  /** Use `setpriv --pdeathsig` when available (default true on Linux). */
  pdeathsig?: boolean;
}

let setprivPath: string | null | undefined;
function setpriv(): string | null {
  if (setprivPath === undefined) setprivPath = process.platform === "linux" ? (Bun.which("setpriv") ?? null) : null;
  return setprivPath;
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
  return n ? 128 + n : 1;
}

export class ChildSupervisor {
  private child?: ChildProcess;
  private childGroup = false;
  private exited?: Promise<number>;
  private env?: Record<string, string>;
  private pendingEnv?: Record<string, string>;
  private debounce?: Timer;
  private expectedExit = false;
  private stopped = false;
  private exitListeners: Array<(code: number) => void> = [];
  private errorListeners: Array<(e: Error) => void> = [];
  private readonly log: Logger;

  constructor(private readonly opts: SupervisorOptions) {
    this.log = opts.logger.named("child");
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onExit(cb: (code: number) => void): void {
    this.exitListeners.push(cb);
  }

  /** A child that cannot be started (missing executable…): the agent exits 1. */
  onError(cb: (e: Error) => void): void {
    this.errorListeners.push(cb);
  }

  /** A new rendered environment. */
  update(env: Record<string, string>): void {
    if (this.stopped) return;
    if (!this.child) {
      this.env = env;
      this.start();
      return;
    }
    const ex = this.opts.exec;
    if (ex.restartOnSecretChanges === "never") {
      this.log.info("detected update, but not restarting process", "process_id", this.child.pid);
      return;
    }
    this.pendingEnv = env;
    this.debounce?.cancel();
    this.debounce = this.opts.clock.setTimer(ex.restartDebounce, () => {
      this.debounce = undefined;
      void this.applyPending();
    });
  }

  private async applyPending(): Promise<void> {
    const env = this.pendingEnv;
    if (!env || this.stopped) return;
    this.pendingEnv = undefined;
    this.env = env;
    const ex = this.opts.exec;
    if (ex.reloadSignal && this.child) {
      this.log.info("sending reload signal to process", "process_id", this.child.pid, "signal", ex.reloadSignal);
      this.signal(ex.reloadSignal as NodeJS.Signals);
      return;
    }
    this.log.info("stopping process", "process_id", this.child?.pid);
    await this.terminate();
    if (!this.stopped) this.start();
  }

  private start(): void {
    const ex = this.opts.exec;
    let argv: string[];
    let group: boolean;
    try {
      const spec = commandSpec(ex.command);
      argv = spec.argv;
      group = spec.group;
      argv[0] = resolveExecutable(argv[0]!, this.opts.baseEnv.PATH);
    } catch (e) {
      const err = new Error(`unable to start the child process: error starting the child process: ${(e as Error).message}`);
      this.log.error(err.message);
      for (const cb of this.errorListeners) cb(err);
      return;
    }
    const env = childEnvironment(this.opts.baseEnv, ex.env, this.env ?? {});
    const sp = this.opts.pdeathsig !== false ? setpriv() : null;
    const full = sp ? [sp, "--pdeathsig", "KILL", "--", ...argv] : argv;
    const stdout = ex.childProcessStdout ? openSync(ex.childProcessStdout, "a", 0o644) : "inherit";
    const stderr = ex.childProcessStderr ? openSync(ex.childProcessStderr, "a", 0o644) : "inherit";
    this.log.info(`spawning: ${ex.command.join(" ")}`);
    const child = spawn(full[0]!, full.slice(1), { env, stdio: ["inherit", stdout, stderr], detached: group });
    this.child = child;
    this.childGroup = group;
    this.expectedExit = false;
    this.exited = new Promise<number>((resolve) => {
      child.once("error", (e) => {
        this.log.error(`error starting the child process: ${e.message}`);
        resolve(127);
      });
      child.once("exit", (code, signal) => resolve(exitCodeOf(code, signal)));
    });
    void this.exited.then((code) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.expectedExit || this.stopped) return;
      for (const cb of this.exitListeners) cb(code);
    });
  }

  /** Sends a signal to the child (its whole group when it runs under sh -c). */
  signal(sig: NodeJS.Signals): void {
    const c = this.child;
    if (!c?.pid) return;
    try {
      if (this.childGroup) process.kill(-c.pid, sig);
      else c.kill(sig);
    } catch {
      // Already gone.
    }
  }

  /** Stop signal, then SIGKILL after kill_timeout. Resolves with the exit code. */
  private async terminate(sig?: NodeJS.Signals): Promise<number | undefined> {
    const c = this.child;
    const exited = this.exited;
    if (!c || !exited) return undefined;
    this.expectedExit = true;
    this.signal(sig ?? (this.opts.exec.restartStopSignal as NodeJS.Signals));
    const timer = this.opts.clock.setTimer(this.opts.exec.killTimeout, () => {
      this.log.warn("process did not stop in time, killing it", "process_id", c.pid);
      this.signal("SIGKILL");
    });
    const code = await exited;
    timer.cancel();
    return code;
  }

  /** Stops for good (agent shutdown), with `sig` instead of the stop signal when given. */
  async stop(sig?: NodeJS.Signals): Promise<number | undefined> {
    if (this.stopped) return undefined;
    this.debounce?.cancel();
    const code = await this.terminate(sig);
    this.stopped = true;
    return code;
  }

  /** Waits for the current child to exit (after a forwarded INT/TERM). */
  async wait(): Promise<number | undefined> {
    return this.exited;
  }
}
