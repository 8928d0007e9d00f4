/**
 * ACL policies as Vault writes them (`path "secret/*" { capabilities = ["read"] }`, in HCL or
 * JSON) and as Vault enforces them. Rules for the same pattern in several policies are merged
 * (capabilities union; `deny` wipes the rest). Among the patterns that match a path, one wins, by
 * Vault's documented priority: the later the first wildcard (`+` or `*`), the higher; a trailing
 * `*` loses to none; fewer `+` segments win; longer wins; then lexicographically greater wins.
 * The result for (policy set, path) is cached, since every request asks.
 */
import { parseHcl } from "../../config/hcl/parser.ts";
import { BackendError } from "../types.ts";

export type Capability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny";

const CAPS = new Set<string>(["create", "read", "update", "patch", "delete", "list", "sudo", "deny"]);
/** The pre-0.9 `policy = "…"` shorthand. */
const LEGACY: Record<string, Capability[]> = {
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  deny: ["deny"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

export interface Rule {
  pattern: string;
  caps: Set<Capability>;
  /** The pattern without its trailing `*`, split on "/" (for `+` matching), or null without `+`. */
  segments: string[] | null;
  prefix: string;
  glob: boolean;
  firstWildcard: number;
  plusCount: number;
}

export interface Policy {
  name: string;
  text: string;
  rules: Rule[];
}

function compileRule(pattern: string, caps: Set<Capability>): Rule {
  const glob = pattern.endsWith("*");
  const prefix = glob ? pattern.slice(0, -1) : pattern;
  if (prefix.includes("*"))
    throw new BackendError(400, `failed to parse policy: path "${pattern}": "*" is only allowed at the end`);
  const segments = prefix.split("/");
  const plusCount = segments.filter((s) => s === "+").length;
  const plusAt = prefix.indexOf("+");
  const starAt = glob ? prefix.length : -1;
  const wild = [plusAt, starAt].filter((i) => i >= 0);
  return {
    pattern,
    caps,
    segments: plusCount > 0 ? segments : null,
    prefix,
    glob,
    firstWildcard: wild.length ? Math.min(...wild) : Number.POSITIVE_INFINITY,
    plusCount,
  };
}

function addCaps(target: Set<Capability>, pattern: string, list: unknown): void {
  if (!Array.isArray(list))
    throw new BackendError(400, `failed to parse policy: path "${pattern}": capabilities must be a list`);
  for (const c of list) {
    const v = String(c).toLowerCase();
    if (!CAPS.has(v))
      throw new BackendError(
        400,
        `failed to parse policy: path "${pattern}": invalid capability "${String(c)}"`,
      );
    target.add(v as Capability);
  }
}

/** Pattern → raw block, from HCL or JSON text. */
function blocks(text: string): [string, Record<string, unknown>][] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new BackendError(400, `failed to parse policy: ${(e as Error).message}`);
    }
    const paths = (parsed as { path?: unknown }).path;
    if (paths === undefined) return [];
    if (paths === null || typeof paths !== "object")
      throw new BackendError(400, "failed to parse policy: path must be an object");
    return Object.entries(paths as Record<string, Record<string, unknown>>);
  }
  let root: ReturnType<typeof parseHcl>;
  try {
    root = parseHcl(text);
  } catch (e) {
    throw new BackendError(400, `failed to parse policy: ${(e as Error).message}`);
  }
  const out: [string, Record<string, unknown>][] = [];
  for (const it of root.items) {
    const key = it.keys[0]?.value;
    if (key !== "path") {
      if (key === "name") continue;
      throw new BackendError(400, `failed to parse policy: invalid key "${key}"`);
    }
    const pattern = it.keys[1]?.value;
    if (pattern === undefined || it.value.type !== "object") {
      throw new BackendError(400, "failed to parse policy: a path block needs a quoted path and { … }");
    }
    const body: Record<string, unknown> = {};
    for (const f of it.value.items) {
      const name = f.keys[0]?.value ?? "";
      if (f.value.type === "list")
        body[name] = f.value.items.map((x) => (x.type === "literal" ? x.value : null));
      else if (f.value.type === "literal") body[name] = f.value.value;
      // other keys (allowed_parameters, min_wrapping_ttl, …) are accepted and not enforced
    }
    out.push([pattern, body]);
  }
  return out;
}

