/**
 * Finding the child's executable as Go's os/exec does, with Go's error texts: a name without
 * `/` is searched on PATH (Vault's docs say paths must be absolute or relative, but the code
 * searches PATH — spec §9.1 row 37); a name with `/` is used as is and fails at exec time.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveExecutable(name: string, pathEnv: string | undefined): string {
  if (name === "") throw new Error("exec: no command");
  if (name.includes("/")) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(name);
    } catch {
      throw new Error(`fork/exec ${name}: no such file or directory`);
    }
    if (st.isDirectory()) throw new Error(`fork/exec ${name}: permission denied`);
    if (!executable(name)) throw new Error(`fork/exec ${name}: permission denied`);
    return name;
  }
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    const p = join(dir || ".", name);
    if (executable(p)) return p;
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`);
}
