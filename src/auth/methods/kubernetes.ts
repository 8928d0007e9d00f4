/**
 * kubernetes: log in with a role and the pod's service-account token, read (and trimmed) from
 * token_path at every login — kubelet rotates projected tokens, so caching would go stale.
 */
import { readFileSync } from "node:fs";
import { redactor } from "../../log/redact.ts";
import type { AuthMethod, LoginRequest } from "../types.ts";
import { configString, type MethodConfig } from "./config.ts";

export const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export class KubernetesMethod implements AuthMethod {
  readonly type = "kubernetes";
  private readonly role: string;
  private readonly tokenPath: string;

  constructor(
    private readonly mountPath: string,
    config: MethodConfig,
  ) {
    this.role = configString(config, "role", true);
    this.tokenPath = configString(config, "token_path", false) || DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH;
  }

  async authenticate(): Promise<LoginRequest> {
    let jwt: string;
    try {
      jwt = readFileSync(this.tokenPath, "utf8").trim();
    } catch (e) {
      throw new Error(`error reading JWT with Kubernetes Auth: ${(e as Error).message}`);
    }
    if (jwt === "") throw new Error(`error reading JWT with Kubernetes Auth: ${this.tokenPath} is empty`);
    redactor.register(jwt);
    return { path: `${this.mountPath}/login`, body: { role: this.role, jwt } };
  }
}
