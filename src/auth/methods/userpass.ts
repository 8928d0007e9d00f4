/** userpass (a vaultrun addition; Vault Agent has no userpass auto-auth): username + password. */
import type { Logger } from "../../log/logger.ts";
import type { MethodConfig } from "./config.ts";
import { PasswordMethod } from "./password.ts";

export class UserpassMethod extends PasswordMethod {
  constructor(mountPath: string, config: MethodConfig, logger?: Logger) {
    super("userpass", mountPath, config, logger);
  }
}
