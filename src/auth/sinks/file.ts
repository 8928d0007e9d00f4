/**
 * The file sink: writes a token atomically — a temp file `<dir>/<base>.tmp.<8 hex>` created
 * exclusively with the configured mode (default 0640) and fchmod'ed to exactly that mode before a
 * byte is written, optionally chowned, fsynced, then renamed over the path. So the file is never
 * readable by anyone the mode does not allow, not even briefly, and readers never see a partial
 * token. At creation a write check proves the directory is writable (Vault's startup error).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
  constants as fsConstants,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SinkConfig } from "../../config/types.ts";

export const DEFAULT_SINK_MODE = 0o640;

/** A sink configuration error; messages are Vault's. */
export class SinkConfigError extends Error {
  override name = "SinkConfigError";
}

export interface FileSinkOptions {
  path: string;
  mode: number;
  /** -1 = leave as created. */
  uid: number;
  gid: number;
}

/** Reads `sink.config` with Vault's error texts. */
export function parseFileSinkConfig(cfg: Pick<SinkConfig, "config">): FileSinkOptions {
  const c = cfg.config ?? {};
  if (c.path === undefined || c.path === null || c.path === "") {
    throw new SinkConfigError("'path' not specified for file sink");
  }
  if (typeof c.path !== "string") throw new SinkConfigError("could not parse 'path' as string");
  let mode = DEFAULT_SINK_MODE;
  if (c.mode !== undefined && c.mode !== null) {
    mode = parseInteger(c.mode, "mode");
    // Only permission bits (and setuid/setgid/sticky) describe a regular file.
    if (mode < 0 || mode > 0o7777) throw new SinkConfigError("file mode does not represent a regular file");
  }
  const uid = c.uid === undefined || c.uid === null ? -1 : parseInteger(c.uid, "uid");
  const gid = c.gid === undefined || c.gid === null ? -1 : parseInteger(c.gid, "gid");
  return { path: c.path, mode, uid, gid };
}

function parseInteger(v: unknown, key: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (v !== null && typeof v === "object" && "text" in v)
    return parseInteger((v as { text: unknown }).text, key);
  if (typeof v === "string") {
    const s = v.trim();
    // "0640" is what people mean when they quote an octal mode; other digit strings are decimal.
    if (/^0[0-7]+$/.test(s)) return Number.parseInt(s, 8);
    if (/^-?\d+$/.test(s)) return Number.parseInt(s, 10);
  }
  throw new SinkConfigError(`could not parse '${key}' as integer`);
}

export class FileSink {
  constructor(readonly options: FileSinkOptions) {}

  get path(): string {
    return this.options.path;
  }

  /** Proves the target directory is writable, as Vault does when the sink is created. */
  writeCheck(): void {
    try {
      this.writeAtomically(randomBytes(16).toString("hex"), false);
    } catch (e) {
      throw new SinkConfigError(`error during write check: ${(e as Error).message}`);
    }
  }

  write(contents: string): void {
    this.writeAtomically(contents, true);
  }

  private writeAtomically(contents: string, commit: boolean): void {
    const { path, mode, uid, gid } = this.options;
    const tmp = join(dirname(path), `${basename(path)}.tmp.${randomBytes(4).toString("hex")}`);
    let fd: number | undefined;
    try {
      fd = openSync(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, mode);
      // The umask may have removed bits; the configured mode is what the user asked for.
      fchmodSync(fd, mode);
      if (uid >= 0 || gid >= 0) fchownSync(fd, uid, gid);
      writeSync(fd, contents);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      if (commit) renameSync(tmp, path);
      else rmSync(tmp);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
  }
}
