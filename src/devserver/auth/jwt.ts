/**
 * The JWT/OIDC auth method (mountable as "jwt" or "oidc"): config with exactly one key source
 * (jwt_validation_pubkeys, jwks_url, oidc_discovery_url), roles with bound audiences / subject /
 * claims (string or glob), claim mappings and token parameters, and `login` with {role, jwt}.
 * Only the JWT flow is served; interactive OIDC (auth_url/callback) needs a browser and an IdP.
 */
import type { KeyObject } from "node:crypto";
import { bool, list, object, seconds, signedSeconds, str, stringMap } from "../engines/shared/fields.ts";
import {
  badRequest,
  dispatch,
  noContent,
  notFound,
  collectionRoutes,
  type Route,
} from "../engines/shared/router.ts";
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../types.ts";
import {
  audienceList,
  getClaim,
  JwtError,
  parseJwt,
  parsePublicKeyPem,
  SUPPORTED_ALGS,
  validateBoundClaims,
  validateClaims,
} from "./shared/jwt-verify.ts";
import { discoveryResolver, type KeySet, RemoteKeySet, StaticKeySet } from "./shared/keysets.ts";
import {
  defaultTokenParams,
  issueLoginToken,
  parseTokenParams,
  renderTokenParams,
  type TokenParams,
} from "./shared/token-fields.ts";

interface JwtConfig {
  oidcDiscoveryUrl: string;
  oidcDiscoveryCaPem: string;
  oidcClientId: string;
  jwksUrl: string;
  jwksCaPem: string;
  pubkeys: string[];
  boundIssuer: string;
  supportedAlgs: string[];
  defaultRole: string;
  keySet: KeySet;
}

interface JwtRole {
  roleType: string;
  boundAudiences: string[];
  boundSubject: string;
  boundClaims: Record<string, unknown>;
  boundClaimsType: "string" | "glob";
  claimMappings: Record<string, string>;
  userClaim: string;
  userClaimJsonPointer: boolean;
  groupsClaim: string;
  allowedRedirectUris: string[];
  oidcScopes: string[];
  expirationLeeway: number;
  notBeforeLeeway: number;
  clockSkewLeeway: number;
  verboseOidcLogging: boolean;
  maxAge: number;
  token: TokenParams;
}

export class JwtBackend implements Backend {
  readonly unauthenticatedPaths = ["login", "oidc/auth_url", "oidc/callback"];
  private config: JwtConfig | null = null;
  private roles = new Map<string, JwtRole>();
  private routes: Route[];

