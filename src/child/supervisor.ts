/**
 * The supervised child of process-supervisor mode (spec §6). The runner decides *when* the
 * environment changed and calls `update`; the supervisor decides what that means:
 *
 * - first environment → start the child at once (Vault waits a fixed 2 s first);
 * - a different environment later → restart, debounced by `restart_debounce` (each further change
 *   within the window re-arms it, as Vault's fixed 2 s timer does), or signal `reload_signal`
 *   instead, or nothing with `restart_on_secret_changes = "never"`; an identical one → nothing;
 * - stop = `restart_stop_signal`, then SIGKILL after `kill_timeout`; restarts are sequential
 *   (the new child starts only after the old one is gone);
 * - a child that exits on its own is reported through onExit with its code (128+N for signal
 *   N) and is not started again — the agent exits with that code. With `restartOnExit` the
 *   supervisor restarts it instead, backing off exponentially while it keeps dying young, so a
 *   crash loop cannot make it spin.
 *
 * Every operation that changes which child runs goes through one queue, so a debounce timer, a
 * stop and a crash can never interleave into two children.
 */
import { closeSync, openSync } from "node:fs";
import type { Clock, Timer } from "../clock/clock.ts";
import type { ExecConfig } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { Child, ChildStartError, exitCodeOf } from "./child.ts";
import { childEnvironment } from "./env.ts";
import type { OrphanProtection } from "./orphan.ts";
import { goErrorText } from "../common/os-error.ts";

export { exitCodeOf };

export interface RestartBackoff {
  /** First delay after a child died young. Default 1 s. */
  initialMs: number;
  /** Cap of the doubling delay. Default 1 min. */
  maxMs: number;
  /** A child that ran at least this long resets the backoff. Default 10 s. */
  resetAfterMs: number;
}

export interface SupervisorOptions {
  exec: ExecConfig;
  clock: Clock;
  logger: Logger;
  /** The agent's environment, as inherited at start-up. */
  baseEnv: Record<string, string | undefined>;
  /** "auto": setpriv --pdeathsig on Linux plus a watchdog where needed (default). */
  orphanProtection?: OrphanProtection;
  /** Restart a child that exits on its own instead of reporting it (not Vault's behaviour). */
  restartOnExit?: boolean;
  backoff?: Partial<RestartBackoff>;
}

type Phase = "idle" | "running" | "exited" | "failed" | "stopped";

