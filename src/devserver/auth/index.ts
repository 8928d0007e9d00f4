/** Auth methods other than token, by type (owned by the auth-methods module). */
import type { BackendFactory } from "../types.ts";
import { approleFactory } from "./approle.ts";
import { certFactory } from "./cert.ts";
import { jwtFactory, oidcFactory } from "./jwt.ts";
import { kubernetesFactory } from "./kubernetes.ts";
import { ldapFactory } from "./ldap.ts";
import { userpassFactory } from "./userpass.ts";

export const authFactories: Record<string, BackendFactory> = {
  approle: approleFactory,
  userpass: userpassFactory,
  ldap: ldapFactory,
  jwt: jwtFactory,
  oidc: oidcFactory,
  kubernetes: kubernetesFactory,
  cert: certFactory,
};
