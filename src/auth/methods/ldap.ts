/** ldap (Vault ≥ 1.16 agent): username + password_file_path (or an inline password). */
import type { Logger } from "../../log/logger.ts";
import type { MethodConfig } from "./config.ts";
import { PasswordMethod } from "./password.ts";

export class LdapMethod extends PasswordMethod {
  constructor(mountPath: string, config: MethodConfig, logger?: Logger) {
    super("ldap", mountPath, config, logger);
  }
}
