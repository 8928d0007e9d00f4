/**
 * Vault's common token parameters (tokenutil): every auth method role/user carries token_ttl,
 * token_max_ttl, token_period, token_policies, token_num_uses, token_type, … with the legacy
 * aliases (policies, ttl, max_ttl, period, num_uses, bound_cidrs). This module decodes them,
 * renders them for reads, and turns them into the core's IssueTokenOptions at login.
 */
import { bool, has, int, list, seconds, str } from "../../engines/shared/fields.ts";
import { badRequest } from "../../engines/shared/router.ts";
import type { AuthResult, BackendRequest, CoreServices, IssueTokenOptions } from "../../types.ts";

export interface TokenParams {
  policies: string[];
  ttl: number;
  maxTTL: number;
  explicitMaxTTL: number;
  period: number;
  numUses: number;
  type: string;
  boundCidrs: string[];
  noDefaultPolicy: boolean;
}

export function defaultTokenParams(): TokenParams {
  return {
    policies: [],
    ttl: 0,
    maxTTL: 0,
    explicitMaxTTL: 0,
    period: 0,
    numUses: 0,
    type: "default",
    boundCidrs: [],
    noDefaultPolicy: false,
  };
}

const TOKEN_TYPES = ["default", "service", "batch", "default-service", "default-batch"];

/** Applies the token_* fields present in `body` on top of `base` (update semantics). */
export function parseTokenParams(body: Record<string, unknown>, base: TokenParams): TokenParams {
  const pick = (modern: string, legacy: string) =>
    has(body, modern) ? modern : has(body, legacy) ? legacy : "";
  const out = { ...base };
  let f = pick("token_policies", "policies");
  if (f) out.policies = list(body, f).map((p) => p.toLowerCase());
  f = pick("token_ttl", "ttl");
  if (f) out.ttl = seconds(body, f, 0);
  f = pick("token_max_ttl", "max_ttl");
  if (f) out.maxTTL = seconds(body, f, 0);
  f = pick("token_period", "period");
  if (f) out.period = seconds(body, f, 0);
  f = pick("token_num_uses", "num_uses");
  if (f) out.numUses = int(body, f, 0);
  f = pick("token_bound_cidrs", "bound_cidrs");
  if (f) out.boundCidrs = list(body, f);
  if (has(body, "token_explicit_max_ttl")) out.explicitMaxTTL = seconds(body, "token_explicit_max_ttl", 0);
  if (has(body, "token_no_default_policy"))
    out.noDefaultPolicy = bool(body, "token_no_default_policy", false);
  if (has(body, "token_type")) {
    const t = str(body, "token_type").toLowerCase() || "default";
    if (!TOKEN_TYPES.includes(t)) throw badRequest(`invalid 'token_type' value "${t}"`);
    out.type = t;
  }
  if (out.numUses < 0) throw badRequest("'token_num_uses' cannot be negative");
  if (out.maxTTL > 0 && out.ttl > out.maxTTL)
    throw badRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
  if ((out.type === "batch" || out.type === "default-batch") && out.period > 0) {
    throw badRequest(
      "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens",
    );
  }
  return out;
}

/** The token_* fields as Vault returns them on a role/user read. */
export function renderTokenParams(p: TokenParams): Record<string, unknown> {
  return {
    token_bound_cidrs: p.boundCidrs,
    token_explicit_max_ttl: p.explicitMaxTTL,
    token_max_ttl: p.maxTTL,
    token_no_default_policy: p.noDefaultPolicy,
    token_num_uses: p.numUses,
    token_period: p.period,
    token_policies: p.policies,
    token_ttl: p.ttl,
    token_type: p.type,
  };
}

export interface LoginIdentity {
  /** Extra policies on top of the role's (ldap groups, userpass none). */
  extraPolicies?: string[];
  meta: Record<string, string>;
  displayName: string;
  aliasName: string;
}

/**
 * Vault's token display name for a login: the mount path without "auth/" (slashes as dashes)
 * joined to the method's display name — "userpass-alice", or just "approle" when the method
 * gives none.
 */
export function loginDisplayName(mountPath: string, displayName: string): string {
  const source = mountPath.replace(/^auth\//, "").replace(/\//g, "-");
  return `${source}${displayName}`.replace(/-+$/, "");
}

/** Issues the login token through the core, honouring the role's token parameters. */
export function issueLoginToken(
  core: CoreServices,
  params: TokenParams,
  who: LoginIdentity,
  req: Pick<BackendRequest, "mountPath" | "fullPath">,
): AuthResult {
  const policies = [...new Set([...params.policies, ...(who.extraPolicies ?? [])])];
  if (!params.noDefaultPolicy && !policies.includes("default")) policies.push("default");
  policies.sort();
  const opts: IssueTokenOptions = {
    policies,
    meta: who.meta,
    displayName: loginDisplayName(req.mountPath, who.displayName),
    ttl: params.ttl,
    maxTTL: params.maxTTL,
    explicitMaxTTL: params.explicitMaxTTL,
    period: params.period,
    numUses: params.numUses,
    renewable: true,
    type: params.type === "batch" || params.type === "default-batch" ? "batch" : "service",
    entityAlias: who.aliasName,
  };
  return core.issueToken(opts, req.fullPath);
}
