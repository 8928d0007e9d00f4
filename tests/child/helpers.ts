import { existsSync, readFileSync } from "node:fs";
import type { ExecConfig } from "../../src/config/types.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";

export function execConfig(command: string[], over: Partial<ExecConfig> = {}): ExecConfig {
  return {
    command,
    restartOnSecretChanges: "always",
    restartStopSignal: "SIGTERM",
    childProcessStdout: "",
    childProcessStderr: "",
    restartDebounce: 2000,
    killTimeout: 30_000,
    reloadSignal: "",
    env: { pristine: false, allowlist: [], denylist: [] },
    ...over,
  };
}

export function memoryLogger(): { logger: Logger; sink: MemorySink } {
  const sink = new MemorySink();
  return { logger: Logger.create({ level: "debug", sinks: [sink] }), sink };
}

/**
 * A child process changes state on its own schedule; this is the one place a bounded poll is
 * the honest way to wait. Fails the test after `ms`.
 */
export async function eventually<T>(
  fn: () => T | undefined | false,
  ms = 5000,
  what = "condition",
): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await Bun.sleep(5);
  }
}

export function lines(p: string): string[] {
  return existsSync(p) ? readFileSync(p, "utf8").split("\n").filter(Boolean) : [];
}

/** Alive and not a zombie (a zombie has exited; only its parent has not reaped it yet). */
export function alive(pid: number): boolean {
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads a process's stdout line by line; `next` waits (bounded) for a line matching `re`. */
export class LineReader {
  private buf = "";
  private queue: string[] = [];
  private waiters: Array<() => void> = [];
  done = false;
  readonly ended: Promise<void>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.ended = (async () => {
      const dec = new TextDecoder();
      for await (const chunk of stream) {
        this.buf += dec.decode(chunk, { stream: true });
        let i = this.buf.indexOf("\n");
        while (i >= 0) {
          this.queue.push(this.buf.slice(0, i));
          this.buf = this.buf.slice(i + 1);
          i = this.buf.indexOf("\n");
        }
        this.wake();
      }
      this.done = true;
      this.wake();
    })();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async next(re: RegExp, ms = 5000): Promise<RegExpMatchArray> {
    const end = performance.now() + ms;
    for (;;) {
      const i = this.queue.findIndex((l) => re.test(l));
      if (i >= 0) {
        const [line] = this.queue.splice(i, 1);
        return line!.match(re)!;
      }
      if (this.done)
        throw new Error(`stream ended without a line matching ${re}; got ${JSON.stringify(this.queue)}`);
      const left = end - performance.now();
      if (left <= 0)
        throw new Error(`no line matching ${re} within ${ms} ms; got ${JSON.stringify(this.queue)}`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), Bun.sleep(left)]);
    }
  }

  /** Waits (bounded) until every writer of the stream has closed it. */
  end(ms = 5000): Promise<void> {
    return withTimeout(this.ended, ms, `stream still open after ${ms} ms`);
  }
}

/** `p`, or a rejection with `message` after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}
