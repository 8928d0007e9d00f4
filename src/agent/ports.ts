/**
 * What the runner needs from the modules below it, as narrow interfaces. The agent wires the real
 * implementations (src/template, src/render, src/child); keeping the runner to these shapes keeps
 * its logic readable and lets each seam be swapped (e.g. a dry-run writer for `config validate`).
 */
import type { CompiledTemplate, TemplateHost } from "../template/api.ts";

export interface TemplateCompiler {
  compile(
    text: string,
    opts: {
      name: string;
      leftDelim: string;
      rightDelim: string;
      errorOnMissingKey: boolean;
      functionDenylist: string[];
      sandboxPath: string;
    },
  ): CompiledTemplate;
}

export type WriteOutcome = "written" | "unchanged";

/** Writes one file template's output (atomic, perms, backup, ownership). */
export interface FileWriter {
  write(
    dest: string,
    contents: string,
    opts: {
      perms: number;
      createDestDirs: boolean;
      backup: boolean;
      user: string;
      group: string;
      uid: number | null;
      gid: number | null;
    },
  ): Promise<WriteOutcome>;
}

/** Runs a template's command after its file changed. Throws with Vault's texts on failure. */
export interface CommandRunner {
  run(command: string[], timeoutMs: number): Promise<void>;
}

export type { TemplateHost };

/** Auto-auth as the agent drives it (src/auth's handler behind an adapter). */
export interface AuthPort {
  /** Runs until stopped; calls onToken for every new token. Rejects on a fatal error (exit_on_err). */
  run(onToken: (token: string) => void): Promise<void>;
  /** Abandon the current token and log in again (self-healing after "invalid token"). */
  reauthenticate(): void;
  stop(): void;
}

/** Token sinks: resolves once every sink has the token (used by exit_after_auth). */
export interface SinkPort {
  write(token: string): Promise<void>;
  stop(): void;
}

/** The supervised child (src/child behind an adapter). */
export interface ChildPort {
  /** Hands over a new environment: start the child, or restart/reload/keep it per config. */
  update(env: Record<string, string>): void;
  /** Forwards a signal to the running child (no-op when none runs). */
  signal(name: NodeJS.Signals): void;
  /** Stops the child (`sig` or the stop signal, then SIGKILL after the kill timeout); resolves with its exit code. */
  stop(sig?: NodeJS.Signals): Promise<number | undefined>;
  /** Called when the child exits on its own; the agent exits with this code. */
  onExit(cb: (code: number) => void): void;
  /** Called when the child cannot be started; the agent exits 1. */
  onError(cb: (e: Error) => void): void;
}
