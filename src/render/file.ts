/**
 * Writing a template's destination the way Consul Template's renderer does (spec §4.3):
 * identical bytes (and owner) → nothing written; otherwise a temp file in the same directory,
 * created with its final mode from the start (never briefly more readable than asked), fsynced,
 * then renamed over the destination, so a reader sees the old file or the new one, never a part.
 * Mode: `perms` if non-zero, else the existing file's mode, else 0644. `backup` keeps the previous
 * content as `<dest>.bak`. A failure leaves the previous file untouched and no temp file behind.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { goErrorText } from "../common/os-error.ts";
import type { Logger } from "../log/logger.ts";
import { encodeGoString } from "../template/bytes.ts";

export interface FileOptions {
  /** 0 = keep the existing file's mode (0644 for a new file). */
  perms: number;
  createDestDirs: boolean;
  backup: boolean;
  /** Name or numeric id; "" = use uid / leave unchanged. */
  user: string;
  group: string;
  uid: number | null;
  gid: number | null;
}

export interface RenderFileOptions extends Partial<FileOptions> {
  destination: string;
  contents: string | Uint8Array;
  /** For the `(runner) rendered "src" => "dest"` line; "" shows as (dynamic), as Vault does. */
  source?: string;
  logger?: Logger;
}

export type WriteOutcome = "written" | "unchanged";

const DEFAULTS: FileOptions = {
  perms: 0,
  createDestDirs: true,
  backup: false,
  user: "",
  group: "",
  uid: null,
  gid: null,
};

/** Resolves a user/group name or number to an id; -1 = leave unchanged. */
function idOf(name: string, id: number | null, db: "passwd" | "group"): number {
  if (name === "") return id ?? -1;
  return lookupOwnerId(name, db);
}

/**
 * A user or group name (or a number) to its id, from /etc/passwd or /etc/group as Go's pure-Go
 * os/user does; an unknown name fails with Go's text (`user: unknown user bob`).
 */
export function lookupOwnerId(name: string, db: "passwd" | "group"): number {
  const kind = db === "passwd" ? "user" : "group";
  if (/^-?\d+$/.test(name)) return Number(name);
  let text = "";
  try {
    text = readFileSync(`/etc/${db}`, "utf8");
  } catch {}
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f[0] === name && f[2] !== undefined) return Number(f[2]);
  }
  throw new Error(`${kind}: unknown ${kind} ${name}`);
}

/** The `(runner) rendered …` line as Vault's agent prints it. */
export function renderedLine(source: string | undefined, destination: string): string {
  return `(runner) rendered "${source || "(dynamic)"}" => "${destination}"`;
}

export async function renderFile(opts: RenderFileOptions): Promise<WriteOutcome> {
  const o: FileOptions = { ...DEFAULTS, ...stripUndefined(opts) };
  const dest = opts.destination;
  if (!dest) throw new Error("failed writing file: missing destination");
  // Rendered text holds Go bytes (template/bytes.ts): bytes that are not UTF-8 go out raw.
  const raw = typeof opts.contents === "string" ? encodeGoString(opts.contents) : opts.contents;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const uid = idOf(o.user, o.uid, "passwd");
  const gid = idOf(o.group, o.gid, "group");

  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const st = statSync(dest);
    existing = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    if (st.isFile()) {
      const ownerOk = (uid === -1 || uid === st.uid) && (gid === -1 || gid === st.gid);
      // Permissions are not compared (Vault neither): a perms change alone rewrites nothing.
      if (ownerOk && st.size === bytes.length && readFileSync(dest).equals(bytes)) return "unchanged";
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`failed reading file: ${goErrorText(e, "open", dest)}`);
    }
  }

  const dir = dirname(dest);
  let dirExists = true;
  try {
    statSync(dir);
  } catch {
    dirExists = false;
  }
  if (!dirExists) {
    if (!o.createDestDirs) throw new Error(`failed writing file: parent directory is missing: ${dir}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw new Error(`failed writing file: failed to create directories: ${goErrorText(e, "mkdir", dir)}`);
    }
  }

  const mode = o.perms !== 0 ? o.perms : existing ? existing.mode : 0o644;
  const tmp = join(dir, `.${basename(dest)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  let step = "open";
  try {
    // 'wx': a fresh file, never someone else's; the mode is set at creation (umask may narrow it).
    fd = openSync(tmp, "wx", mode);
    step = "write";
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off);
    step = "sync";
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    step = "chmod";
    chmodSync(tmp, mode);
    if (existing) {
      // Keep the old file's owner where we can (a non-root agent usually cannot: that's fine).
      try {
        chownSync(tmp, existing.uid, existing.gid);
      } catch {}
    }
    if (o.backup && existing) backup(dest, opts.logger);
    step = "rename";
    renameSync(tmp, dest);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
    rmSync(tmp, { force: true });
    throw new Error(`failed writing file: ${goErrorText(e, step, step === "rename" ? dest : tmp)}`);
  }
  syncDir(dir);
  if (uid !== -1 || gid !== -1) {
    try {
      chownSync(dest, uid, gid);
    } catch (e) {
      throw new Error(`failed to change file ownership: ${goErrorText(e, "chown", dest)}`);
    }
  }
  opts.logger?.info(renderedLine(opts.source, dest));
  return "written";
}

/**
 * `<dest>.bak` ← the current file, by hard link (no copy, same mode). The old backup is moved
 * aside first and removed only once the new one exists. Failures only warn, as in Vault.
 */
function backup(dest: string, logger: Logger | undefined): void {
  const bak = `${dest}.bak`;
  const old = `${dest}.old.bak`;
  try {
    try {
      renameSync(bak, old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    linkSync(dest, bak);
    rmSync(old, { force: true });
  } catch (e) {
    logger?.warn(`(runner) failed to backup ${JSON.stringify(dest)}: ${goErrorText(e, "link", dest)}`);
  }
}

/** Makes the rename durable; best effort (not every file system allows fsync on a directory). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function stripUndefined(o: RenderFileOptions): Partial<FileOptions> {
  const out: Partial<FileOptions> = {};
  for (const k of Object.keys(DEFAULTS) as (keyof FileOptions)[]) {
    if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  }
  return out;
}

/** The runner's entry point (positional form). */
export function writeFileAtomic(
  dest: string,
  contents: string,
  opts: FileOptions,
  logger?: Logger,
  source?: string,
): Promise<WriteOutcome> {
  return renderFile({ ...opts, destination: dest, contents, logger, source });
}
