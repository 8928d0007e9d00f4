/**
 * The username + password logins (userpass, ldap): `<mount>/login/<username>` with
 * {"password": …}. The password comes inline (`password`) or from `password_file_path`, read at
 * every login with the last good value cached and — like Vault's ldap method — the file removed
 * after reading unless remove_password_after_reading = false.
 */
import type { Logger } from "../../log/logger.ts";
import { redactor } from "../../log/redact.ts";
import type { AuthMethod, LoginRequest } from "../types.ts";
import { CachedFile } from "./cached-file.ts";
import { AuthConfigError, configBool, configString, type MethodConfig } from "./config.ts";

export class PasswordMethod implements AuthMethod {
  private readonly username: string;
  private readonly inline: string;
  private readonly file?: CachedFile;

  constructor(
    readonly type: string,
    private readonly mountPath: string,
    config: MethodConfig,
    logger?: Logger,
  ) {
    this.username = configString(config, "username", true);
    this.inline = configString(config, "password", false);
    const filePath = configString(config, "password_file_path", false);
    if (filePath) {
      this.file = new CachedFile(filePath, {
        what: "password",
        remove: configBool(config, "remove_password_after_reading", true),
        missingOk: true,
        logger,
      });
    } else if (!this.inline) {
      throw new AuthConfigError("missing 'password_file_path' value");
    }
    if (this.inline) redactor.register(this.inline);
  }

  async authenticate(): Promise<LoginRequest> {
    const password = this.file ? this.file.read().value : this.inline;
    return { path: `${this.mountPath}/login/${encodeURIComponent(this.username)}`, body: { password } };
  }
}
