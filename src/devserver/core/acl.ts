/**
 * ACL policies as Vault writes them (`path "secret/*" { capabilities = ["read"] }`) and enforces
 * them: an exact path rule beats a glob; among globs the longest prefix wins; `+` matches one
 * path segment; `deny` wins inside the chosen rule. Parsed with our HCL1 parser.
 */
import { parseHcl } from "../../config/hcl/parser.ts";
import { BackendError } from "../types.ts";

export type Capability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny";

interface Rule {
  path: string;
  glob: boolean;
  segments: string[] | null; // when the path has "+" segments
  caps: Set<Capability>;
}

export interface Policy {
  name: string;
  text: string;
  rules: Rule[];
}

const CAPS: Capability[] = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"];

export function parsePolicy(name: string, text: string): Policy {
  let root: ReturnType<typeof parseHcl>;
  try {
    root = parseHcl(text);
  } catch (e) {
    throw new BackendError(400, `failed to parse policy: ${(e as Error).message}`);
  }
  const rules: Rule[] = [];
  for (const it of root.items) {
    if (it.keys[0]!.value !== "path") continue;
    const p = it.keys[1]?.value;
    if (p === undefined || it.value.type !== "object") throw new BackendError(400, "failed to parse policy: invalid path block");
    const caps = new Set<Capability>();
    for (const f of it.value.items) {
      if (f.keys[0]!.value === "capabilities" && f.value.type === "list") {
        for (const c of f.value.items) {
          const v = c.type === "literal" ? String(c.value) : "";
          if (!CAPS.includes(v as Capability)) throw new BackendError(400, `failed to parse policy: invalid capability "${v}"`);
          caps.add(v as Capability);
        }
      } else if (f.keys[0]!.value === "policy" && f.value.type === "literal") {
        // legacy form: policy = "read" | "write" | "deny" | "sudo"
        const legacy: Record<string, Capability[]> = {
          read: ["read", "list"],
          write: ["create", "read", "update", "delete", "list"],
          deny: ["deny"],
          sudo: ["create", "read", "update", "delete", "list", "sudo"],
        };
        for (const c of legacy[String(f.value.value)] ?? []) caps.add(c);
      }
    }
    const glob = p.endsWith("*");
    const base = glob ? p.slice(0, -1) : p;
    rules.push({ path: base, glob, segments: base.includes("+") ? base.split("/") : null, caps });
  }
  return { name, text, rules };
}

function matches(rule: Rule, path: string): boolean {
  if (rule.segments) {
    const parts = path.split("/");
    if (parts.length < rule.segments.length) return false;
    for (let i = 0; i < rule.segments.length; i++) {
      const seg = rule.segments[i]!;
      const last = i === rule.segments.length - 1;
      if (seg === "+") {
        if (last && !rule.glob && parts.length !== rule.segments.length) return false;
        continue;
      }
      if (last && rule.glob) {
        if (!parts[i]!.startsWith(seg)) return false;
        return true;
      }
      if (parts[i] !== seg) return false;
    }
    return rule.glob || parts.length === rule.segments.length;
  }
  return rule.glob ? path.startsWith(rule.path) : path === rule.path;
}

/** The capabilities a set of policies grants on a path. */
export function capabilities(policies: Policy[], path: string): Set<Capability> {
  let best: { rule: Rule; score: number }[] = [];
  for (const pol of policies) {
    for (const r of pol.rules) {
      if (!matches(r, path)) continue;
      // exact > glob; longer prefix > shorter; fewer "+" > more
      const score = (r.glob ? 0 : 1e6) + r.path.length * 10 - (r.segments?.filter((s) => s === "+").length ?? 0);
      if (best.length === 0 || score > best[0]!.score) best = [{ rule: r, score }];
      else if (score === best[0]!.score) best.push({ rule: r, score });
    }
  }
  const caps = new Set<Capability>();
  for (const b of best) for (const c of b.rule.caps) caps.add(c);
  if (caps.has("deny")) return new Set(["deny"]);
  return caps;
}

export const DEFAULT_POLICY = `
path "auth/token/lookup-self" { capabilities = ["read"] }
path "auth/token/renew-self" { capabilities = ["update"] }
path "auth/token/revoke-self" { capabilities = ["update"] }
path "sys/capabilities-self" { capabilities = ["update"] }
path "sys/internal/ui/resultant-acl" { capabilities = ["read"] }
path "sys/renew" { capabilities = ["update"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "sys/leases/lookup" { capabilities = ["update"] }
path "sys/tools/hash" { capabilities = ["update"] }
path "sys/tools/hash/*" { capabilities = ["update"] }
path "cubbyhole/*" { capabilities = ["create", "read", "update", "delete", "list"] }
path "sys/wrapping/wrap" { capabilities = ["update"] }
path "sys/wrapping/lookup" { capabilities = ["update"] }
path "sys/wrapping/unwrap" { capabilities = ["update"] }
`;
