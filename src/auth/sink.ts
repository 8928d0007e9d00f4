/**
 * File sinks: the token (or its wrapped form) written atomically with the sink's mode (default
 * 0640) from the moment the file exists. A failed write is retried after 1–3 s.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Clock } from "../clock/clock.ts";
import { formatGoDuration } from "../clock/duration.ts";
import type { SinkConfig } from "../config/types.ts";
import type { VaultApi } from "../dependency/types.ts";
import type { Logger } from "../log/logger.ts";

export class SinkError extends Error {}

export interface FileSink {
  path: string;
  mode: number;
  wrapTTL: number;
}

export function fileSinkFrom(cfg: SinkConfig): FileSink {
  if (cfg.type !== "file") throw new SinkError(`Unknown sink type "${cfg.type}"`);
  if (cfg.dhType) throw new SinkError("error creating file sink: dh_type (encrypted sinks) is not supported by vaultrun yet");
  const path = cfg.config.path;
  if (path === undefined) throw new SinkError("error creating file sink: 'path' not specified for file sink");
  if (typeof path !== "string") throw new SinkError("error creating file sink: could not parse 'path' as string");
  let mode = 0o640;
  if (cfg.config.mode !== undefined) {
    const m = cfg.config.mode;
    mode = typeof m === "number" ? m : typeof m === "string" && /^[0-7]+$/.test(m) ? Number.parseInt(m, 8) : Number.NaN;
    if (!Number.isInteger(mode)) throw new SinkError("error creating file sink: could not parse 'mode' as integer");
  }
  return { path, mode, wrapTTL: cfg.wrapTTL };
}

export function writeSecretFile(path: string, contents: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", mode);
    chmodSync(tmp, mode);
    writeSync(fd, contents);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

export class SinkServer {
  private latest = "";
  private timers: Array<{ cancel(): void }> = [];
  private stopped = false;

  constructor(
    private readonly sinks: FileSink[],
    private readonly deps: { api: VaultApi; clock: Clock; logger: Logger; namespace?: string; random?: () => number },
  ) {}

  /** Writes the token to every sink; resolves once all have it (retrying failures). */
  async write(token: string): Promise<void> {
    this.latest = token;
    await Promise.all(this.sinks.map((s) => this.writeOne(s, token)));
  }

  private async writeOne(sink: FileSink, token: string): Promise<void> {
    for (;;) {
      if (this.stopped || token !== this.latest) return;
      try {
        let contents = token;
        if (sink.wrapTTL > 0) {
          const resp = await this.deps.api.request({
            method: "PUT",
            path: "sys/wrapping/wrap",
            body: { token },
            token,
            namespace: this.deps.namespace,
            wrapTTL: formatGoDuration(sink.wrapTTL),
          });
          contents = JSON.stringify(resp?.wrap_info ?? {});
        }
        writeSecretFile(sink.path, contents, sink.mode);
        this.deps.logger.info("token written", "path", sink.path);
        return;
      } catch (e) {
        const wait = 1000 + 2000 * (this.deps.random ?? Math.random)();
        this.deps.logger.error("error returned by sink function, retrying", "path", sink.path, "error", (e as Error).message);
        await new Promise<void>((r) => this.timers.push(this.deps.clock.setTimer(wait, r)));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
  }
}
