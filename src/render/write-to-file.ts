/**
 * Consul Template's `writeToFile` template function, as the host side of the engine: writes the
 * content to a path with an octal mode and optional owner, optionally appending and/or adding a
 * newline. It follows the current Consul Template rules, including its guard against symlinks:
 * the file's own directory and the file itself must not be symlinks (checked with lstat, and the
 * open uses O_NOFOLLOW so the check cannot be raced). Errors carry Go's text.
 *
 * Unlike a template's destination this write is not atomic — Consul Template writes in place, and
 * `append` cannot be atomic anyway. vaultrun turns the function off unless
 * `template_config { allow_functions = ["writeToFile"] }` is set.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  lstatSync,
  mkdirSync,
  openSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { goClean } from "../common/go-path.ts";
import { goErrorText } from "../common/os-error.ts";
import type { WriteToFileRequest } from "../template/api.ts";
import { quoteGo } from "../template/quote.ts";
import { lookupOwnerId } from "./file.ts";

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === "ENOENT";

export function writeToFile(req: WriteToFileRequest): void {
  const cleanPath = goClean(req.path);
  const dir = dirname(cleanPath);

  try {
    statSync(dir);
  } catch (e) {
    if (!isMissing(e)) throw new Error(goErrorText(e, "stat", dir));
    try {
      mkdirSync(dir, { recursive: true, mode: 0o777 });
    } catch (e2) {
      throw new Error(goErrorText(e2, "mkdir", (e2 as NodeJS.ErrnoException).path ?? dir));
    }
  }

  let dirInfo: ReturnType<typeof lstatSync>;
  try {
    dirInfo = lstatSync(dir);
  } catch (e) {
    throw new Error(`writeToFile: failed to stat directory ${quoteGo(dir)}: ${goErrorText(e, "lstat", dir)}`);
  }
  if (dirInfo.isSymbolicLink())
    throw new Error(
      `writeToFile: refusing to write through symlinked directory in path ${quoteGo(req.path)}`,
    );

  const target = join(dir, basename(cleanPath));
  let targetInfo: ReturnType<typeof lstatSync> | undefined;
  try {
    targetInfo = lstatSync(target);
  } catch (e) {
    if (!isMissing(e))
      throw new Error(`writeToFile: failed to stat ${quoteGo(target)}: ${goErrorText(e, "lstat", target)}`);
  }
  if (targetInfo?.isSymbolicLink())
    throw new Error(`writeToFile: refusing to write to symlink ${quoteGo(req.path)}`);

  const mode = req.perms & 0o777;
  const flags = req.append
    ? constants.O_APPEND | constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW
    : constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  let fd: number;
  try {
    fd = openSync(target, flags, mode);
  } catch (e) {
    throw new Error(goErrorText(e, "open", target));
  }
  try {
    const bytes = req.newline ? concat(req.content, NEWLINE) : req.content;
    try {
      writeSync(fd, bytes);
    } catch (e) {
      throw new Error(goErrorText(e, "write", target));
    }
    // Owner: "" means the agent's own id; a name is looked up, a number used as is.
    const uid = req.user === "" ? process.getuid?.() : lookupOwnerId(req.user, "passwd");
    const gid = req.group === "" ? process.getgid?.() : lookupOwnerId(req.group, "group");
    if ((req.user !== "" || req.group !== "") && uid !== undefined && gid !== undefined) {
      try {
        fchownSync(fd, uid, gid);
      } catch (e) {
        throw new Error(goErrorText(e, "chown", target));
      }
    }
    try {
      fchmodSync(fd, mode);
    } catch (e) {
      throw new Error(goErrorText(e, "chmod", target));
    }
  } finally {
    closeSync(fd);
  }
}

const NEWLINE = new Uint8Array([10]);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
