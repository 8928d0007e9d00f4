/**
 * sys/: health, seal status, mounts and auth methods (enable/disable/tune), the UI preflight the
 * agent uses for KV detection, ACL policies, capabilities, leases and response wrapping.
 * Mounted by the core at sys/; the ACL was checked before `handle` runs.
 */
import { parseDurationSecond } from "../../clock/duration.ts";
import { asMountPath, listKeys } from "../paths.ts";
import {
  type Backend,
  BackendError,
  type BackendRequest,
  type Operation,
  type TokenEntry,
} from "../types.ts";
import { type CoreResponse, DEV_VERSION, type DevCore, type Mount, parseMountConfig } from "./core.ts";

const CLUSTER_ID = "7d1b0d2f-5d54-4d8e-9a60-3c8f2c0e6b11";
const CLUSTER_NAME = "vaultrun-dev";

type Body = Record<string, unknown>;

function allow(op: Operation, ...ops: Operation[]): void {
  if (!ops.includes(op)) throw new BackendError(405, "unsupported operation");
}

function str(b: Body, k: string): string {
  const v = b[k];
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new BackendError(400, `${k} must be a string`);
  return v;
}

function seconds(v: unknown, field: string): number {
  if (v === undefined || v === null || v === "") return 0;
  try {
    return Math.floor(parseDurationSecond(v) / 1000);
  } catch (e) {
    throw new BackendError(400, `invalid ${field}: ${(e as Error).message}`);
  }
}

function stringOptions(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new BackendError(400, "options must be an object");
  return Object.fromEntries(Object.entries(v as Body).map(([k, x]) => [k, String(x)]));
}

export class SysBackend implements Backend {
  readonly type = "system";
  readonly unauthenticatedPaths = ["health", "seal-status", "leader", "init"];

  constructor(private readonly core: DevCore) {}

  handle(req: BackendRequest): CoreResponse {
    const path = req.path;
    const op = req.operation;
    const ns = req.namespace ?? "";
    const b = req.body;
    switch (path) {
      case "health":
        allow(op, "read");
        return { bare: { status: healthStatus(req.query), body: this.health() } };
      case "seal-status":
        allow(op, "read");
        return { bare: { status: 200, body: this.sealStatus() } };
      case "leader":
        allow(op, "read");
        return {
          bare: {
            status: 200,
            body: {
              ha_enabled: false,
              is_self: false,
              leader_address: "",
              leader_cluster_address: "",
              performance_standby: false,
            },
          },
        };
      case "init":
        allow(op, "read");
        return { bare: { status: 200, body: { initialized: true } } };
      case "mounts":
        allow(op, "read");
        return this.listMounts(ns, false);
      case "auth":
        allow(op, "read");
        return this.listMounts(ns, true);
      case "internal/ui/mounts":
        allow(op, "read");
        return this.uiMounts(ns, req.token!);
      case "policy":
      case "policies/acl":
        allow(op, "read", "list");
        return this.listPolicies(path === "policy");
      case "capabilities-self":
        allow(op, "update", "create");
        return this.capabilities(req.token!, b, ns);
      case "capabilities": {
        allow(op, "update", "create");
        const t = this.core.tokens.get(str(b, "token"));
        if (!t) throw new BackendError(400, "invalid token");
        return this.capabilities(t, b, ns);
      }
      case "capabilities-accessor": {
        allow(op, "update", "create");
        const t = this.core.tokens.getByAccessor(str(b, "accessor"));
        if (!t) throw new BackendError(400, "invalid accessor");
        return this.capabilities(t, b, ns);
      }
      case "leases/renew":
      case "renew":
        allow(op, "update", "create");
        return this.renewLease(str(b, "lease_id"), b.increment);
      case "leases/lookup/":
      case "leases/lookup":
        if (op === "list") return this.leaseOp("lookup", "", op, b, ns);
        allow(op, "update", "create");
        return { data: this.core.leases.lookup(this.leaseId(str(b, "lease_id"))) };
      case "leases/revoke":
      case "revoke":
        allow(op, "update", "create");
        this.core.leases.revoke(this.leaseId(str(b, "lease_id")));
        return { status: 204 };
      case "wrapping/wrap":
        allow(op, "update", "create");
        if (!req.headers.get("x-vault-wrap-ttl"))
          throw new BackendError(400, "wrapping TTL is required: set X-Vault-Wrap-TTL");
        if (Object.keys(b).length === 0) throw new BackendError(400, "empty request body");
        return { data: { ...b } };
      case "wrapping/unwrap": {
        allow(op, "update", "create");
        const token = str(b, "token");
        if (!token) throw new BackendError(400, "wrapping token is not valid or does not exist");
        return {
          bare: { status: 200, body: { ...this.core.wraps.unwrap(token), request_id: this.core.randomId() } },
        };
      }
      case "wrapping/rewrap":
        allow(op, "update", "create");
        return { data: null, wrapInfo: this.core.wraps.rewrap(str(b, "token")) };
    }
    const m = /^(mounts|auth)\/(.+?)(\/tune)?$/.exec(path);
    if (m) return this.mountOp(m[1] === "auth", ns, m[2]!, m[3] !== undefined, op, b);
    if (path.startsWith("internal/ui/mounts/")) {
      allow(op, "read");
      return this.preflight(ns, path.slice("internal/ui/mounts/".length), req.token!);
    }
    const pol = /^(policy|policies\/acl)\/(.+)$/.exec(path);
    if (pol) return this.policyOp(pol[1] === "policy", pol[2]!, op, b);
    const lease = /^(?:leases\/)?(renew|revoke|revoke-prefix|revoke-force|lookup)\/(.+)$/.exec(path);
    if (lease) return this.leaseOp(lease[1]!, lease[2]!, op, b, ns);
    throw new BackendError(404, "");
  }

