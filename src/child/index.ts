export { ChildSupervisor, exitCodeOf, type SupervisorOptions } from "./supervisor.ts";
export { childEnvironment } from "./env.ts";
export { resolveExecutable } from "./lookup.ts";
