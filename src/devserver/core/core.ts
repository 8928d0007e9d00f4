/**
 * The dev server's request handling, independent of HTTP: find the token, check the ACL, route to
 * sys/, auth/token/ or a mounted backend, build Vault's envelope, create leases, wrap responses.
 * All state lives here (tokens, policies, mounts, leases, wrapped responses).
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock/clock.ts";
import { parseDurationSecond } from "../../clock/duration.ts";
import { authFactories } from "../auth/index.ts";
import { engineFactories } from "../engines/index.ts";
import { KvV1, KvV2 } from "../kv/kv.ts";
import {
  type AuthResult,
  type Backend,
  BackendError,
  type BackendRequest,
  type BackendResponse,
  type CoreServices,
  type IssueTokenOptions,
  type Operation,
  type TokenEntry,
} from "../types.ts";
import { type Capability, capabilities, DEFAULT_POLICY, type Policy, parsePolicy } from "./acl.ts";
import { LeaseStore, WrapStore } from "./leases.ts";
import { TokenStore } from "./tokens.ts";

export const DEV_VERSION = "1.17.0";

export interface RawRequest {
  method: string;
  /** Path after /v1/, no query. */
  path: string;
  query: Record<string, string>;
  headers: Headers;
  body: Record<string, unknown>;
  peerCertificateDer?: Uint8Array;
}

export interface RawResponse {
  status: number;
  body: unknown; // JSON-serialisable, or a string/bytes with contentType
  contentType?: string;
}

/** A sys/ answer that sets envelope fields itself (lease renewals, rewrap). */
interface CoreResponse extends BackendResponse {
  envelope?: { lease_id: string; renewable: boolean; lease_duration: number };
  wrapInfo?: Record<string, unknown>;
}

interface Mount {
  path: string; // "secret/" or "auth/approle/"
  type: string;
  backend: Backend;
  options: Record<string, string> | null;
  accessor: string;
  uuid: string;
  description: string;
  local: boolean;
  sealWrap: boolean;
}

const PERMISSION_DENIED = "permission denied";

function err(status: number, ...errors: string[]): RawResponse {
  return { status, body: { errors } };
}

export class DevCore implements CoreServices {
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  readonly wraps: WrapStore;
  private policies = new Map<string, Policy>();
  private mounts = new Map<string, Mount>();
  readonly rootToken: string;

  constructor(
    readonly clock: Clock,
    rootToken: string,
    private readonly logger: (msg: string) => void = () => {},
  ) {
    this.tokens = new TokenStore(clock);
    this.leases = new LeaseStore(clock);
    this.wraps = new WrapStore(clock);
    this.tokens.onRevoke = (t) => this.leases.revokeForToken(t.id);
    this.rootToken = this.tokens.createRoot(rootToken).id;
    this.policies.set("default", parsePolicy("default", DEFAULT_POLICY));
    this.mount("secret/", "kv", { version: "2" }, "key/value secret storage");
    this.mount("cubbyhole/", "cubbyhole", null, "per-token private secret storage");
  }

  // --- CoreServices for backends -------------------------------------------------------------
  issueToken(opts: IssueTokenOptions, creationPath: string): AuthResult {
    const policies = [...new Set([...(opts.policies ?? []), "default"])];
    const t = this.tokens.make({ ...opts, policies }, creationPath, "");
    return this.tokens.authResult(t);
  }
  randomId(): string {
    return randomUUID();
  }
  log(message: string): void {
    this.logger(message);
  }

  // --- mounts ----------------------------------------------------------------------------------
  mount(path: string, type: string, options: Record<string, string> | null, description = "", config: Record<string, unknown> = {}): void {
    const p = path.endsWith("/") ? path : `${path}/`;
    if (this.mounts.has(p)) throw new BackendError(400, `path is already in use at ${p}`);
    let backend: Backend;
    let opts = options;
    const isAuth = p.startsWith("auth/");
    if (type === "kv" || type === "kv-v2" || type === "generic") {
      const version = type === "kv-v2" ? "2" : (options?.version ?? "1");
      backend = version === "2" ? new KvV2(this.clock) : new KvV1();
      opts = { version };
      type = "kv";
    } else if (type === "cubbyhole") {
      backend = new KvV1();
    } else {
      const factory = isAuth ? authFactories[type] : engineFactories[type];
      if (!factory) throw new BackendError(400, `plugin not found in the catalog: ${type}`);
      backend = factory(this, p, config);
    }
    this.mounts.set(p, {
      path: p,
      type,
      backend,
      options: opts,
      accessor: `${isAuth ? "auth" : type}_${type}_${randomUUID().slice(0, 8)}`,
      uuid: randomUUID(),
      description,
      local: false,
      sealWrap: false,
    });
  }