  private health(): Body {
    return {
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_performance_mode: "disabled",
      replication_dr_mode: "disabled",
      server_time_utc: Math.floor(this.core.clock.now() / 1000),
      version: DEV_VERSION,
      enterprise: false,
      cluster_name: CLUSTER_NAME,
      cluster_id: CLUSTER_ID,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
    };
  }

  private sealStatus(): Body {
    return {
      type: "shamir",
      initialized: true,
      sealed: false,
      t: 1,
      n: 1,
      progress: 0,
      nonce: "",
      version: DEV_VERSION,
      build_date: "2024-06-10T10:11:34Z",
      migration: false,
      cluster_name: CLUSTER_NAME,
      cluster_id: CLUSTER_ID,
      recovery_seal: false,
      storage_type: "inmem",
    };
  }

  /** Mounts of one namespace, keyed relative to it ("secret/", or "approle/" for auth). */
  private mountsIn(ns: string, auth: boolean): [string, Mount][] {
    const out: [string, Mount][] = [];
    for (const m of this.core.mounts.values()) {
      // sys/, identity/, cubbyhole/ and auth/token/ exist in every namespace.
      const rel = m.builtin ? m.path : m.namespace === ns ? m.path.slice(ns.length) : undefined;
      if (rel === undefined || rel.startsWith("auth/") !== auth) continue;
      out.push([auth ? rel.slice(5) : rel, m]);
    }
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private listMounts(ns: string, auth: boolean): CoreResponse {
    const data: Body = {};
    for (const [k, m] of this.mountsIn(ns, auth)) data[k] = this.core.mountInfo(m);
    return { data, topLevel: data };
  }

  private uiMounts(ns: string, token: TokenEntry): CoreResponse {
    const secret: Body = {};
    const auth: Body = {};
    const root = token.policies.includes("root");
    const acl = this.core.aclOf(token);
    for (const [k, m] of this.mountsIn(ns, false))
      if (root || acl.grantsUnder(ns + k)) secret[k] = this.core.mountInfo(m);
    for (const [k, m] of this.mountsIn(ns, true))
      if (root || acl.grantsUnder(`${ns}auth/${k}`)) auth[k] = this.core.mountInfo(m);
    return { data: { secret, auth } };
  }

  /** sys/internal/ui/mounts/<path>: the mount serving a path, if the caller may use it (KV preflight). */
  private preflight(ns: string, rest: string, token: TokenEntry): CoreResponse {
    const full = ns + rest;
    const m = this.core.findMount(full);
    const denied = () =>
      new BackendError(
        403,
        `preflight capability check returned 403, please ensure client's policies grant access to path "${asMountPath(rest)}"`,
      );
    if (!m) throw denied();
    if (!token.policies.includes("root")) {
      const acl = this.core.aclOf(token);
      const caps = acl.capabilities(full);
      if ((caps.size === 0 || caps.has("deny")) && !acl.grantsUnder(m.path)) throw denied();
    }
    return { data: { ...this.core.mountInfo(m), path: m.path.slice(ns.length) } };
  }

  private mountOp(
    auth: boolean,
    ns: string,
    name: string,
    tune: boolean,
    op: Operation,
    b: Body,
  ): CoreResponse {
    const rel = asMountPath(name);
    const full = auth ? `${ns}auth/${rel}` : ns + rel;
    const kind = auth ? "auth method" : "secrets engine";
    if (tune) {
      const m = this.core.mounts.get(auth && rel === "token/" ? "auth/token/" : full);
      if (!m) throw new BackendError(400, `cannot fetch sysview for path "${rel}"`);
      if (op === "read") {
        return {
          data: {
            default_lease_ttl: m.config.defaultLeaseTTL || 2764800,
            max_lease_ttl: m.config.maxLeaseTTL || 2764800,
            force_no_cache: false,
            description: m.description,
            options: m.options,
          },
        };
      }
      allow(op, "update", "create");
      const config = parseMountConfig(
        { default_lease_ttl: b.default_lease_ttl, max_lease_ttl: b.max_lease_ttl },
        m.config,
      );
      const options = stringOptions(b.options);
      if (typeof b.description === "string") m.description = b.description;
      m.config = config;
      if (options) {
        if (m.type === "kv" && options.version === "2" && m.options?.version !== "2") this.core.upgradeKv(m);
        else if (m.type === "kv" && options.version === "1" && m.options?.version === "2") {
          throw new BackendError(400, "cannot downgrade a kv mount from version 2 to version 1");
        }
        m.options = {
          ...(m.options ?? {}),
          ...options,
          ...(m.type === "kv" ? { version: m.options?.version ?? "1" } : {}),
        };
      }
      return { status: 204 };
    }
    switch (op) {
      case "read": {
        const m = this.core.mounts.get(full);
        if (!m) throw new BackendError(400, `No ${kind} mount at ${rel}`);
        return { data: this.core.mountInfo(m) };
      }
      case "delete":
        this.core.unmount(full);
        return { status: 204 };
      case "create":
      case "update": {
        const type = str(b, "type");
        if (!type) throw new BackendError(400, `missing type for the ${kind}`);
        if (
          !auth &&
          (rel.startsWith("auth/") || rel === "sys/" || rel === "identity/" || rel === "cubbyhole/")
        ) {
          throw new BackendError(400, `cannot mount a ${kind} at reserved path "${rel}"`);
        }
        this.core.mount(full, type, stringOptions(b.options), str(b, "description"), b, ns);
        return { status: 204 };
      }
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }

  private listPolicies(legacy: boolean): CoreResponse {
    const keys = [...new Set([...this.core.policies.keys(), "root"])].sort();
    const data = legacy ? { keys, policies: keys } : { keys };
    return { data, topLevel: data };
  }

  private policyOp(legacy: boolean, rawName: string, op: Operation, b: Body): CoreResponse {
    const name = rawName.toLowerCase();
    switch (op) {
      case "read": {
        const p = this.core.policies.get(name);
        if (!p && name !== "root") throw new BackendError(404, "");
        const data = legacy ? { name, rules: p?.text ?? "" } : { name, policy: p?.text ?? "" };
        return { data, topLevel: data };
      }
      case "delete":
        if (name === "default" || name === "root")
          throw new BackendError(400, `cannot delete "${name}" policy`);
        this.core.deletePolicy(name);
        return { status: 204 };
      case "create":
      case "update": {
        if (name === "root") throw new BackendError(400, `cannot update "root" policy`);
        let text = str(b, "policy") || str(b, "rules");
        if (!text) throw new BackendError(400, "'policy' parameter not supplied or empty");
        // The API also takes the policy base64-encoded.
        if (!/[{"]/.test(text)) {
          const decoded = Buffer.from(text, "base64").toString("utf8");
          if (/path\s|{/.test(decoded)) text = decoded;
        }
        this.core.setPolicy(name, text);
        return { status: 204 };
      }
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }

  private capabilities(t: TokenEntry, b: Body, ns: string): CoreResponse {
    const raw = b.paths ?? b.path;
    const paths = Array.isArray(raw)
      ? raw.map(String)
      : typeof raw === "string"
        ? raw.split(",").map((s) => s.trim())
        : [];
    if (paths.length === 0) throw new BackendError(400, "missing paths");
    const data: Body = {};
    let last: string[] = [];
    for (const p of paths) {
      last = this.core.capabilitiesOf(t, ns + p.replace(/^\/+/, ""));
      data[p] = last;
    }
    data.capabilities = last;
    return { data };
  }

  private leaseId(id: string): string {
    if (!id) throw new BackendError(400, "missing lease_id");
    return id;
  }

  private renewLease(id: string, increment: unknown): CoreResponse {
    const r = this.core.leases.renew(this.leaseId(id), seconds(increment, "increment"));
    return {
      data: null,
      envelope: { lease_id: r.id, renewable: r.renewable, lease_duration: r.ttl },
      warnings: r.warning ? [r.warning] : undefined,
    };
  }

  private leaseOp(kind: string, rest: string, op: Operation, b: Body, ns: string): CoreResponse {
    switch (kind) {
      case "renew":
        allow(op, "update", "create");
        return this.renewLease(rest, b.increment);
      case "revoke":
        allow(op, "update", "create");
        this.core.leases.revoke(rest);
        return { status: 204 };
      case "revoke-prefix":
      case "revoke-force":
        allow(op, "update", "create");
        this.core.leases.revokePrefix(ns + rest);
        return { status: 204 };
      default: {
        // lookup/<prefix>: LIST the lease ids under a prefix
        allow(op, "list");
        const keys = listKeys(this.core.leases.ids(), ns + rest);
        if (keys.length === 0) throw new BackendError(404, "");
        return { data: { keys } };
      }
    }
  }
}

/** sys/health's status code: the dev server is always an initialized, unsealed active node. */
function healthStatus(query: Record<string, string>): number {
  const code = query.activecode;
  if (code === undefined || code === "") return 200;
  const n = Number(code);
  if (!Number.isInteger(n) || n < 100 || n > 599)
    throw new BackendError(400, `invalid activecode ${JSON.stringify(code)}`);
  return n;
}
