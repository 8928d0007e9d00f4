import { CachedFile } from "./files.ts";
import { type AuthMethod, configString, type LoginRequest } from "./types.ts";

/** token_file: the token in a file, validated with lookup-self; the file is never deleted. */
export class TokenFileMethod implements AuthMethod {
  readonly type = "token_file";
  private file: CachedFile;
  constructor(config: Record<string, unknown>) {
    this.file = new CachedFile(configString(config, "token_file_path", true), { trim: true, remove: false, what: "token" });
  }
  async authenticate(): Promise<LoginRequest> {
    return { path: "auth/token/lookup-self", body: {}, lookupToken: this.file.read() };
  }
}
