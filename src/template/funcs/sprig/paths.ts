/**
 * Go's path package (and path/filepath, which is the same on Unix): Base, Dir, Clean, Ext, IsAbs.
 * They work on bytes, but only '/' and '.' matter, so JS strings do as well.
 */
import { type Fn, fn } from "./fn.ts";

/** path.Clean */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path[0] === "/";
  const n = path.length;
  let out = rooted ? "/" : "";
  let r = rooted ? 1 : 0;
  let dotdot = rooted ? 1 : 0;
  while (r < n) {
    if (path[r] === "/") r++;
    else if (path[r] === "." && (r + 1 === n || path[r + 1] === "/")) r++;
    else if (path[r] === "." && path[r + 1] === "." && (r + 2 === n || path[r + 2] === "/")) {
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out[w] !== "/") w--;
        out = out.slice(0, w);
      } else if (!rooted) {
        if (out.length > 0) out += "/";
        out += "..";
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out += "/";
      for (; r < n && path[r] !== "/"; r++) out += path[r];
    }
  }
  return out === "" ? "." : out;
}

/** path.Base */
export function basePath(path: string): string {
  if (path === "") return ".";
  while (path.length > 0 && path.endsWith("/")) path = path.slice(0, -1);
  const i = path.lastIndexOf("/");
  if (i >= 0) path = path.slice(i + 1);
  return path === "" ? "/" : path;
}

/** path.Dir */
export function dirPath(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf("/") + 1));
}

/** path.Ext */
export function extPath(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== "/"; i--) if (path[i] === ".") return path.slice(i);
  return "";
}

const isAbs = (path: string) => path.startsWith("/");

export function pathFuncs(): Record<string, Fn> {
  const S = "func(string) string";
  const B = "func(string) bool";
  return {
    base: fn(S, basePath),
    dir: fn(S, dirPath),
    clean: fn(S, cleanPath),
    ext: fn(S, extPath),
    isAbs: fn(B, isAbs),
    osBase: fn(S, basePath),
    osDir: fn(S, dirPath),
    osClean: fn(S, cleanPath),
    osExt: fn(S, extPath),
    osIsAbs: fn(B, isAbs),
  };
}
