/**
 * Which names a PKI role lets a certificate carry — Vault's rules for allowed_domains with
 * allow_bare_domains / allow_subdomains / allow_glob_domains, allow_localhost, allow_any_name,
 * allow_wildcard_certificates and enforce_hostnames.
 */
import { globMatch } from "../../auth/shared/jwt-verify.ts";

export interface NamePolicy {
  allow_localhost: boolean;
  allowed_domains: string[];
  allow_bare_domains: boolean;
  allow_subdomains: boolean;
  allow_glob_domains: boolean;
  allow_wildcard_certificates: boolean;
  allow_any_name: boolean;
  enforce_hostnames: boolean;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.replace(/\.$/, "").split(".");
  return labels.every((l) => LABEL.test(l) || /^[a-z0-9_]$/i.test(l));
}

/** True when the role permits `name` (a DNS name, possibly "*."-wildcarded, or an email). */
export function nameAllowed(policy: NamePolicy, rawName: string): boolean {
  let name = rawName.toLowerCase();
  // For an email address the domain part is what the role's domain rules govern.
  const at = name.lastIndexOf("@");
  if (at >= 0) name = name.slice(at + 1);
  const isWildcard = name.startsWith("*.");
  if (isWildcard && !policy.allow_wildcard_certificates) return false;
  if (policy.allow_any_name) return true;
  const bare = isWildcard ? name.slice(2) : name;
  if (policy.enforce_hostnames && !isHostname(bare)) return false;
  if (policy.allow_localhost && !isWildcard && (name === "localhost" || name === "localdomain")) return true;
  if (policy.allow_localhost && policy.allow_subdomains && /\.(localhost|localdomain)$/.test(name))
    return true;
  for (const raw of policy.allowed_domains) {
    const domain = raw.toLowerCase();
    if (policy.allow_bare_domains && name === domain) return true;
    if (policy.allow_subdomains && name.endsWith(`.${domain}`)) return true;
    if (policy.allow_glob_domains && domain.includes("*") && globMatch(domain, name)) return true;
  }
  return false;
}
