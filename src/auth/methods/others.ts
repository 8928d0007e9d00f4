/** kubernetes, userpass, ldap and cert logins. */
import type { VaultApi } from "../../dependency/types.ts";
import { CachedFile } from "./files.ts";
import { type AuthMethod, configBool, configString, type LoginRequest } from "./types.ts";

export class KubernetesMethod implements AuthMethod {
  readonly type = "kubernetes";
  private role: string;
  private file: CachedFile;
  constructor(
    private readonly mountPath: string,
    config: Record<string, unknown>,
  ) {
    this.role = configString(config, "role", true);
    const path = configString(config, "token_path", false) || "/var/run/secrets/kubernetes.io/serviceaccount/token";
    this.file = new CachedFile(path, { trim: true, remove: false, what: "service account token" });
  }
  async authenticate(): Promise<LoginRequest> {
    let jwt: string;
    try {
      jwt = this.file.read();
    } catch (e) {
      throw new Error(`error reading JWT with Kubernetes Auth: ${(e as Error).message}`);
    }
    return { path: `${this.mountPath}/login`, body: { role: this.role, jwt } };
  }
}

/** userpass and ldap: username plus a password (inline or from a file). */
export class PasswordMethod implements AuthMethod {
  private username: string;
  private inline: string;
  private file?: CachedFile;
  constructor(
    readonly type: "userpass" | "ldap",
    private readonly mountPath: string,
    config: Record<string, unknown>,
  ) {
    this.username = configString(config, "username", true);
    this.inline = configString(config, "password", false);
    const fp = configString(config, "password_file_path", false);
    if (fp) this.file = new CachedFile(fp, { trim: true, remove: configBool(config, "remove_password_after_reading", true), what: "password" });
    if (!this.inline && !this.file) throw new Error("missing 'password_file_path' value");
  }
  async authenticate(): Promise<LoginRequest> {
    const password = this.file ? this.file.read() : this.inline;
    return { path: `${this.mountPath}/login/${encodeURIComponent(this.username)}`, body: { password } };
  }
}

export class CertMethod implements AuthMethod {
  readonly type = "cert";
  private name: string;
  constructor(
    private readonly mountPath: string,
    config: Record<string, unknown>,
    private readonly api: VaultApi,
  ) {
    this.name = configString(config, "name", false);
  }
  async authenticate(): Promise<LoginRequest> {
    return { path: `${this.mountPath}/login`, body: this.name ? { name: this.name } : {}, api: this.api };
  }
}
