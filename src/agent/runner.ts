/**
 * The runner: Consul Template's multi-pass loop over every `template` and `env_template`.
 *
 * A pass executes every template against the data the watcher has. Functions that need Vault data
 * it doesn't have yet are recorded as missing; the watcher fetches them and, when data arrives,
 * another pass runs (passes are coalesced: one per clock tick however many fetches landed).
 * A template whose dependencies are all present is "complete": file templates are written
 * (atomically, only when the bytes changed; commands run after the pass for files that changed),
 * env templates are collected and, once every one of them is complete, handed to the supervisor
 * as one environment. Dependencies no template uses any more are dropped after each pass.
 */
import { readFileSync } from "node:fs";
import type { Clock, Timer } from "../clock/clock.ts";
import type { AgentConfig, EnvTemplateStanza, TemplateStanza } from "../config/types.ts";
import { createDependency } from "../dependency/factory.ts";
import type { VaultApi } from "../dependency/types.ts";
import type { Logger } from "../log/logger.ts";
import {
  type CompiledTemplate,
  type Dependencies,
  type DependencyRequest,
  dependencyKey,
  type TemplateHost,
} from "../template/api.ts";
import { decodeGoBytes, replaceInvalidBytes } from "../template/bytes.ts";
import type { RetrySettings } from "../watch/watcher.ts";
import { Watcher } from "../watch/watcher.ts";
import type { CommandRunner, FileWriter, TemplateCompiler } from "./ports.ts";

export const DEFAULT_STATIC_INTERVAL = 5 * 60_000;

interface Unit {
  index: number;
  kind: "file" | "env";
  /** Human name for logs: the source path, or the destination / env var name. */
  label: string;
  file?: TemplateStanza;
  env?: EnvTemplateStanza;
  compiled: CompiledTemplate;
  /** Has this template been complete (and written) at least once? */
  rendered: boolean;
  /** Last complete output. */
  output?: string;
  /** Output waiting for its quiescence timer. */
  pending?: string;
  waitTimer?: Timer;
  waitDeadline?: number;
  /** A file write failed: try again on the next pass even if the output is unchanged. */
  dirty: boolean;
  errorReported?: string;
}

export interface RunnerOptions {
  config: AgentConfig;
  clock: Clock;
  logger: Logger;
  api: VaultApi;
  namespace?: string;
  compiler: TemplateCompiler;
  writer: FileWriter;
  commands: CommandRunner;
  host: TemplateHost;
  retry: RetrySettings;
  random?: () => number;
  /** Every env template is complete and the environment differs from the last one handed over. */
  onEnv?: (env: Record<string, string>) => void;
  /** Every template (file and env) has been complete at least once. Fired once. */
  onAllRendered?: () => void;
  /** A failure that must stop the agent (exit_on_retry_failure, once mode). */
  onFatal?: (error: Error) => void;
  /** Vault said the token is invalid: auto-auth should log in again (self-healing). */
  onInvalidToken?: () => void;
}

/** Builds the template units; throws (before anything runs) on a bad source/contents or a parse error. */
function buildUnits(config: AgentConfig, compiler: TemplateCompiler): Unit[] {
  const units: Unit[] = [];
  const load = (t: { source: string; contents: string }, what: string): string => {
    if (t.source && t.contents) throw new Error(`${what}: cannot specify both 'source' and 'contents'`);
    if (!t.source && !t.contents)
      throw new Error(`${what}: must specify exactly one of 'source' or 'contents'`);
    if (t.contents) return t.contents;
    try {
      // Go reads template sources as bytes: invalid UTF-8 is kept (see template/bytes.ts).
      return decodeGoBytes(readFileSync(t.source));
    } catch (e) {
      throw new Error(`${what}: failed reading file: ${(e as NodeJS.ErrnoException).message}`);
    }
  };
  config.templates.forEach((t, i) => {
    const text = load(t, "template");
    const label = t.source || t.destination || `template[${i}]`;
    units.push({
      index: units.length,
      kind: "file",
      label,
      file: t,
      compiled: compiler.compile(text, {
        name: t.source || "",
        leftDelim: t.leftDelimiter,
        rightDelim: t.rightDelimiter,
        errorOnMissingKey: t.errorOnMissingKey,
        functionDenylist: t.functionDenylist,
        sandboxPath: t.sandboxPath,
      }),
      rendered: false,
      dirty: false,
    });
  });
  for (const t of config.envTemplates) {
    const text = load(t, `env_template[${t.name}]`);
    units.push({
      index: units.length,
      kind: "env",
      label: t.name,
      env: t,
      compiled: compiler.compile(text, {
        name: t.source || "",
        leftDelim: t.leftDelimiter,
        rightDelim: t.rightDelimiter,
        errorOnMissingKey: t.errorOnMissingKey,
        functionDenylist: t.functionDenylist,
        sandboxPath: "",
      }),
      rendered: false,
      dirty: false,
    });
  }
  return units;
}

