import type { Logger } from "../log/logger.ts";

/** Logger names as Vault's: the handler is "agent.auth.handler" whichever logger it is given. */
export function componentLogger(logger: Logger, component: string): Logger {
  if (logger.name === "") return logger.named(`agent.${component}`);
  if (logger.name === "agent") return logger.named(component);
  return logger.name.endsWith(component) ? logger : logger.named(component);
}
