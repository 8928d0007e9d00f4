/**
 * Writing a template's destination the way Consul Template's renderer does (spec §4.3):
 * identical bytes → nothing written; otherwise a temp file in the same directory, created with
 * its final mode (never briefly world-readable), fsynced, then renamed over the destination.
 * Mode: `perms` if set, else the existing file's mode, else 0644. `backup` keeps `<dest>.bak`.
 * A failure leaves the previous file untouched and no temp file behind.
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

export interface FileOptions {
  perms: number;
  createDestDirs: boolean;
  backup: boolean;
  user: string;
  group: string;
  uid: number | null;
  gid: number | null;
}

export type WriteOutcome = "written" | "unchanged";

function idOf(name: string, uid: number | null, db: "passwd" | "group"): number {
  if (name !== "") {
    if (/^\d+$/.test(name)) return Number(name);
    let text = "";
    try {
      text = readFileSync(`/etc/${db}`, "utf8");
    } catch {}
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (f[0] === name) return Number(f[2]);
    }
    throw new Error(`${db === "passwd" ? "user" : "group"}: unknown ${db === "passwd" ? "user" : "group"} ${name}`);
  }
  return uid ?? -1;
}

export async function writeFileAtomic(dest: string, contents: string, opts: FileOptions): Promise<WriteOutcome> {
  if (!dest) throw new Error("failed writing file: missing destination");
  const bytes = Buffer.from(contents);
  const uid = idOf(opts.user, opts.uid, "passwd");
  const gid = idOf(opts.group, opts.gid, "group");
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const st = statSync(dest);
    existing = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    const same = readFileSync(dest).equals(bytes);
    const ownerOk = (uid === -1 || uid === st.uid) && (gid === -1 || gid === st.gid);
    if (same && ownerOk) return "unchanged";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`failed reading file: ${(e as Error).message}`);
  }
  const dir = dirname(dest);
  try {
    statSync(dir);
  } catch {
    if (!opts.createDestDirs) throw new Error(`failed writing file: parent directory is missing: ${dir}`);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  const mode = opts.perms || existing?.mode || 0o644;
  const tmp = join(dir, `.${basename(dest)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // open() applied the umask; set the exact mode asked for.
    chmodSync(tmp, mode);
    if (existing && (uid === -1 || gid === -1)) {
      try {
        chownSync(tmp, uid === -1 ? existing.uid : uid, gid === -1 ? existing.gid : gid);
      } catch {}
    }
    if (opts.backup && existing) {
      try {
        rmSync(`${dest}.bak`, { force: true });
        linkSync(dest, `${dest}.bak`);
      } catch {
        // Vault only warns when the backup fails.
      }
    }
    renameSync(tmp, dest);
    if (uid !== -1 || gid !== -1) chownSync(dest, uid, gid);
    return "written";
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new Error(`failed writing file: ${(e as Error).message}`);
  }
}
