/**
 * approle: role_id (and secret_id) from files; the secret_id file is removed after reading by
 * default; with secret_id_response_wrapping_path the file holds a wrapping token whose creation
 * path is checked before it is unwrapped.
 */
import type { VaultApi } from "../../dependency/types.ts";
import { redactor } from "../../log/redact.ts";
import { CachedFile } from "./files.ts";
import { type AuthMethod, configBool, configString, type LoginRequest } from "./types.ts";

export class AppRoleMethod implements AuthMethod {
  readonly type = "approle";
  private roleId: CachedFile;
  private secretId?: CachedFile;
  private wrapPath: string;
  private unwrappedSecret = "";
  private lastWrapToken = "";

  constructor(
    private readonly mountPath: string,
    config: Record<string, unknown>,
    private readonly api: VaultApi,
  ) {
    this.roleId = new CachedFile(configString(config, "role_id_file_path", true), { trim: true, remove: false, what: "role ID" });
    const sp = configString(config, "secret_id_file_path", false);
    if (sp) {
      this.secretId = new CachedFile(sp, {
        trim: true,
        remove: configBool(config, "remove_secret_id_file_after_reading", true),
        what: "secret ID",
      });
    }
    this.wrapPath = configString(config, "secret_id_response_wrapping_path", false).replace(/^\/+|\/+$/g, "");
  }

  async authenticate(): Promise<LoginRequest> {
    const body: Record<string, unknown> = { role_id: this.roleId.read() };
    if (this.secretId) {
      const value = this.secretId.read();
      body.secret_id = this.wrapPath ? await this.unwrap(value) : value;
    }
    return { path: `${this.mountPath}/login`, body };
  }

  private async unwrap(wrapToken: string): Promise<string> {
    if (wrapToken === this.lastWrapToken && this.unwrappedSecret) return this.unwrappedSecret;
    const look = await this.api.request({ method: "PUT", path: "sys/wrapping/lookup", token: wrapToken, body: {}, retries: 0 });
    const creationPath = String((look?.data as { creation_path?: unknown } | null)?.creation_path ?? "");
    if (creationPath.replace(/^\/+|\/+$/g, "") !== this.wrapPath) {
      throw new Error("unable to validate wrapping token creation path");
    }
    const un = await this.api.request({ method: "PUT", path: "sys/wrapping/unwrap", token: wrapToken, body: {}, retries: 0 });
    const secretId = String((un?.data as { secret_id?: unknown } | null)?.secret_id ?? "");
    if (!secretId) throw new Error("no secret ID in the unwrapped response");
    redactor.register(secretId);
    this.lastWrapToken = wrapToken;
    this.unwrappedSecret = secretId;
    return secretId;
  }
}
