export { Child, ChildStartError, type ChildStartOptions, exitCodeOf } from "./child.ts";
export { argvForLog, type CommandSpec, commandForLog, commandSpec, goQuote } from "./command.ts";
export { childEnvironment } from "./env.ts";
export { resolveExecutable } from "./lookup.ts";
export { type OrphanProtection, setprivBinary, Watchdog } from "./orphan.ts";
export { goErrorText } from "../common/os-error.ts";
export {
  FORWARDED_SIGNALS,
  type ForwardOptions,
  forwardSignals,
  type SignalSource,
  type SignalTarget,
} from "./signals.ts";
export { ChildSupervisor, type RestartBackoff, type SupervisorOptions } from "./supervisor.ts";
