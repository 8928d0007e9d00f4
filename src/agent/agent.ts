/**
 * The agent: wires auto-auth → sinks → runner → child, owns the process (pid file, signals, exit
 * code) and makes sure every exit path stops the child first (Vault can orphan it).
 *
 * Exit codes: 0 for a normal shutdown (SIGINT/SIGTERM) and for exit_after_auth; the child's code
 * when a supervised child exits on its own or after a forwarded INT/TERM; 1 for start-up and
 * run-time failures (exit_on_err, exit_on_retry_failure, a child that cannot start).
 */
import { rmSync, writeFileSync } from "node:fs";
import { type Clock, systemClock } from "../clock/clock.ts";
import { UserError } from "../common/errors.ts";
import type { AgentConfig } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import type { VaultApi } from "../dependency/types.ts";
import type { AuthPort, ChildPort, CommandRunner, FileWriter, SinkPort, TemplateCompiler } from "./ports.ts";
import { Runner } from "./runner.ts";
import type { TemplateHost } from "../template/api.ts";
import type { RetrySettings } from "../watch/watcher.ts";

export interface AgentParts {
  api: VaultApi;
  auth: AuthPort;
  sinks: SinkPort;
  child?: ChildPort;
  compiler: TemplateCompiler;
  writer: FileWriter;
  commands: CommandRunner;
  host: TemplateHost;
  retry: RetrySettings;
  namespace?: string;
}

/** Where signals come from; tests pass their own emitter. */
export interface SignalSource {
  on(signal: NodeJS.Signals, fn: () => void): void;
  off(signal: NodeJS.Signals, fn: () => void): void;
}

export interface RunOptions {
  config: AgentConfig;
  logger: Logger;
  parts: AgentParts;
  clock?: Clock;
  signals?: SignalSource;
  /** SIGHUP without a child: re-read the config (Vault applies only the log level). */
  reload?: () => void;
}

const FORWARDED: NodeJS.Signals[] = ["SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

export class Agent {
  private readonly log: Logger;
  private runner?: Runner;
  private finished = false;
  private resolveExit!: (code: number) => void;
  readonly exited: Promise<number>;
  private tokenSeen = false;
  private shuttingDown = false;
  private sinksDone = false;
  private templatesDone = false;
  private handlers: Array<[NodeJS.Signals, () => void]> = [];

  constructor(private readonly opts: RunOptions) {
    this.log = opts.logger.named("agent");
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  /** Starts everything; `exited` resolves with the exit code. */
  start(): void {
    const { config, parts } = this.opts;
    const clock = this.opts.clock ?? systemClock;
    const hasTemplates = config.templates.length > 0 || config.envTemplates.length > 0;
    const once = config.exitAfterAuth;
    // With exit_after_auth the env templates never reach a child (Vault: the child never runs).
    const runnerConfig = once ? { ...config, envTemplates: [] } : config;
    if (runnerConfig.templates.length > 0 || runnerConfig.envTemplates.length > 0) {
      this.runner = new Runner({
        config: runnerConfig,
        clock,
        logger: this.opts.logger.named("agent"),
        api: parts.api,
        namespace: parts.namespace,
        compiler: parts.compiler,
        writer: parts.writer,
        commands: parts.commands,
        host: parts.host,
        retry: parts.retry,
        onEnv: (env) => parts.child?.update(env),
        onAllRendered: () => {
          this.templatesDone = true;
          this.maybeFinishOnce();
          if (!this.opts.config.exitAfterAuth) releaseStartupMemory();
        },
        onFatal: (e) => this.fail(e),
        onInvalidToken: () => parts.auth.reauthenticate(),
      });
    } else {
      this.templatesDone = true;
    }
    if (!hasTemplates && config.autoAuth?.sinks.length === 0)
      this.log.warn("auto_auth has no sink and no template");

    parts.child?.onError((e) => this.fail(e));
    parts.child?.onExit((code) => {
      this.log.info("child process exited", "code", code);
      this.finish(code);
    });

    this.installSignals();

    parts.auth
      .run((token) => {
        const first = !this.tokenSeen;
        this.tokenSeen = true;
        void parts.sinks.write(token).then(
          () => {
            this.sinksDone = true;
            this.maybeFinishOnce();
          },
          (e) => this.log.error("error writing sinks", "error", String(e)),
        );
        if (this.runner) {
          if (first) this.runner.start(token);
          else if (!once) this.runner.setToken(token);
          else
            this.log.info("template server not restarting with new token with exit_after_auth set to true");
        }
      })
      .then(
        () => {
          // The handler only returns when stopped: during a shutdown the exit code is decided there.
          if (!this.finished && !this.shuttingDown) this.finish(0);
        },
        (e) => this.fail(e instanceof Error ? e : new Error(String(e))),
      );
  }

  /** Stops everything (as SIGTERM would, without forwarding); resolves with the exit code. */
  stop(): Promise<number> {
    this.finish(0);
    return this.exited;
  }

  private maybeFinishOnce(): void {
    if (this.opts.config.exitAfterAuth && this.tokenSeen && this.sinksDone && this.templatesDone) {
      this.log.info("exit_after_auth: done, exiting");
      this.finish(0);
    }
  }

  private installSignals(): void {
    const src = this.opts.signals ?? process;
    const on = (sig: NodeJS.Signals, fn: () => void) => {
      src.on(sig, fn);
      this.handlers.push([sig, fn]);
    };
    const child = this.opts.parts.child;
    for (const sig of ["SIGINT", "SIGTERM"] as NodeJS.Signals[]) {
      on(sig, () => {
        if (this.finished || this.shuttingDown) return;
        this.shuttingDown = true;
        this.log.info(`shutdown triggered by ${sig}`);
        if (child) {
          // Forward INT/TERM, then exit with the child's code once it is gone.
          void this.stopAll(sig).then((code) => this.finish(code ?? 0));
        } else this.finish(0);
      });
    }
    for (const sig of FORWARDED) {
      on(sig, () => {
        if (child) child.signal(sig);
        else if (sig === "SIGHUP") this.opts.reload?.();
      });
    }
  }

  private fail(e: Error): void {
    if (this.finished) return;
    this.log.error("runtime error encountered", "error", e.message);
    this.finish(1);
  }

  private async stopAll(signal?: NodeJS.Signals): Promise<number | undefined> {
    this.runner?.stop();
    this.opts.parts.auth.stop();
    this.opts.parts.sinks.stop();
    const child = this.opts.parts.child;
    if (!child) return undefined;
    return child.stop(signal);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    for (const [sig, fn] of this.handlers) (this.opts.signals ?? process).off(sig, fn);
    // Every exit path stops the child before the agent goes (Vault orphans it on errors).
    void this.stopAll().finally(() => this.resolveExit(code));
  }
}

/**
 * The first render leaves a lot of garbage (parse scratch, first-pass results, client setup) next
 * to what a long-running agent keeps. Collect it once and give the heap's free pages back.
 */
function releaseStartupMemory(): void {
  const bun = (globalThis as { Bun?: { gc(sync: boolean): void; shrink?(): void } }).Bun;
  bun?.gc(true);
  bun?.shrink?.();
}

/** Writes the pid file as Vault does: mode 0600, the decimal pid, no newline. */
export function writePidFile(path: string): () => void {
  if (!path) return () => {};
  try {
    writeFileSync(path, String(process.pid), { mode: 0o600 });
  } catch (e) {
    throw new UserError(`Error storing PID: could not open pid file: ${(e as Error).message}`);
  }
  return () => rmSync(path, { force: true });
}
