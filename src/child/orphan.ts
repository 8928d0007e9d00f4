/**
 * Orphan protection (issue 6 item 3): the child must not outlive the agent, even when the agent
 * is SIGKILLed and gets no chance to clean up.
 *
 * - Linux with util-linux `setpriv`: the child is exec'd through `setpriv --pdeathsig KILL`, so
 *   the kernel kills it when the agent dies. This covers a directly exec'd child.
 * - A watchdog covers what pdeathsig cannot: the grandchildren of an `sh -c` child (pdeathsig
 *   only reaches the shell) and systems without setpriv (macOS). It is a tiny `sh` blocked on a
 *   `read` of a pipe whose write end only the agent holds. The kernel closes that end when the
 *   agent dies, `read` sees end-of-file and the watchdog kills the child's process group (or the
 *   child itself when it shares the agent's group). No polling: it costs nothing while idle.
 *   When the child ends normally, the agent writes a line first, and the watchdog exits quietly.
 */
import { type ChildProcess, spawn } from "node:child_process";

export type OrphanProtection = "auto" | "watchdog" | "off";

let setprivPath: string | null | undefined;

/** The setpriv binary on Linux, when installed (looked up once). */
export function setprivBinary(): string | null {
  if (setprivPath === undefined)
    setprivPath = process.platform === "linux" ? (Bun.which("setpriv") ?? null) : null;
  return setprivPath;
}

export interface ProtectionPlan {
  /** The argv to spawn (wrapped by setpriv when used). */
  argv: string[];
  /** Whether a watchdog must be attached once the child's pid is known. */
  watchdog: boolean;
}

export function planProtection(argv: string[], group: boolean, mode: OrphanProtection): ProtectionPlan {
  if (mode === "off") return { argv, watchdog: false };
  const sp = mode === "auto" ? setprivBinary() : null;
  if (sp) return { argv: [sp, "--pdeathsig", "KILL", "--", ...argv], watchdog: group };
  return { argv, watchdog: true };
}

const WATCHDOG_SCRIPT = 'if read _; then exit 0; fi; kill -9 "$1" 2>/dev/null; exit 0';

export class Watchdog {
  private readonly proc: ChildProcess;
  private readonly done: Promise<void>;

  /** Watches over `pid` (its whole group when `group`). */
  constructor(pid: number, group: boolean) {
    // detached: a session of its own, so a terminal's Ctrl-C or a kill of the child's group
    // does not take the watchdog down with them.
    this.proc = spawn("sh", ["-c", WATCHDOG_SCRIPT, "vaultrun-watchdog", group ? `-${pid}` : String(pid)], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    this.done = new Promise((resolve) => {
      this.proc.once("exit", () => resolve());
      this.proc.once("error", () => resolve());
    });
    // An EPIPE after the watchdog is gone is expected; it must not become an uncaught error.
    this.proc.stdin?.on("error", () => {});
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** The child ended normally: tell the watchdog to go away, and reap it. */
  async release(): Promise<void> {
    const stdin = this.proc.stdin;
    if (stdin && !stdin.destroyed) stdin.end("done\n");
    await this.done;
  }
}
