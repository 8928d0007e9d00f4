/**
 * The Kubernetes auth method. A real Vault asks the cluster's TokenReview API whether a
 * service-account JWT is valid; the dev server has no cluster, so it validates the JWT locally
 * against `pem_keys` (the keys the cluster signs service-account tokens with), which Vault also
 * supports. Roles bind service-account names and namespaces (with `*` globs) and an optional
 * audience; login answers with Vault's texts and 403s.
 */
import type { KeyObject } from "node:crypto";
import { bool, list, str } from "../engines/shared/fields.ts";
import {
  badRequest,
  dispatch,
  noContent,
  notFound,
  collectionRoutes,
  type Route,
} from "../engines/shared/router.ts";
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../types.ts";
import { BackendError } from "../types.ts";
import { globMatch, JwtError, parseJwt, parsePublicKeyPem, validateClaims } from "./shared/jwt-verify.ts";
import { StaticKeySet } from "./shared/keysets.ts";
import {
  defaultTokenParams,
  issueLoginToken,
  parseTokenParams,
  renderTokenParams,
  type TokenParams,
} from "./shared/token-fields.ts";

interface K8sConfig {
  kubernetesHost: string;
  kubernetesCaCert: string;
  pemKeys: string[];
  keys: KeyObject[];
  issuer: string;
  disableIssValidation: boolean;
  disableLocalCaJwt: boolean;
  hasReviewerJwt: boolean;
}

interface K8sRole {
  names: string[];
  namespaces: string[];
  audience: string;
  aliasNameSource: string;
  token: TokenParams;
}

const LEGACY_ISSUER = "kubernetes/serviceaccount";

interface ServiceAccount {
  name: string;
  namespace: string;
  uid: string;
  secretName: string;
}

/** Reads the service-account identity from a legacy secret token or a projected token. */
function serviceAccountOf(claims: Record<string, unknown>): ServiceAccount | null {
  const s = (v: unknown) => (typeof v === "string" ? v : "");
  const legacyNs = s(claims["kubernetes.io/serviceaccount/namespace"]);
  if (legacyNs) {
    return {
      namespace: legacyNs,
      name: s(claims["kubernetes.io/serviceaccount/service-account.name"]),
      uid: s(claims["kubernetes.io/serviceaccount/service-account.uid"]),
      secretName: s(claims["kubernetes.io/serviceaccount/secret.name"]),
    };
  }
  const k = claims["kubernetes.io"] as Record<string, unknown> | undefined;
  if (k && typeof k === "object") {
    const sa = (k.serviceaccount ?? {}) as Record<string, unknown>;
    return { namespace: s(k.namespace), name: s(sa.name), uid: s(sa.uid), secretName: "" };
  }
  return null;
}

export class KubernetesBackend implements Backend {
  readonly type = "kubernetes";
  readonly unauthenticatedPaths = ["login"];
  private config: K8sConfig | null = null;
  private roles = new Map<string, K8sRole>();
  private routes: Route[];