export function parsePolicy(name: string, text: string): Policy {
  const merged = new Map<string, Set<Capability>>();
  for (const [pattern, body] of blocks(text)) {
    const caps = merged.get(pattern) ?? new Set<Capability>();
    if (body.capabilities !== undefined) addCaps(caps, pattern, body.capabilities);
    if (body.policy !== undefined) {
      const legacy = LEGACY[String(body.policy)];
      if (!legacy)
        throw new BackendError(
          400,
          `failed to parse policy: path "${pattern}": invalid policy "${String(body.policy)}"`,
        );
      for (const c of legacy) caps.add(c);
    }
    merged.set(pattern, caps);
  }
  return { name, text, rules: [...merged].map(([p, c]) => compileRule(p, c)) };
}

export function ruleMatches(rule: Rule, path: string): boolean {
  if (!rule.segments) return rule.glob ? path.startsWith(rule.prefix) : path === rule.prefix;
  const segs = rule.segments;
  let pos = 0;
  for (let i = 0; i < segs.length; i++) {
    const last = i === segs.length - 1;
    const slash = path.indexOf("/", pos);
    const end = slash < 0 ? path.length : slash;
    const part = path.slice(pos, end);
    const seg = segs[i]!;
    if (last) {
      if (rule.glob) return seg === "+" ? true : part.startsWith(seg);
      return slash < 0 && (seg === "+" || part === seg);
    }
    if (slash < 0) return false;
    if (seg !== "+" && part !== seg) return false;
    pos = slash + 1;
  }
  return false;
}

/** True when a has higher priority than b (Vault's documented ordering). */
function outranks(a: Rule, b: Rule): boolean {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard > b.firstWildcard;
  if (a.glob !== b.glob) return !a.glob;
  if (a.plusCount !== b.plusCount) return a.plusCount < b.plusCount;
  if (a.pattern.length !== b.pattern.length) return a.pattern.length > b.pattern.length;
  return a.pattern > b.pattern;
}

/** A set of policies merged into one rule table, with a per-path answer cache. */
export class Acl {
  private rules: Rule[];
  private cache = new Map<string, ReadonlySet<Capability>>();

  constructor(policies: Policy[]) {
    const merged = new Map<string, Set<Capability>>();
    for (const p of policies) {
      for (const r of p.rules) {
        const caps = merged.get(r.pattern) ?? new Set<Capability>();
        for (const c of r.caps) caps.add(c);
        merged.set(r.pattern, caps);
      }
    }
    this.rules = [...merged].map(([pattern, caps]) =>
      compileRule(pattern, caps.has("deny") ? new Set(["deny"]) : caps),
    );
  }

  /** Whether any rule grants something (other than deny) at or under `prefix` — Vault's mount-access test. */
  grantsUnder(prefix: string): boolean {
    return this.rules.some(
      (r) =>
        !r.caps.has("deny") && r.caps.size > 0 && (r.prefix.startsWith(prefix) || ruleMatches(r, prefix)),
    );
  }

  capabilities(path: string): ReadonlySet<Capability> {
    const hit = this.cache.get(path);
    if (hit) return hit;
    let best: Rule | undefined;
    for (const r of this.rules) if (ruleMatches(r, path) && (!best || outranks(r, best))) best = r;
    const caps: ReadonlySet<Capability> = best?.caps ?? new Set();
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(path, caps);
    return caps;
  }
}

/** Vault's default policy, the parts a dev server needs (self token ops, cubbyhole, wrapping, own leases). */
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