export class Runner {
  readonly watcher: Watcher;
  private readonly units: Unit[];
  private passQueued = false;
  private passRunning = false;
  private passAgain = false;
  private allRendered = false;
  private stopped = false;
  private lastEnvKey?: string;
  /** Keys of dependencies that spent their retry budget and have not succeeded since. */
  private exhausted = new Set<string>();
  /** pkiCert destination cache: dependency key → destination of the first template using it. */
  private pkiDestinations = new Map<string, string>();
  /** Dependency keys each template used on its last successful evaluation. */
  private lastUsed = new Map<Unit, string[]>();

  private setUsed(unit: Unit, keys: string[]): void {
    for (const k of this.lastUsed.get(unit) ?? []) {
      const set = this.readers.get(k);
      set?.delete(unit);
      if (set?.size === 0) this.readers.delete(k);
    }
    this.lastUsed.set(unit, keys);
    for (const k of keys) {
      let set = this.readers.get(k);
      if (!set) this.readers.set(k, (set = new Set()));
      set.add(unit);
    }
  }
  /** Which templates used a key last time: new data for a key re-evaluates only these. */
  private readers = new Map<string, Set<Unit>>();
  /** Templates to evaluate in the next pass (all of them at first, and after a token change). */
  private stale = new Set<Unit>();
  private readonly log: Logger;
  readonly staticInterval: number;

  constructor(private readonly opts: RunnerOptions) {
    this.log = opts.logger;
    this.units = buildUnits(opts.config, opts.compiler);
    const tc = opts.config.templateConfig;
    this.staticInterval =
      tc.staticSecretRenderInterval > 0 ? tc.staticSecretRenderInterval : DEFAULT_STATIC_INTERVAL;
    this.watcher = new Watcher({
      clock: opts.clock,
      logger: opts.logger.named("watcher"),
      api: opts.api,
      namespace: opts.namespace,
      settings: { staticInterval: this.staticInterval, threshold: tc.leaseRenewalThreshold },
      retry: opts.retry,
      random: opts.random,
      onData: (key) => {
        this.exhausted.delete(key);
        for (const u of this.readers.get(key) ?? []) this.stale.add(u);
        this.schedulePass();
      },
      onError: (key, error, exhausted) => this.dependencyFailed(key, error, exhausted),
    });
  }

  get templateCount(): number {
    return this.units.length;
  }

  /** Runs the first pass (which discovers the dependencies) — call once a token is set. */
  start(token: string): void {
    this.log.info("(runner) starting");
    for (const u of this.units) this.stale.add(u);
    this.watcher.setToken(token);
    this.schedulePass();
  }

