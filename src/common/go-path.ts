/** Go's path/filepath helpers that error texts and path checks depend on. */
import { normalize, sep } from "node:path";

/** filepath.Clean: "." for empty, no trailing separator, `..` and `.` resolved lexically. */
export function goClean(p: string): string {
  if (p === "") return ".";
  const c = normalize(p);
  return c.length > 1 && c.endsWith(sep) ? c.slice(0, -1) : c;
}
