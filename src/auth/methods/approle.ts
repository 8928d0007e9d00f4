/**
 * approle: role_id and (optionally) secret_id read from files at every authentication, with the
 * last good values cached. The secret_id file is deleted after reading unless
 * remove_secret_id_file_after_reading = false. With secret_id_response_wrapping_path the file
 * holds a response-wrapping token: its creation path is checked against the configured one before
 * it is unwrapped (a token wrapped elsewhere could hand us a secret_id an attacker controls).
 */
import type { Logger } from "../../log/logger.ts";
import { redactor } from "../../log/redact.ts";
import type { AuthMethod, LoginRequest, VaultApi } from "../types.ts";
import { CachedFile } from "./cached-file.ts";
import { configBool, configString, type MethodConfig } from "./config.ts";

export class AppRoleMethod implements AuthMethod {
  readonly type = "approle";
  private readonly roleId: CachedFile;
  private readonly secretId?: CachedFile;
  private readonly wrappingPath: string;
  /** The secret_id obtained by unwrapping; a wrapping token can be unwrapped only once. */
  private unwrappedSecretId = "";
  private lastWrapToken = "";

  constructor(
    private readonly mountPath: string,
    config: MethodConfig,
    private readonly api: VaultApi,
    private readonly namespace: string | undefined,
    private readonly logger?: Logger,
  ) {
    const rolePath = configString(config, "role_id_file_path", true);
    this.roleId = new CachedFile(rolePath, { what: "role ID", remove: false, missingOk: true, logger });
    const secretPath = configString(config, "secret_id_file_path", false);
    if (secretPath) {
      this.secretId = new CachedFile(secretPath, {
        what: "secret ID",
        remove: configBool(config, "remove_secret_id_file_after_reading", true),
        missingOk: true,
        logger,
      });
    }
    this.wrappingPath = trimSlashes(configString(config, "secret_id_response_wrapping_path", false));
  }

  async authenticate(): Promise<LoginRequest> {
    const body: Record<string, string> = { role_id: this.roleId.read().value };
    if (this.secretId) body.secret_id = await this.readSecretId(this.secretId);
    return { path: `${this.mountPath}/login`, body };
  }

  private async readSecretId(file: CachedFile): Promise<string> {
    if (!this.wrappingPath) return file.read().value;
    // The file holds a wrapping token, which unwraps only once: while it still holds the token we
    // already unwrapped (remove_secret_id_file_after_reading = false, or a later re-login reading
    // the cache), the secret_id we got from it is what to send.
    const { value: wrapToken } = file.read();
    if (wrapToken === this.lastWrapToken && this.unwrappedSecretId) return this.unwrappedSecretId;
    this.unwrappedSecretId = await this.unwrap(wrapToken);
    this.lastWrapToken = wrapToken;
    return this.unwrappedSecretId;
  }

  private async unwrap(wrapToken: string): Promise<string> {
    const ns = this.namespace;
    const lookup = await this.api.request({
      method: "GET",
      path: "sys/wrapping/lookup",
      token: wrapToken,
      namespace: ns,
      retries: 0,
    });
    const creationPath = trimSlashes(str(lookup?.data?.creation_path));
    if (creationPath !== this.wrappingPath) {
      this.logger?.error(
        "SECURITY: unable to validate wrapping token creation path",
        "expected",
        this.wrappingPath,
        "found",
        creationPath,
      );
      throw new Error("unable to validate wrapping token creation path");
    }
    const unwrapped = await this.api.request({
      method: "PUT",
      path: "sys/wrapping/unwrap",
      token: wrapToken,
      namespace: ns,
      body: null,
      retries: 0,
    });
    const secretId = str(unwrapped?.data?.secret_id);
    if (!secretId) throw new Error("the unwrapped response holds no secret_id");
    redactor.register(secretId);
    return secretId;
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+|\/+$/g, "");
}
