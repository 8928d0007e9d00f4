export { type FileOptions, type WriteOutcome, writeFileAtomic } from "./file.ts";
export { commandSpec, runCommand } from "./command.ts";