function sameEnv(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export class ChildSupervisor {
  private child?: Child;
  private phase: Phase = "idle";
  /** The environment of the running (or next) child. */
  private env?: Record<string, string>;
  private pendingEnv?: Record<string, string>;
  private debounce?: Timer;
  private backoffTimer?: Timer;
  private youngDeaths = 0;
  private lastExitCode?: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Children being stopped on purpose: their exit is not "exited on its own". */
  private readonly stopping = new Set<Child>();
  private stdio?: { stdout: number | "inherit"; stderr: number | "inherit" };
  private exitListeners: Array<(code: number) => void> = [];
  private errorListeners: Array<(e: Error) => void> = [];
  private readonly log: Logger;
  private readonly backoff: RestartBackoff;

  constructor(private readonly opts: SupervisorOptions) {
    this.log = opts.logger;
    this.backoff = { initialMs: 1000, maxMs: 60_000, resetAfterMs: 10_000, ...opts.backoff };
  }

  get pid(): number | undefined {
    return this.child?.running ? this.child.pid : undefined;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  /** Called when the child exits on its own (not restarted); the agent exits with this code. */
  onExit(cb: (code: number) => void): void {
    this.exitListeners.push(cb);
  }

  /** Called when the child cannot be started (missing executable…); the agent exits 1. */
  onError(cb: (e: Error) => void): void {
    this.errorListeners.push(cb);
  }

  /** Starts the first child now. Resolves once it is spawned; rejects when it cannot start. */
  start(env: Record<string, string> = {}): Promise<void> {
    this.env = env;
    return this.enqueue(async () => {
      if (this.phase !== "idle") return;
      this.spawn(true);
    });
  }

  /** A new rendered environment from the runner: start, restart, reload or keep (see top). */
  update(env: Record<string, string>): void {
    if (this.phase === "stopped" || this.phase === "failed") return;
    if (this.phase === "idle" && !this.child) {
      void this.start(env).catch(() => {});
      return;
    }
    if (sameEnv(this.pendingEnv ?? this.env, env)) {
      this.log.debug("environment unchanged; child left alone");
      return;
    }
    const ex = this.opts.exec;
    if (this.phase === "exited") {
      // The child is gone: with restartOnExit the next (backed-off) start uses the newest values;
      // otherwise the agent is exiting and nothing starts again.
      this.env = env;
      return;
    }
    if (ex.restartOnSecretChanges === "never") {
      this.log.info("detected update, but not restarting process", "process_id", this.pid);
      return;
    }
    this.log.debug("detected a change in the environment variables: restarting the child process");
    this.pendingEnv = env;
    this.debounce?.cancel();
    this.debounce = this.opts.clock.setTimer(ex.restartDebounce, () => {
      this.debounce = undefined;
      void this.applyPending();
    });
  }

  /** Restarts now (no debounce), with `env` when given. */
  restart(env?: Record<string, string>): Promise<void> {
    this.debounce?.cancel();
    this.debounce = undefined;
    if (env) this.pendingEnv = env;
    else this.pendingEnv ??= this.env ?? {};
    return this.applyPending();
  }

  private applyPending(): Promise<void> {
    return this.enqueue(async () => {
      const env = this.pendingEnv;
      this.pendingEnv = undefined;
      if (!env || this.phase !== "running") return;
      this.env = env;
      const ex = this.opts.exec;
      const child = this.child;
      if (ex.reloadSignal && child?.running) {
        this.log.info("sending reload signal to process", "process_id", child.pid, "signal", ex.reloadSignal);
        child.signal(ex.reloadSignal as NodeJS.Signals);
        return;
      }
      if (child?.running) {
        this.log.info("stopping process", "process_id", child.pid);
        this.stopping.add(child);
        this.lastExitCode = await child.stop(ex.restartStopSignal as NodeJS.Signals, ex.killTimeout);
      }
      if (this.phase === "running") this.spawn(false);
    });
  }

  /** Spawns a child with the current env. `first`: errors reject start() as well. */
  private spawn(first: boolean): void {
    const ex = this.opts.exec;
    let child: Child;
    try {
      const stdio = this.openStdio();
      child = Child.start({
        command: ex.command,
        env: childEnvironment(this.opts.baseEnv, ex.env, this.env ?? {}),
        pathEnv: this.opts.baseEnv.PATH,
        stdout: stdio.stdout,
        stderr: stdio.stderr,
        orphanProtection: this.opts.orphanProtection,
        clock: this.opts.clock,
        logger: this.log,
      });
    } catch (e) {
      // Vault's wording, also for the first start.
      const msg =
        e instanceof ChildStartError
          ? `unable to restart the child process: ${e.message}`
          : (e as Error).message;
      const err = new Error(msg);
      this.phase = "failed";
      this.closeStdio();
      this.log.error(msg);
      for (const cb of this.errorListeners) cb(err);
      if (first) throw err;
      return;
    }
    this.child = child;
    this.phase = "running";
    void child.exited.then((code) => this.childGone(child, code));
  }

  private childGone(child: Child, code: number): void {
    this.lastExitCode = code;
    // A stop or restart is waiting for this exit: it was expected.
    if (this.stopping.delete(child) || this.child !== child || this.phase !== "running") return;
    if (!this.opts.restartOnExit) {
      this.phase = "exited";
      this.debounce?.cancel();
      this.closeStdio();
      this.log.debug("child process exited on its own", "process_id", child.pid, "code", code);
      for (const cb of this.exitListeners) cb(code);
      return;
    }
    const lived = this.opts.clock.now() - child.startedAt;
    let delay = 0;
    if (lived >= this.backoff.resetAfterMs) this.youngDeaths = 0;
    else {
      delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.youngDeaths);
      this.youngDeaths++;
    }
    this.phase = "exited";
    this.log.warn(
      "child process exited; restarting",
      "process_id",
      child.pid,
      "code",
      code,
      "delay_ms",
      delay,
    );
    this.backoffTimer = this.opts.clock.setTimer(delay, () => {
      this.backoffTimer = undefined;
      void this.enqueue(async () => {
        if (this.phase !== "exited") return;
        this.phase = "running";
        this.spawn(false);
      });
    });
  }

  /** Sends a signal to the running child (its whole group when it runs under sh -c). */
  signal(sig: NodeJS.Signals): void {
    this.child?.signal(sig);
  }

  /**
   * Stops for good (agent shutdown): `sig` (default restart_stop_signal), SIGKILL after
   * kill_timeout. Resolves with the child's exit code (undefined when none ever ran).
   */
  async stop(sig?: NodeJS.Signals): Promise<number | undefined> {
    const wasIdle = this.phase === "idle" && !this.child;
    this.phase = "stopped";
    this.debounce?.cancel();
    this.backoffTimer?.cancel();
    // Signal the current child right away (a forwarded INT/TERM must not wait behind a
    // debounced restart), then wait for any operation in flight.
    const ex = this.opts.exec;
    const child = this.child;
    let code: number | undefined;
    if (child?.running) {
      this.stopping.add(child);
      code = await child.stop(sig ?? (ex.restartStopSignal as NodeJS.Signals), ex.killTimeout);
    }
    await this.queue;
    // A restart in flight may have started a child before seeing "stopped"; it cannot now, but
    // one started earlier must not survive.
    const last = this.child;
    if (last && last !== child && last.running) {
      code = await last.stop(sig ?? (ex.restartStopSignal as NodeJS.Signals), ex.killTimeout);
    }
    this.closeStdio();
    if (wasIdle) return undefined;
    return code ?? this.lastExitCode;
  }

  /** Waits for the current child to exit. */
  async wait(): Promise<number | undefined> {
    return this.child ? this.child.exited : undefined;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => {});
    return run;
  }

  /** child_process_stdout/stderr: opened once (append, create, 0644) and kept across restarts. */
  private openStdio(): { stdout: number | "inherit"; stderr: number | "inherit" } {
    if (this.stdio) return this.stdio;
    const ex = this.opts.exec;
    const open = (path: string) => {
      try {
        return openSync(path, "a", 0o644);
      } catch (e) {
        throw new Error(`could not open ${JSON.stringify(path)}, ${goErrorText(e, "open", path)}`);
      }
    };
    const stdout = ex.childProcessStdout ? open(ex.childProcessStdout) : "inherit";
    let stderr: number | "inherit";
    try {
      stderr = ex.childProcessStderr ? open(ex.childProcessStderr) : "inherit";
    } catch (e) {
      if (typeof stdout === "number") closeSync(stdout);
      throw e;
    }
    this.stdio = { stdout, stderr };
    return this.stdio;
  }

  private closeStdio(): void {
    const s = this.stdio;
    this.stdio = undefined;
    for (const fd of [s?.stdout, s?.stderr]) {
      if (typeof fd === "number") {
        try {
          closeSync(fd);
        } catch {}
      }
    }
  }
}
