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
