/**
 * token_file: an existing token read from a file (trimmed) at every authentication and validated
 * with lookup-self — the handler sends `GET auth/token/lookup-self` with it, independent of
 * mount_path. The file is never deleted; wrapping tokens are not supported (as in Vault).
 */
import type { Logger } from "../../log/logger.ts";
import type { AuthMethod, LoginRequest } from "../types.ts";
import { CachedFile } from "./cached-file.ts";
import { configString, type MethodConfig } from "./config.ts";

export class TokenFileMethod implements AuthMethod {
  readonly type = "token_file";
  private readonly file: CachedFile;

  constructor(config: MethodConfig, logger?: Logger) {
    const path = configString(config, "token_file_path", true);
    this.file = new CachedFile(path, { what: "token", remove: false, missingOk: false, logger });
  }

  async authenticate(): Promise<LoginRequest> {
    const { value } = this.file.read();
    return { path: "auth/token/lookup-self", body: null, lookupToken: value };
  }
}
