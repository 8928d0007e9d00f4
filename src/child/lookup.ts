/** Finding the child's executable as Go's exec.LookPath does, with Go's error texts. */
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
  if (name.includes("/")) {
    try {
      statSync(name);
    } catch {
      throw new Error(`fork/exec ${name}: no such file or directory`);
    }
    if (!executable(name)) throw new Error(`fork/exec ${name}: permission denied`);
    return name;
  }
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    const p = join(dir || ".", name);
    if (executable(p)) return p;
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`);
}