  constructor(
    private core: CoreServices,
    readonly type: string,
  ) {
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
        bound_issuer: c.boundIssuer,
        default_role: c.defaultRole,
        jwks_ca_pem: c.jwksCaPem,
        jwks_url: c.jwksUrl,
        jwt_supported_algs: c.supportedAlgs,
        jwt_validation_pubkeys: c.pubkeys,
        namespace_in_state: true,
        oidc_client_id: c.oidcClientId,
        oidc_discovery_ca_pem: c.oidcDiscoveryCaPem,
        oidc_discovery_url: c.oidcDiscoveryUrl,
        oidc_response_mode: "",
        oidc_response_types: [],
        provider_config: {},
      },
    };
  }

  private writeConfig(req: BackendRequest): BackendResponse {
    const b = req.body;
    const c = {
      oidcDiscoveryUrl: str(b, "oidc_discovery_url"),
      oidcDiscoveryCaPem: str(b, "oidc_discovery_ca_pem"),
      oidcClientId: str(b, "oidc_client_id"),
      jwksUrl: str(b, "jwks_url"),
      jwksCaPem: str(b, "jwks_ca_pem"),
      pubkeys: list(b, "jwt_validation_pubkeys"),
      boundIssuer: str(b, "bound_issuer"),
      supportedAlgs: list(b, "jwt_supported_algs"),
      defaultRole: str(b, "default_role").toLowerCase(),
    };
    const sources = [c.oidcDiscoveryUrl, c.jwksUrl, c.pubkeys.length > 0 ? "x" : ""].filter((s) => s !== "");
    if (sources.length !== 1) {
      throw badRequest(
        "exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set",
      );
    }
    for (const alg of c.supportedAlgs) {
      if (!SUPPORTED_ALGS.includes(alg))
        throw badRequest(`invalid jwt_supported_algs: unsupported signing algorithm "${alg}"`);
    }
    let keySet: KeySet;
    if (c.pubkeys.length > 0) {
      const keys: KeyObject[] = [];
      for (const pem of c.pubkeys) {
        try {
          keys.push(parsePublicKeyPem(pem));
        } catch {
          throw badRequest(
            "error parsing public key: data does not contain any valid RSA, ECDSA, or ED25519 public keys",
          );
        }
      }
      keySet = new StaticKeySet(keys);
    } else if (c.jwksUrl) {
      if (!/^https?:\/\//.test(c.jwksUrl))
        throw badRequest(`error checking jwks URL: unsupported protocol in "${c.jwksUrl}"`);
      const url = c.jwksUrl;
      keySet = new RemoteKeySet(async () => url, c.jwksCaPem, this.core.clock);
    } else {
      if (!/^https?:\/\//.test(c.oidcDiscoveryUrl)) throw badRequest("error checking oidc discovery URL");
      keySet = new RemoteKeySet(
        discoveryResolver(c.oidcDiscoveryUrl, c.oidcDiscoveryCaPem, this.core.clock),
        c.oidcDiscoveryCaPem,
        this.core.clock,
      );
    }
    this.config = { ...c, keySet };
    return noContent();
  }

  private writeRole(req: BackendRequest, rawName: string): BackendResponse {
    const name = rawName.toLowerCase();
    const prev = this.roles.get(name);
    const b = req.body;
    const pick = <T>(field: string, parse: () => T, dflt: T): T => (b[field] !== undefined ? parse() : dflt);
    const boundClaimsType = pick(
      "bound_claims_type",
      () => str(b, "bound_claims_type"),
      prev?.boundClaimsType ?? "string",
    );
    if (boundClaimsType !== "string" && boundClaimsType !== "glob") {
      throw badRequest(`invalid 'bound_claims_type': "${boundClaimsType}"`);
    }
    const role: JwtRole = {
      roleType: pick("role_type", () => str(b, "role_type").toLowerCase(), prev?.roleType ?? "oidc"),
      boundAudiences: pick("bound_audiences", () => list(b, "bound_audiences"), prev?.boundAudiences ?? []),
      boundSubject: pick("bound_subject", () => str(b, "bound_subject"), prev?.boundSubject ?? ""),
      boundClaims: pick("bound_claims", () => object(b, "bound_claims") ?? {}, prev?.boundClaims ?? {}),
      boundClaimsType,
      claimMappings: pick(
        "claim_mappings",
        () => stringMap(b, "claim_mappings") ?? {},
        prev?.claimMappings ?? {},
      ),
      userClaim: pick("user_claim", () => str(b, "user_claim"), prev?.userClaim ?? ""),
      userClaimJsonPointer: bool(b, "user_claim_json_pointer", prev?.userClaimJsonPointer ?? false),
      groupsClaim: pick("groups_claim", () => str(b, "groups_claim"), prev?.groupsClaim ?? ""),
      allowedRedirectUris: pick(
        "allowed_redirect_uris",
        () => list(b, "allowed_redirect_uris"),
        prev?.allowedRedirectUris ?? [],
      ),
      oidcScopes: pick("oidc_scopes", () => list(b, "oidc_scopes"), prev?.oidcScopes ?? []),
      expirationLeeway: signedSeconds(b, "expiration_leeway", prev?.expirationLeeway ?? 150),
      notBeforeLeeway: signedSeconds(b, "not_before_leeway", prev?.notBeforeLeeway ?? 150),
      clockSkewLeeway: signedSeconds(b, "clock_skew_leeway", prev?.clockSkewLeeway ?? 60),
      verboseOidcLogging: bool(b, "verbose_oidc_logging", prev?.verboseOidcLogging ?? false),
      maxAge: seconds(b, "max_age", prev?.maxAge ?? 0),
      token: parseTokenParams(b, prev?.token ?? defaultTokenParams()),
    };
    if (role.roleType !== "jwt" && role.roleType !== "oidc")
      throw badRequest(`invalid 'role_type': ${role.roleType}`);
    if (role.userClaim === "") throw badRequest("a user claim must be defined on the role");
    if (role.roleType === "oidc" && role.allowedRedirectUris.length === 0) {
      throw badRequest("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.");
    }
    if (
      role.roleType === "jwt" &&
      role.boundAudiences.length === 0 &&
      role.boundSubject === "" &&
      Object.keys(role.boundClaims).length === 0 &&
      role.token.boundCidrs.length === 0
    ) {
      throw badRequest("must have at least one bound constraint when creating/updating a role");
    }
    for (const [k, v] of Object.entries(role.boundClaims)) {
      const vals = Array.isArray(v) ? v : [v];
      if (boundClaimsType === "glob" && vals.some((x) => typeof x !== "string")) {
        throw badRequest(`claim is not a string or list: ${k}`);
      }
    }
    this.roles.set(name, role);
    return noContent();
  }

  private async login(req: BackendRequest): Promise<BackendResponse> {
    const config = this.config;
    if (!config) throw badRequest("could not load configuration");
    const roleName = str(req.body, "role").toLowerCase() || config.defaultRole;
    if (roleName === "") throw badRequest("missing role");
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`role "${roleName}" could not be found`);
    if (role.roleType === "oidc") throw badRequest("role with oidc role_type is not allowed");
    const token = str(req.body, "jwt");
    if (token === "") throw badRequest("missing token");

    let claims: Record<string, unknown>;
    try {
      const jwt = parseJwt(token);
      try {
        await config.keySet.verify(jwt);
      } catch (e) {
        throw new JwtError(`error verifying token signature: ${(e as Error).message}`);
      }
      validateClaims(jwt, {
        issuer: config.boundIssuer,
        subject: role.boundSubject,
        audiences: role.boundAudiences,
        algorithms: config.supportedAlgs,
        expirationLeeway: role.expirationLeeway,
        notBeforeLeeway: role.notBeforeLeeway,
        clockSkewLeeway: role.clockSkewLeeway,
        nowMs: this.core.clock.now(),
      });
      claims = jwt.claims;
    } catch (e) {
      if (e instanceof JwtError) throw badRequest(`error validating token: ${e.message}`);
      throw e;
    }
    if (audienceList(claims).length > 0 && role.boundAudiences.length === 0) {
      throw badRequest("audience claim found in JWT but no audiences bound to the role");
    }
    const userRaw = role.userClaimJsonPointer ? getClaim(claims, role.userClaim) : claims[role.userClaim];
    if (userRaw === undefined || userRaw === null)
      throw badRequest(`claim "${role.userClaim}" not found in token`);
    if (typeof userRaw !== "string")
      throw badRequest(`claim "${role.userClaim}" could not be converted to string`);
    const meta: Record<string, string> = {};
    for (const [claim, key] of Object.entries(role.claimMappings)) {
      const v = getClaim(claims, claim);
      if (v === undefined || v === null) continue;
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
        throw badRequest(`error converting claim '${claim}' to string`);
      }
      meta[key] = String(v);
    }
    meta.role = roleName;
    if (role.groupsClaim) {
      const groups = getClaim(claims, role.groupsClaim);
      if (groups === undefined || groups === null)
        throw badRequest(`"${role.groupsClaim}" claim not found in token`);
    }
    try {
      validateBoundClaims(role.boundClaims, role.boundClaimsType, claims);
    } catch (e) {
      if (e instanceof JwtError) throw badRequest(`error validating claims: ${e.message}`);
      throw e;
    }
    const auth = issueLoginToken(
      this.core,
      role.token,
      { meta, displayName: userRaw, aliasName: userRaw },
      req,
    );
    return { auth };
  }
}

function renderRole(r: JwtRole): Record<string, unknown> {
  return {
    role_type: r.roleType,
    bound_audiences: r.boundAudiences,
    bound_subject: r.boundSubject,
    bound_claims: Object.keys(r.boundClaims).length > 0 ? r.boundClaims : null,
    bound_claims_type: r.boundClaimsType,
    claim_mappings: Object.keys(r.claimMappings).length > 0 ? r.claimMappings : null,
    user_claim: r.userClaim,
    user_claim_json_pointer: r.userClaimJsonPointer,
    groups_claim: r.groupsClaim,
    allowed_redirect_uris: r.allowedRedirectUris,
    oidc_scopes: r.oidcScopes,
    expiration_leeway: r.expirationLeeway,
    not_before_leeway: r.notBeforeLeeway,
    clock_skew_leeway: r.clockSkewLeeway,
    verbose_oidc_logging: r.verboseOidcLogging,
    max_age: r.maxAge,
    ...renderTokenParams(r.token),
  };
}

export const jwtFactory: BackendFactory = (core) => new JwtBackend(core, "jwt");
export const oidcFactory: BackendFactory = (core) => new JwtBackend(core, "oidc");
