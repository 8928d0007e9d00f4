/**
 * Node phrases system errors as "ENOENT: no such file or directory, open '/x'"; Vault (Go) says
 * "open /x: no such file or directory". Users compare our messages with Vault's, so errors that
 * reach them are rephrased the Go way.
 */
const STRERROR: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EEXIST: "file exists",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EXDEV: "invalid cross-device link",
  ENOTEMPTY: "directory not empty",
  E2BIG: "argument list too long",
  ENOEXEC: "exec format error",
  EMFILE: "too many open files",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
};

/** `op path: reason` for a Node system error; other errors keep their message. */
export function goErrorText(e: unknown, op: string, path: string): string {
  const err = e as NodeJS.ErrnoException;
  const reason = err?.code ? STRERROR[err.code] : undefined;
  if (reason) return `${op} ${path}: ${reason}`;
  return err instanceof Error ? err.message : String(e);
}
