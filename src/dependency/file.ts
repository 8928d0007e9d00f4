/**
 * The `file` template function's dependency (Consul Template's FileQuery): a local file polled
 * every 2 s and re-read only when its size or modification time changes, so a template that reads
 * a file is rendered again when the file is edited.
 *
 * A file that cannot be read is an error at once — Consul Template gives local dependencies no
 * retry budget, so Vault Agent reports it immediately (and exits with exit_on_retry_failure). The
 * watcher keeps polling, so the template renders as soon as the file appears.
 */
import { readFileSync, statSync } from "node:fs";
import { goErrorText } from "../common/os-error.ts";
import type { DependencyRequest } from "../template/api.ts";
import { decodeGoBytes } from "../template/bytes.ts";
import { type Dependency, DependencyError, type FetchResult } from "./types.ts";

/** Consul Template's poll interval for local files (FileQuerySleepTime). */
export const FILE_POLL_MS = 2000;

export class FileDependency implements Dependency {
  readonly local = { pollMs: FILE_POLL_MS };
  private size = -1;
  private mtimeNs = -1n;

  constructor(readonly request: DependencyRequest) {}

  async fetch(): Promise<FetchResult> {
    const path = this.request.path;
    const plan = { type: "refetch", delayMs: FILE_POLL_MS, reason: "file poll" } as const;
    let size: number;
    let mtimeNs: bigint;
    try {
      const st = statSync(path, { bigint: true });
      size = Number(st.size);
      mtimeNs = st.mtimeNs;
    } catch (e) {
      this.reset();
      throw new DependencyError(`${this.request.key}: ${goErrorText(e, "stat", path)}`);
    }
    if (size === this.size && mtimeNs === this.mtimeNs)
      return { value: undefined, response: null, plan, unchanged: true };
    let text: string;
    try {
      // Go strings are bytes: invalid UTF-8 survives to the output unchanged.
      text = decodeGoBytes(readFileSync(path));
    } catch (e) {
      this.reset();
      // Go's os.ReadFile names the failing step: "open" (permissions) or "read" (a directory).
      const op = (e as NodeJS.ErrnoException).syscall ?? "open";
      throw new DependencyError(`${this.request.key}: ${goErrorText(e, op, path)}`);
    }
    this.size = size;
    this.mtimeNs = mtimeNs;
    return { value: text, response: null, plan };
  }

  /** A failure forgets the last stat, so the file is read again once it is back. */
  reset(): void {
    this.size = -1;
    this.mtimeNs = -1n;
  }
}
