export {
  type CommandOptions,
  type CommandResult,
  commandSpec,
  executeCommand,
  executingLine,
  runCommand,
} from "./command.ts";
export {
  type FileOptions,
  type RenderFileOptions,
  renderedLine,
  renderFile,
  type WriteOutcome,
  writeFileAtomic,
} from "./file.ts";
export { Quiescence, type WaitWindow } from "./quiescence.ts";