  /** A new token from auto-auth. State is kept; failing fetches retry with it. */
  setToken(token: string): void {
    this.watcher.setToken(token);
    this.schedulePass();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const u of this.units) u.waitTimer?.cancel();
    this.watcher.stop();
    this.log.info("(runner) stopping");
  }

  private schedulePass(): void {
    if (this.stopped) return;
    if (this.passRunning) {
      this.passAgain = true;
      return;
    }
    if (this.passQueued) return;
    // Coalesce: one pass for everything that arrived in this turn (not a timer, so it does not
    // depend on the clock moving).
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      if (!this.stopped) void this.pass();
    });
  }

  private dependencyFailed(key: string, error: Error, exhausted: boolean): void {
    if (
      /invalid token|permission denied/i.test(error.message) &&
      (error as { status?: number }).status === 403
    ) {
      this.opts.onInvalidToken?.();
    }
    if (!exhausted) return;
    this.exhausted.add(key);
    this.log.error("(runner) watcher reported error", "dependency", key, "error", error.message);
    if (this.opts.config.templateConfig.exitOnRetryFailure || this.opts.config.exitAfterAuth) {
      this.fail(new Error(`template server: ${error.message}`));
    }
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stop();
    this.opts.onFatal?.(error);
  }

  private deps(unit: Unit): Dependencies {
    const lookup = (kind: DependencyRequest["kind"], path: string, args: string[]) => {
      const key = dependencyKey(kind, path, args);
      if (kind === "pkiCert" && unit.file?.destination && !this.pkiDestinations.has(key)) {
        this.pkiDestinations.set(key, unit.file.destination);
      }
      return this.watcher.get(key)?.value;
    };
    return {
      secret: (path, args) => lookup("secret", path, args) as ReturnType<Dependencies["secret"]>,
      secrets: (path) => lookup("secrets", path, []) as ReturnType<Dependencies["secrets"]>,
      pkiCert: (path, args) => lookup("pkiCert", path, args) as ReturnType<Dependencies["pkiCert"]>,
      file: (path) => lookup("file", path, []) as string | undefined,
    };
  }

  /** One evaluation of every template. */
  private async pass(): Promise<void> {
    if (this.stopped) return;
    this.passRunning = true;
    try {
      const changedFiles: Unit[] = [];
      // Only templates whose data changed (or that never completed) are evaluated again: with a
      // thousand templates, one secret arriving must not re-run the other 999.
      const batch = this.units.filter((u) => this.stale.has(u));
      this.stale.clear();
      for (const unit of batch) {
        let result: ReturnType<CompiledTemplate["execute"]>;
        try {
          result = unit.compiled.execute(this.deps(unit), this.opts.host);
        } catch (e) {
          this.templateFailed(unit, e as Error);
          // Keep its dependencies alive so a data change can fix it.
          continue;
        }
        unit.errorReported = undefined;
        this.setUsed(
          unit,
          result.used.map((r) => r.key),
        );
        for (const req of result.used) {
          if (!this.watcher.has(req.key)) {
            this.watcher.add(
              createDependency(req, {
                staticInterval: () => this.staticInterval,
                threshold: () => this.opts.config.templateConfig.leaseRenewalThreshold,
                pkiDestination: (r) => this.pkiDestinations.get(r.key),
              }),
            );
          }
        }
        if (!result.complete) continue;
        if (unit.kind === "env") {
          unit.output = result.output;
          unit.rendered = true;
          continue;
        }
        if (result.output === unit.output && !unit.dirty) continue;
        if (this.allRendered && unit.file!.wait?.enabled) {
          this.quiesce(unit, result.output);
          continue;
        }
        if (await this.writeFile(unit, result.output)) changedFiles.push(unit);
      }
      this.watcher.retain(new Set(this.readers.keys()));
      await this.runCommands(changedFiles);
      this.deliverEnv();
      this.checkAllRendered();
    } catch (e) {
      this.log.error("(runner) unexpected error", "error", String(e));
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.passRunning = false;
      if (this.passAgain) {
        this.passAgain = false;
        this.schedulePass();
      }
    }
  }

  private templateFailed(unit: Unit, error: Error): void {
    const msg =
      unit.kind === "file"
        ? `error rendering "${unit.file!.source}" => "${unit.file!.destination}": ${error.message}`
        : `error rendering env_template[${unit.label}]: ${error.message}`;
    if (unit.errorReported !== msg) {
      unit.errorReported = msg;
      this.log.error(`(runner) ${msg}`);
    }
    const fatal = unit.kind === "file" ? unit.file!.errorFatal : unit.env!.errorFatal;
    if (this.opts.config.exitAfterAuth || (fatal && this.opts.config.templateConfig.exitOnRetryFailure)) {
      this.fail(new Error(msg));
    }
  }

  /** Writes a file template; returns true when the file changed. Errors are reported, not thrown. */
  private async writeFile(unit: Unit, output: string): Promise<boolean> {
    const t = unit.file!;
    if (!t.destination) {
      this.templateFailed(unit, new Error("failed writing file: missing destination"));
      return false;
    }
    try {
      const outcome = await this.opts.writer.write(t.destination, output, {
        perms: t.perms,
        createDestDirs: t.createDestDirs,
        backup: t.backup,
        user: t.user,
        group: t.group,
        uid: t.uid,
        gid: t.gid,
      });
      unit.output = output;
      unit.dirty = false;
      unit.rendered = true;
      unit.errorReported = undefined;
      if (outcome === "written") {
        this.log.info(`(runner) rendered "${t.source || "(dynamic)"}" => "${t.destination}"`);
        return true;
      }
      this.log.debug(`(runner) "${t.destination}" unchanged`);
      return false;
    } catch (e) {
      unit.dirty = true;
      this.templateFailed(unit, e as Error);
      return false;
    }
  }

  /**
   * `wait { min, max }`: once everything has rendered, a changed template is written only after
   * `min` without further changes, and never later than `max` after the first change.
   */
  private quiesce(unit: Unit, output: string): void {
    const wait = unit.file!.wait!;
    const now = this.opts.clock.now();
    unit.pending = output;
    if (unit.waitDeadline === undefined) unit.waitDeadline = now + wait.max;
    unit.waitTimer?.cancel();
    const due = Math.min(now + wait.min, unit.waitDeadline);
    unit.waitTimer = this.opts.clock.setTimer(due - now, () => {
      unit.waitTimer = undefined;
      unit.waitDeadline = undefined;
      const pending = unit.pending;
      unit.pending = undefined;
      if (pending === undefined || this.stopped) return;
      void this.writeFile(unit, pending).then((changed) => (changed ? this.runCommands([unit]) : undefined));
    });
  }

  /** Commands of the files written in a pass: de-duplicated, sequential, in config order. */
  private async runCommands(changed: Unit[]): Promise<void> {
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const unit of changed) {
      const t = unit.file!;
      const command = t.exec?.command.length ? t.exec.command : t.command;
      if (!command.length) continue;
      const id = JSON.stringify(command);
      if (seen.has(id)) continue;
      seen.add(id);
      const timeout = t.exec?.command.length ? t.exec.timeout : t.commandTimeout;
      this.log.info(
        `(runner) executing command "${JSON.stringify(command)}" from "${t.source || "(dynamic)"}" => "${t.destination}"`,
      );
      try {
        await this.opts.commands.run(command, timeout);
      } catch (e) {
        errors.push((e as Error).message);
        this.log.error(`(runner) ${(e as Error).message}`);
      }
    }
    if (errors.length && this.opts.config.templateConfig.exitOnRetryFailure) {
      this.fail(new Error(errors.join("; ")));
    }
  }

  private deliverEnv(): void {
    const envUnits = this.units.filter((u) => u.kind === "env");
    if (envUnits.length === 0 || envUnits.some((u) => !u.rendered)) return;
    // Files first: the child starts only once every file template has rendered too.
    if (this.units.some((u) => u.kind === "file" && !u.rendered)) return;
    const env: Record<string, string> = {};
    // Go hands a child the raw bytes; Node/Bun's spawn takes strings and can only send UTF-8, so
    // each byte of a value that is not UTF-8 reaches the child as U+FFFD (EF BF BD).
    for (const u of envUnits) env[u.label] = replaceInvalidBytes(u.output ?? "");
    const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (key === this.lastEnvKey) return;
    this.lastEnvKey = key;
    this.opts.onEnv?.(env);
  }

  private checkAllRendered(): void {
    if (this.allRendered || this.units.some((u) => !u.rendered)) return;
    this.allRendered = true;
    this.log.info("(runner) all templates rendered");
    this.opts.onAllRendered?.();
  }
}