  private findMount(path: string): Mount | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts.values()) {
      if ((path === m.path.slice(0, -1) || path.startsWith(m.path)) && (!best || m.path.length > best.path.length)) best = m;
    }
    return best;
  }

  private mountInfo(m: Mount): Record<string, unknown> {
    return {
      accessor: m.accessor,
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
      description: m.description,
      external_entropy_access: false,
      local: m.local,
      options: m.options,
      plugin_version: "",
      running_plugin_version: `v${DEV_VERSION}+builtin.vault`,
      running_sha256: "",
      seal_wrap: m.sealWrap,
      type: m.type,
      uuid: m.uuid,
    };
  }

  // --- request handling ------------------------------------------------------------------------
  async handle(req: RawRequest): Promise<RawResponse> {
    try {
      return await this.dispatch(req);
    } catch (e) {
      if (e instanceof BackendError) return e.message === "" ? err(e.status) : err(e.status, e.message);
      this.logger(`internal error: ${(e as Error).stack ?? String(e)}`);
      return err(500, "internal error");
    }
  }

  private operation(req: RawRequest): Operation {
    switch (req.method) {
      case "GET":
      case "HEAD":
        return req.query.list === "true" ? "list" : "read";
      case "LIST":
        return "list";
      case "DELETE":
        return "delete";
      case "PATCH":
        return "patch";
      case "PUT":
      case "POST":
        return "update";
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }

  private tokenOf(req: RawRequest): string {
    const t = req.headers.get("x-vault-token");
    if (t) return t.trim();
    const auth = req.headers.get("authorization");
    if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
    return "";
  }

  private policiesOf(t: TokenEntry): Policy[] {
    return t.policies.map((p) => this.policies.get(p)).filter((p): p is Policy => !!p);
  }

  private allowed(t: TokenEntry, path: string, op: Operation): boolean {
    if (t.policies.includes("root")) return true;
    const caps = capabilities(this.policiesOf(t), path);
    if (caps.has("deny")) return false;
    const need: Capability[] = op === "update" ? ["update", "create"] : [op as Capability];
    return need.some((c) => caps.has(c));
  }

  private async dispatch(req: RawRequest): Promise<RawResponse> {
    const path = req.path.replace(/^\/+/, "");
    const op = this.operation(req);
    // Unauthenticated endpoints.
    if (path === "sys/health") return this.health(req);
    if (path === "sys/seal-status") return { status: 200, body: this.sealStatus() };
    if (path === "sys/leader") return { status: 200, body: { ha_enabled: false, is_self: false, leader_address: "", leader_cluster_address: "" } };
    const tokenId = this.tokenOf(req);
    // Wrapping endpoints accept the wrapping token itself.
    if ((path === "sys/wrapping/unwrap" || path === "sys/wrapping/lookup") && tokenId && this.wraps.has(tokenId)) {
      return path === "sys/wrapping/unwrap" ? this.unwrapResponse(tokenId) : this.envelope({ data: this.wraps.lookup(tokenId) }, path);
    }
    if ((path === "sys/wrapping/unwrap" || path === "sys/wrapping/lookup") && tokenId && !this.tokens.get(tokenId)) {
      return err(400, "wrapping token is not valid or does not exist");
    }
    if (path === "sys/wrapping/unwrap" && typeof req.body.token === "string" && req.body.token) {
      return this.unwrapResponse(req.body.token);
    }
    if (path === "sys/wrapping/lookup" && typeof req.body.token === "string") {
      return this.envelope({ data: this.wraps.lookup(req.body.token) }, path);
    }
    const mount = path.startsWith("sys/") || path.startsWith("auth/token/") || path === "auth/token" ? undefined : this.findMount(path);
    const rel = mount ? path.slice(Math.min(path.length, mount.path.length)) : "";
    const unauth = mount?.backend.unauthenticatedPaths?.some((g) => (g.endsWith("*") ? rel.startsWith(g.slice(0, -1)) : rel === g));
    let token: TokenEntry | null = null;
    if (!unauth) {
      if (!tokenId) return err(403, PERMISSION_DENIED);
      const t = this.tokens.get(tokenId);
      if (!t) return err(403, `2 errors occurred:\n\t* ${PERMISSION_DENIED}\n\t* invalid token\n\n`);
      token = t;
      const selfPaths = path.startsWith("sys/internal/ui/mounts") || path === "sys/capabilities-self";
      if (!selfPaths && !this.allowed(t, path, op)) return err(403, PERMISSION_DENIED);
      this.tokens.use(t);
    }
    try {
      let res: BackendResponse;
      if (path.startsWith("sys/")) res = await this.sys(path.slice(4), op, req, token!);
      else if (path === "auth/token" || path.startsWith("auth/token/")) res = await this.tokenApi(path.slice("auth/token/".length), op, req, token!);
      else if (mount) {
        const breq: BackendRequest = {
          operation: op,
          method: req.method,
          path: rel,
          fullPath: path,
          mountPath: mount.path,
          body: req.body,
          query: req.query,
          token,
          peerCertificateDer: req.peerCertificateDer,
          headers: req.headers,
        };
        res = await mount.backend.handle(breq);
      } else return err(404);
      return this.finish(res, path, req, token, mount?.type);
    } finally {
      if (token) this.tokens.afterUse(token);
    }
  }

  private finish(res: CoreResponse, path: string, req: RawRequest, token: TokenEntry | null, mountType?: string): RawResponse {
    if (res.raw) return { status: res.raw.status, body: res.raw.body, contentType: res.raw.contentType };
    const status = res.status ?? (res.data === undefined && !res.auth ? 204 : 200);
    if (status === 204) return { status: 204, body: null };
    const wrapTTLHeader = req.headers.get("x-vault-wrap-ttl");
    let leaseId = "";
    let leaseDuration = res.leaseDuration ?? 0;
    let renewable = false;
    if (res.lease && status < 400) {
      const l = this.leases.create(path, token?.id ?? "", res.lease);
      leaseId = l.id;
      leaseDuration = l.ttl;
      renewable = res.lease.renewable;
    }
    if (res.envelope) ({ lease_id: leaseId, renewable, lease_duration: leaseDuration } = res.envelope);
    const body = {
      request_id: randomUUID(),
      lease_id: leaseId,
      renewable,
      lease_duration: leaseDuration,
      data: res.data ?? null,
      wrap_info: (res.wrapInfo ?? null) as Record<string, unknown> | null,
      warnings: res.warnings?.length ? res.warnings : null,
      auth: res.auth ?? null,
      mount_type: mountType ?? "",
    };
    if (wrapTTLHeader && status < 400 && path !== "sys/wrapping/unwrap") {
      let ttl: number;
      try {
        ttl = parseDurationSecond(wrapTTLHeader) / 1000;
      } catch {
        throw new BackendError(400, `error parsing wrap TTL: invalid duration ${JSON.stringify(wrapTTLHeader)}`);
      }
      const wrapInfo = this.wraps.wrap(body, ttl, path, res.auth?.accessor ?? "");
      return {
        status: 200,
        body: { ...body, lease_id: "", renewable: false, lease_duration: 0, data: null, auth: null, wrap_info: wrapInfo, request_id: randomUUID() },
      };
    }
    return { status, body };
  }

  private envelope(res: BackendResponse, path: string): RawResponse {
    return this.finish(res, path, { method: "GET", path, query: {}, headers: new Headers(), body: {} }, null);
  }

  private unwrapResponse(wrapToken: string): RawResponse {
    const body = this.wraps.unwrap(wrapToken);
    return { status: 200, body };
  }

  // --- sys -------------------------------------------------------------------------------------
  private health(req: RawRequest): RawResponse {
    void req;
    return {
      status: 200,
      body: {
        initialized: true,
        sealed: false,
        standby: false,
        performance_standby: false,
        replication_performance_mode: "disabled",
        replication_dr_mode: "disabled",
        server_time_utc: Math.floor(this.clock.now() / 1000),
        version: DEV_VERSION,
        enterprise: false,
        cluster_name: "vaultrun-dev",
        cluster_id: "00000000-0000-0000-0000-000000000000",
        echo_duration_ms: 0,
        clock_skew_ms: 0,
      },
    };
  }

  private sealStatus(): Record<string, unknown> {
    return {
      type: "shamir",
      initialized: true,
      sealed: false,
      t: 1,
      n: 1,
      progress: 0,
      nonce: "",
      version: DEV_VERSION,
      build_date: "2026-01-01T00:00:00Z",
      migration: false,
      cluster_name: "vaultrun-dev",
      cluster_id: "00000000-0000-0000-0000-000000000000",
      recovery_seal: false,
      storage_type: "inmem",
    };
  }

  private async sys(path: string, op: Operation, req: RawRequest, token: TokenEntry): Promise<CoreResponse> {
    const b = req.body;
    const str = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : "");
    if (path === "mounts" && op === "read") {
      const data: Record<string, unknown> = {};
      for (const m of this.mounts.values()) if (!m.path.startsWith("auth/")) data[m.path] = this.mountInfo(m);
      return { data };
    }
    if (path.startsWith("mounts/")) {
      const mp = path.slice("mounts/".length).replace(/\/tune$/, "");
      const p = mp.endsWith("/") ? mp : `${mp}/`;
      if (path.endsWith("/tune")) {
        if (op === "read") return { data: { default_lease_ttl: 2764800, max_lease_ttl: 2764800, force_no_cache: false } };
        return { status: 204 };
      }
      if (op === "delete") {
        this.mounts.delete(p);
        this.leases.revokePrefix(p);
        return { status: 204 };
      }
      if (op === "read") {
        const m = this.mounts.get(p);
        if (!m) throw new BackendError(400, `No secret engine mount at ${p}`);
        return { data: this.mountInfo(m) };
      }
      const type = str("type");
      if (!type) throw new BackendError(400, "missing type");
      const options = (b.options as Record<string, string> | undefined) ?? null;
      this.mount(p, type, options ? Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) : null, str("description"), (b.config as Record<string, unknown>) ?? {});
      return { status: 204 };
    }
    if (path === "auth" && op === "read") {
      const data: Record<string, unknown> = {
        "token/": { type: "token", description: "token based credentials", accessor: "auth_token_dev", local: false, seal_wrap: false, options: null, config: {} },
      };
      for (const m of this.mounts.values()) if (m.path.startsWith("auth/")) data[m.path.slice(5)] = this.mountInfo(m);
      return { data };
    }
    if (path.startsWith("auth/")) {
      const mp = `auth/${path.slice(5).replace(/\/+$/, "")}/`;
      if (op === "delete") {
        this.mounts.delete(mp);
        return { status: 204 };
      }
      const type = str("type");
      if (!type) throw new BackendError(400, "missing type");
      this.mount(mp, type, null, str("description"), (b.config as Record<string, unknown>) ?? {});
      return { status: 204 };
    }
    if (path.startsWith("internal/ui/mounts")) {
      const rest = path.slice("internal/ui/mounts".length).replace(/^\//, "");
      if (rest === "") {
        const secret: Record<string, unknown> = {};
        const auth: Record<string, unknown> = {};
        for (const m of this.mounts.values()) (m.path.startsWith("auth/") ? auth : secret)[m.path] = this.mountInfo(m);
        return { data: { secret, auth } };
      }
      const m = this.findMount(rest);
      if (!m) throw new BackendError(403, `preflight capability check returned 403, please ensure client's policies grant access to path "${rest}/"`);
      if (!token.policies.includes("root") && capabilities(this.policiesOf(token), rest).size === 0) {
        throw new BackendError(403, PERMISSION_DENIED);
      }
      return { data: { ...this.mountInfo(m), path: m.path } };
    }
    // Policies (both the old sys/policy and the newer sys/policies/acl).
    const polMatch = /^(policy|policies\/acl)(?:\/(.+))?$/.exec(path);
    if (polMatch) {
      const name = polMatch[2];
      const legacy = polMatch[1] === "policy";
      if (!name) {
        const keys = [...this.policies.keys(), "root"].sort();
        return { data: legacy ? { keys, policies: keys } : { keys } };
      }
      if (op === "read") {
        const p = this.policies.get(name);
        if (!p && name !== "root") throw new BackendError(404, "");
        return { data: legacy ? { name, rules: p?.text ?? "" } : { name, policy: p?.text ?? "" } };
      }
      if (op === "delete") {
        if (name === "default" || name === "root") throw new BackendError(400, `cannot delete "${name}" policy`);
        this.policies.delete(name);
        return { status: 204 };
      }
      if (name === "root") throw new BackendError(400, `cannot update "root" policy`);
      const text = str("policy") || str("rules");
      if (!text) throw new BackendError(400, "'policy' parameter not supplied or empty");
      this.policies.set(name, parsePolicy(name, text));
      return { status: 204 };
    }
    if (path === "capabilities-self") {
      const paths = Array.isArray(b.paths) ? (b.paths as string[]) : typeof b.path === "string" ? [b.path] : [];
      const data: Record<string, unknown> = {};
      let last: string[] = [];
      for (const p of paths) {
        last = token.policies.includes("root") ? ["root"] : [...capabilities(this.policiesOf(token), p)].sort();
        if (last.length === 0) last = ["deny"];
        data[p] = last;
      }
      data.capabilities = last;
      return { data };
    }
    // Leases
    if (path === "leases/renew" || path.startsWith("renew")) {
      const id = str("lease_id") || path.replace(/^renew\/?/, "").replace(/^leases\/renew\/?/, "");
      const inc = b.increment === undefined ? 0 : parseDurationSecond(b.increment as string | number) / 1000;
      const r = this.leases.renew(id, inc);
      return { data: null, envelope: { lease_id: r.id, renewable: r.renewable, lease_duration: r.ttl } };
    }
    if (path === "leases/lookup") return { data: this.leases.lookup(str("lease_id")) };
    if (path === "leases/revoke" || path.startsWith("leases/revoke/")) {
      const id = str("lease_id") || path.slice("leases/revoke/".length);
      this.leases.revoke(id);
      return { status: 204 };
    }
    if (path.startsWith("leases/revoke-prefix/")) {
      this.leases.revokePrefix(path.slice("leases/revoke-prefix/".length));
      return { status: 204 };
    }
    if (path.startsWith("leases/lookup/")) return { data: { keys: this.leases.keys(path.slice("leases/lookup/".length)) } };
    // Wrapping
    if (path === "wrapping/wrap") {
      const ttlHeader = req.headers.get("x-vault-wrap-ttl");
      if (!ttlHeader) throw new BackendError(400, "wrapping TTL is required");
      return { data: { ...b } };
    }
    if (path === "wrapping/unwrap") throw new BackendError(400, "wrapping token is not valid or does not exist");
    if (path === "wrapping/rewrap") return { data: null, wrapInfo: this.wraps.rewrap(str("token")) };
    throw new BackendError(404, "");
  }

  // --- auth/token ------------------------------------------------------------------------------
  private async tokenApi(path: string, op: Operation, req: RawRequest, caller: TokenEntry): Promise<BackendResponse> {
    const b = req.body;
    const num = (k: string) => (b[k] === undefined || b[k] === "" ? 0 : parseDurationSecond(b[k] as string | number) / 1000);
    const lookupTarget = (): TokenEntry => {
      const id = typeof b.token === "string" ? b.token : "";
      const t = this.tokens.get(id);
      if (!t) throw new BackendError(403, "bad token");
      return t;
    };
    switch (path) {
      case "create":
      case "create-orphan": {
        const policies = Array.isArray(b.policies) ? (b.policies as string[]) : typeof b.policies === "string" ? [b.policies] : caller.policies;
        const noDefault = b.no_default_policy === true;
        const pols = [...policies.filter((p) => p !== "root" || caller.policies.includes("root"))];
        if (!noDefault && !pols.includes("root")) pols.push("default");
        const type = b.type === "batch" ? "batch" : "service";
        const t = this.tokens.make(
          {
            policies: pols,
            meta: (b.meta as Record<string, string>) ?? undefined,
            displayName: typeof b.display_name === "string" ? `token-${b.display_name}` : "token",
            ttl: num("ttl"),
            explicitMaxTTL: num("explicit_max_ttl"),
            period: num("period"),
            numUses: Number(b.num_uses ?? 0),
            renewable: b.renewable === undefined ? true : Boolean(b.renewable),
            type,
            noParent: path === "create-orphan" || b.no_parent === true,
          },
          "auth/token/create",
          caller.id,
          typeof b.id === "string" && b.id ? b.id : undefined,
        );
        if (pols.includes("root")) {
          t.ttl = t.ttl || 0;
        }
        return { auth: this.tokens.authResult(t) };
      }
      case "lookup-self":
        return { data: this.tokens.lookupData(caller) };
      case "lookup":
        return { data: this.tokens.lookupData(lookupTarget()) };
      case "lookup-accessor": {
        const t = this.tokens.getByAccessor(String(b.accessor ?? ""));
        if (!t) throw new BackendError(400, "invalid accessor");
        const d = this.tokens.lookupData(t);
        d.id = "";
        return { data: d };
      }
      case "renew-self":
        return { auth: this.tokens.authResult(this.tokens.renew(caller, num("increment"))) };
      case "renew":
        return { auth: this.tokens.authResult(this.tokens.renew(lookupTarget(), num("increment"))) };
      case "revoke-self":
        this.tokens.revoke(caller.id);
        return { status: 204 };
      case "revoke":
        this.tokens.revoke(lookupTarget().id);
        return { status: 204 };
      case "revoke-accessor": {
        const t = this.tokens.getByAccessor(String(b.accessor ?? ""));
        if (t) this.tokens.revoke(t.id);
        return { status: 204 };
      }
      default:
        throw new BackendError(404, "");
    }
  }
}