  constructor(private core: CoreServices) {
    this.routes = [
      { pattern: /^config$/, read: () => this.readConfig(), write: (r) => this.writeConfig(r) },
      ...collectionRoutes("role", this.roles, renderRole, (r, [n]) => this.writeRole(r, n!)),
      { pattern: /^login$/, write: (r) => this.login(r) },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  private readConfig(): BackendResponse {
    const c = this.config;
    if (!c) return notFound();
    return {
      data: {
        kubernetes_host: c.kubernetesHost,
        kubernetes_ca_cert: c.kubernetesCaCert,
        pem_keys: c.pemKeys,
        issuer: c.issuer,
        disable_iss_validation: c.disableIssValidation,
        disable_local_ca_jwt: c.disableLocalCaJwt,
        token_reviewer_jwt_set: c.hasReviewerJwt,
      },
    };
  }

  private writeConfig(req: BackendRequest): BackendResponse {
    const b = req.body;
    const host = str(b, "kubernetes_host");
    if (host === "") throw badRequest("no host provided");
    const pemKeys = list(b, "pem_keys");
    const keys: KeyObject[] = [];
    for (const pem of pemKeys) {
      try {
        keys.push(parsePublicKeyPem(pem));
      } catch {
        throw badRequest("data does not contain any valid RSA or ECDSA public keys");
      }
    }
    this.config = {
      kubernetesHost: host,
      kubernetesCaCert: str(b, "kubernetes_ca_cert"),
      pemKeys,
      keys,
      issuer: str(b, "issuer"),
      disableIssValidation: bool(b, "disable_iss_validation", true),
      disableLocalCaJwt: bool(b, "disable_local_ca_jwt", false),
      hasReviewerJwt: str(b, "token_reviewer_jwt") !== "",
    };
    return noContent();
  }

  private writeRole(req: BackendRequest, rawName: string): BackendResponse {
    const name = rawName.toLowerCase();
    const prev = this.roles.get(name);
    const b = req.body;
    const role: K8sRole = {
      names:
        b.bound_service_account_names !== undefined
          ? list(b, "bound_service_account_names")
          : (prev?.names ?? []),
      namespaces:
        b.bound_service_account_namespaces !== undefined
          ? list(b, "bound_service_account_namespaces")
          : (prev?.namespaces ?? []),
      audience: b.audience !== undefined ? str(b, "audience") : (prev?.audience ?? ""),
      aliasNameSource:
        b.alias_name_source !== undefined
          ? str(b, "alias_name_source")
          : (prev?.aliasNameSource ?? "serviceaccount_uid"),
      token: parseTokenParams(b, prev?.token ?? defaultTokenParams()),
    };
    if (role.names.length === 0) throw badRequest('"bound_service_account_names" can not be empty');
    if (role.namespaces.length === 0) throw badRequest('"bound_service_account_namespaces" can not be empty');
    if (role.names.length > 1 && role.names.includes("*")) {
      throw badRequest('can not mix "*" with values');
    }
    if (!["serviceaccount_uid", "serviceaccount_name"].includes(role.aliasNameSource)) {
      throw badRequest(`invalid alias_name_source: ${role.aliasNameSource}`);
    }
    this.roles.set(name, role);
    return noContent();
  }

  private async login(req: BackendRequest): Promise<BackendResponse> {
    const roleName = str(req.body, "role").toLowerCase();
    if (roleName === "") throw badRequest("missing role");
    const token = str(req.body, "jwt");
    if (token === "") throw badRequest("missing jwt");
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`invalid role name "${roleName}"`);
    const config = this.config;
    if (!config) throw badRequest("could not load backend configuration");
    if (config.keys.length === 0) {
      // Vault would call the cluster's TokenReview API here; the dev server has no cluster.
      throw new BackendError(403, "permission denied");
    }
    let claims: Record<string, unknown>;
    try {
      const jwt = parseJwt(token);
      await new StaticKeySet(config.keys).verify(jwt);
      validateClaims(jwt, {
        issuer: config.disableIssValidation ? "" : config.issuer || LEGACY_ISSUER,
        audiences: role.audience ? [role.audience] : [],
        nowMs: this.core.clock.now(),
        allowMissingTimes: true,
      });
      claims = jwt.claims;
    } catch (e) {
      if (e instanceof JwtError) throw new BackendError(403, "permission denied");
      throw e;
    }
    const sa = serviceAccountOf(claims);
    if (!sa?.name || !sa.namespace) throw new BackendError(403, "permission denied");
    if (!role.names.some((n) => globMatch(n, sa.name))) {
      throw new BackendError(403, "service account name not authorized");
    }
    if (!role.namespaces.some((n) => globMatch(n, sa.namespace))) {
      throw new BackendError(403, "namespace not authorized");
    }
    const alias = role.aliasNameSource === "serviceaccount_name" ? `${sa.namespace}/${sa.name}` : sa.uid;
    const auth = issueLoginToken(
      this.core,
      role.token,
      {
        meta: {
          role: roleName,
          service_account_name: sa.name,
          service_account_namespace: sa.namespace,
          service_account_secret_name: sa.secretName,
          service_account_uid: sa.uid,
        },
        displayName: `${sa.namespace}-${sa.name}`,
        aliasName: alias,
      },
      req,
    );
    return { auth };
  }
}

function renderRole(r: K8sRole): Record<string, unknown> {
  return {
    bound_service_account_names: r.names,
    bound_service_account_namespaces: r.namespaces,
    audience: r.audience,
    alias_name_source: r.aliasNameSource,
    ...renderTokenParams(r.token),
  };
}

export const kubernetesFactory: BackendFactory = (core) => new KubernetesBackend(core);
