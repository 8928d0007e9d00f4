/**
 * The dev server's request handling, independent of HTTP: resolve the namespace and the token,
 * route to a mount (sys/, auth/token/, cubbyhole/, kv, or a pluggable engine / auth method), check
 * the ACL, build Vault's envelope, create leases, wrap responses. All state lives here (tokens,
 * policies, mounts, leases, wrapped responses) and is lost on exit, as with `vault server -dev`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../clock/clock.ts";
import { parseDurationSecond } from "../../clock/duration.ts";
import { authFactories } from "../auth/index.ts";
import { engineFactories } from "../engines/index.ts";
import { KvV1 } from "../kv/kv-v1.ts";
import { KvV2 } from "../kv/kv-v2.ts";
import { asMountPath } from "../paths.ts";
import {
  type AuthResult,
  type Backend,
  BackendError,
  type BackendRequest,
  type BackendResponse,
  type CoreServices,
  type IssueTokenOptions,
  type LeaseOptions,
  type Operation,
  type TokenEntry,
} from "../types.ts";
import { Acl, type Capability, DEFAULT_POLICY, type Policy, parsePolicy } from "./acl.ts";
import { Cubbyhole } from "./cubbyhole.ts";
import { LeaseStore, WrapStore } from "./leases.ts";
import { SysBackend } from "./sys.ts";
import { TokenBackend } from "./token-api.ts";
import { DEFAULT_TTL, TokenStore } from "./tokens.ts";

/** The Vault API version this server imitates (reported by sys/health and seal-status). */
export const DEV_VERSION = "1.17.0";

export interface RawRequest {
  method: string;
  /** Path after /v1/, no query, already percent-decoded. */
  path: string;
  query: Record<string, string>;
  headers: Headers;
  body: Record<string, unknown>;
  peerCertificateDer?: Uint8Array;
}

export interface RawResponse {
  status: number;
  /** JSON-serialisable, or a string/bytes with contentType; null = no body. */
  body: unknown;
  contentType?: string;
}

/** A core backend's answer that sets envelope fields itself (lease renewals, rewrap, sys/health). */
export interface CoreResponse extends BackendResponse {
  envelope?: { lease_id: string; renewable: boolean; lease_duration: number };
  wrapInfo?: Record<string, unknown>;
  /** Keys copied to the top level of the envelope (Vault's legacy shape of sys/mounts, sys/auth…). */
  topLevel?: Record<string, unknown>;
  /** A JSON body sent as is, without the envelope (sys/health, sys/seal-status). */
  bare?: { status: number; body: unknown };
}

export interface MountConfig {
  defaultLeaseTTL: number; // seconds, 0 = system default
  maxLeaseTTL: number;
}

export interface Mount {
  path: string; // "secret/", "auth/approle/", "ns1/secret/"
  type: string;
  backend: Backend;
  options: Record<string, string> | null;
  accessor: string;
  uuid: string;
  description: string;
  local: boolean;
  sealWrap: boolean;
  config: MountConfig;
  /** Built-in mounts that cannot be disabled (sys/, cubbyhole/, auth/token/, identity/). */
  builtin: boolean;
  /** The namespace that enabled it ("" = root; else "ns1/", also the path's prefix). */
  namespace: string;
}

const PERMISSION_DENIED = "permission denied";
const INVALID_TOKEN = `2 errors occurred:\n\t* ${PERMISSION_DENIED}\n\t* invalid token\n\n`;

/** Paths that need `sudo` on top of the operation's capability (Vault's root-protected paths). */
const SUDO_PREFIXES = [
  "sys/auth/",
  "sys/leases/revoke-prefix/",
  "sys/leases/revoke-force/",
  "sys/leases/lookup/",
  "auth/token/revoke-orphan",
  "sys/raw",
];

function err(status: number, ...errors: string[]): RawResponse {
  return { status, body: { errors } };
}

function normalizeNamespace(raw: string | null): string {
  if (!raw) return "";
  const ns = asMountPath(raw.trim());
  return ns === "root/" ? "" : ns;
}

export class DevCore implements CoreServices {
  readonly tokens: TokenStore;
  readonly leases: LeaseStore;
  readonly wraps: WrapStore;
  readonly policies = new Map<string, Policy>();
  readonly mounts = new Map<string, Mount>();
  readonly rootToken: string;
  private readonly cubbyhole = new Cubbyhole();
  private acls = new Map<string, Acl>();
  private entities = new Map<string, string>();

  constructor(
    readonly clock: Clock,
    rootToken: string,
    private readonly logger: (msg: string) => void = () => {},
    opts: { kvVersion?: "1" | "2" } = {},
  ) {
    this.tokens = new TokenStore(clock);
    this.leases = new LeaseStore(clock);
    this.wraps = new WrapStore(clock);
    this.tokens.onRevoke = (t) => {
      this.leases.revokeForToken(t.id);
      this.cubbyhole.purge(t.id);
    };
    this.rootToken = this.tokens.createRoot(rootToken).id;
    this.setPolicy("default", DEFAULT_POLICY);
    this.addMount(
      "sys/",
      "system",
      new SysBackend(this),
      null,
      "system endpoints used for control, policy and debugging",
      true,
    );
    this.addMount(
      "identity/",
      "identity",
      // Listed like Vault's, but the identity API itself is not implemented.
      {
        type: "identity",
        handle: () => {
          throw new BackendError(404, "");
        },
      },
      null,
      "identity store",
      true,
    );
    this.addMount("cubbyhole/", "cubbyhole", this.cubbyhole, null, "per-token private secret storage", true);
    this.addMount("auth/token/", "token", new TokenBackend(this), null, "token based credentials", true);
    this.mount("secret/", "kv", { version: opts.kvVersion ?? "2" }, "key/value secret storage");
  }

  // --- CoreServices for backends -------------------------------------------------------------
  issueToken(opts: IssueTokenOptions, creationPath: string): AuthResult {
    const policies = [...new Set([...(opts.policies ?? []), "default"])];
    // The auth mount's tuned TTLs stand in for a role's unset ones, as in Vault.
    const mount = this.findMount(creationPath);
    const ttl = opts.ttl || mount?.config.defaultLeaseTTL || 0;
    const mountMax = mount?.config.maxLeaseTTL || 0;
    const maxTTL = opts.maxTTL && mountMax ? Math.min(opts.maxTTL, mountMax) : opts.maxTTL || mountMax;
    const t = this.tokens.make({ ...opts, policies, ttl, maxTTL, noParent: true }, creationPath, "");
    if (opts.entityAlias && mount) {
      // One entity per (auth mount, alias), so repeated logins of the same user share an entity_id.
      const key = `${mount.accessor}\n${opts.entityAlias}`;
      let id = this.entities.get(key);
      if (!id) {
        id = randomUUID();
        this.entities.set(key, id);
      }
      t.entityId = id;
    }
    return this.tokens.authResult(t);
  }
  randomId(): string {
    return randomUUID();
  }
  log(message: string): void {
    this.logger(message);
  }

  /** Stops every timer (token and lease expiry) so a stopped server leaves nothing scheduled. */
  stop(): void {
    this.tokens.stop();
    this.leases.stop();
  }

  // --- policies --------------------------------------------------------------------------------
  setPolicy(name: string, text: string): void {
    this.policies.set(name, parsePolicy(name, text));
    this.acls.clear();
  }

  deletePolicy(name: string): void {
    this.policies.delete(name);
    this.acls.clear();
  }

  /** The merged ACL of a token's policies (cached per policy set). */
  aclOf(t: TokenEntry): Acl {
    const key = t.policies.join("\n");
    let acl = this.acls.get(key);
    if (!acl) {
      acl = new Acl(t.policies.map((p) => this.policies.get(p)).filter((p): p is Policy => p !== undefined));
      this.acls.set(key, acl);
    }
    return acl;
  }

  /** Capabilities of a token on a full path (["root"] for root tokens). */
  capabilitiesOf(t: TokenEntry, path: string): string[] {
    if (t.policies.includes("root")) return ["root"];
    const caps = [...this.aclOf(t).capabilities(path)].sort();
    return caps.length === 0 ? ["deny"] : caps;
  }

  private allowed(t: TokenEntry, path: string, op: Operation): boolean {
    if (t.policies.includes("root")) return true;
    const caps = this.aclOf(t).capabilities(path);
    if (caps.has("deny")) return false;
    const ok =
      op === "update"
        ? caps.has("update") || caps.has("create")
        : op === "create"
          ? caps.has("create") || caps.has("update")
          : caps.has(op as Capability);
    if (!ok) return false;
    return !SUDO_PREFIXES.some((p) => path.startsWith(p)) || caps.has("sudo");
  }

  // --- mounts ----------------------------------------------------------------------------------
  private addMount(
    path: string,
    type: string,
    backend: Backend,
    options: Record<string, string> | null,
    description: string,
    builtin = false,
    isAuth = path.startsWith("auth/"),
  ): Mount {
    const m: Mount = {
      path,
      type,
      backend,
      options,
      accessor: `${isAuth ? "auth_" : ""}${type}_${randomBytes(4).toString("hex")}`,
      uuid: randomUUID(),
      description,
      local: type === "cubbyhole",
      sealWrap: false,
      config: { defaultLeaseTTL: 0, maxLeaseTTL: 0 },
      builtin,
      namespace: "",
    };
    this.mounts.set(path, m);
    return m;
  }

  /**
   * Enables a secret engine ("secret/") or auth method ("auth/approle/") of `type`. `body` is the
   * enable request (description, config, options…), handed to the backend factory.
   */
  mount(
    path: string,
    type: string,
    options: Record<string, string> | null,
    description = "",
    body: Record<string, unknown> = {},
    namespace = "",
  ): Mount {
    const p = asMountPath(path);
    if (p === "") throw new BackendError(400, "missing mount path");
    for (const existing of this.mounts.keys()) {
      if (p.startsWith(existing) || existing.startsWith(p))
        throw new BackendError(400, `path is already in use at ${existing}`);
    }
    const isAuth = p.slice(namespace.length).startsWith("auth/");
    let backend: Backend;
    let opts = options;
    let mountType = type;
    const config = parseMountConfig(body.config);
    let created: Mount | undefined; // tune replaces its config; kv v1 reads it per request
    if (!isAuth && (type === "kv" || type === "kv-v2" || type === "generic")) {
      const version = type === "kv-v2" ? "2" : (options?.version ?? "1");
      if (version !== "1" && version !== "2")
        throw new BackendError(400, `invalid kv version ${JSON.stringify(version)}`);
      opts = { ...(options ?? {}), version };
      mountType = "kv";
      backend =
        version === "2"
          ? new KvV2(this.clock)
          : new KvV1(() => created?.config.defaultLeaseTTL || DEFAULT_TTL);
    } else {
      const factory = isAuth ? authFactories[type] : engineFactories[type];
      if (!factory || type === "token") {
        throw new BackendError(400, `plugin not found in the catalog: ${type}`);
      }
      backend = factory(this, p, { ...body, config: body.config ?? {}, options: options ?? {} });
    }
    const m = this.addMount(p, mountType, backend, opts, description, false, isAuth);
    m.config = config;
    m.namespace = namespace;
    created = m;
    return m;
  }

  unmount(path: string): void {
    const m = this.mounts.get(path);
    if (!m) return;
    if (m.builtin) throw new BackendError(400, `cannot unmount "${path}"`);
    this.mounts.delete(path);
    this.leases.revokePrefix(path);
  }

  /** Replaces a kv v1 mount's backend with kv v2 holding each entry as version 1 (tune options.version=2). */
  upgradeKv(m: Mount): void {
    if (!(m.backend instanceof KvV1)) return;
    const v2 = new KvV2(this.clock);
    for (const [k, v] of m.backend.entries()) v2.importV1(k, v);
    m.backend = v2;
    m.options = { ...(m.options ?? {}), version: "2" };
  }

  findMount(path: string): Mount | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts.values()) {
      if (
        (path.startsWith(m.path) || path === m.path.slice(0, -1)) &&
        (!best || m.path.length > best.path.length)
      )
        best = m;
    }
    return best;
  }

  mountInfo(m: Mount): Record<string, unknown> {
    return {
      accessor: m.accessor,
      config: {
        default_lease_ttl: m.config.defaultLeaseTTL,
        force_no_cache: false,
        max_lease_ttl: m.config.maxLeaseTTL,
      },
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
      this.logger(`[ERROR] core: internal error: ${(e as Error).message}`);
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
    if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === "bearer ") return auth.slice(7).trim();
    return "";
  }

  /** sys/wrapping/{unwrap,lookup} authenticated by the wrapping token itself (Vault allows it). */
  private wrappingShortcut(path: string, tokenId: string, req: RawRequest): RawResponse | undefined {
    if (path !== "sys/wrapping/unwrap" && path !== "sys/wrapping/lookup") return undefined;
    const bodyToken = typeof req.body.token === "string" ? req.body.token : "";
    const wrapToken = bodyToken || tokenId;
    if (path === "sys/wrapping/lookup") {
      // lookup is unauthenticated in Vault: the wrapping token is the only credential needed
      if (!wrapToken) throw new BackendError(400, "missing wrapping token");
      return this.finish({ data: this.wraps.lookup(wrapToken) }, path, req, null, "system");
    }
    if (tokenId && !bodyToken) {
      if (this.wraps.has(tokenId))
        return { status: 200, body: { ...this.wraps.unwrap(tokenId), request_id: randomUUID() } };
      if (!this.tokens.get(tokenId))
        throw new BackendError(400, "wrapping token is not valid or does not exist");
    }
    return undefined;
  }

  private async dispatch(req: RawRequest): Promise<RawResponse> {
    const ns = normalizeNamespace(req.headers.get("x-vault-namespace"));
    let path = req.path;
    while (path.startsWith("/")) path = path.slice(1);
    const op = this.operation(req);
    const tokenId = this.tokenOf(req);
    const fullPath = ns + path;
    const shortcut = this.wrappingShortcut(path, tokenId, req);
    if (shortcut) return shortcut;

    // sys/ and auth/token/ serve every namespace; other mounts live under the namespace's prefix.
    const global = path.startsWith("sys/") || path.startsWith("auth/token/") || path === "auth/token";
    const mount = global ? this.findMount(path) : this.findMount(fullPath);
    if (!mount) {
      // As in Vault, the ACL is checked before routing: only a caller allowed there learns it is unrouted.
      const t = tokenId ? this.tokens.get(tokenId) : undefined;
      if (!t) return err(403, tokenId ? INVALID_TOKEN : PERMISSION_DENIED);
      if (!this.allowed(t, fullPath, op)) return err(403, PERMISSION_DENIED);
      return err(404, `no handler for route "${fullPath}". route entry not found.`);
    }
    const rel = (global ? path : fullPath).slice(
      Math.min(mount.path.length, (global ? path : fullPath).length),
    );
    const unauth =
      mount.backend.unauthenticatedPaths?.some((g) =>
        g.endsWith("*") ? rel.startsWith(g.slice(0, -1)) : rel === g,
      ) ?? false;

    let token: TokenEntry | null = null;
    if (tokenId || !unauth) {
      const t = tokenId ? this.tokens.get(tokenId) : undefined;
      if (!unauth) {
        if (!tokenId) return err(403, PERMISSION_DENIED);
        if (!t) return err(403, INVALID_TOKEN);
        // These answer about the caller's own access, so they do their own checks.
        const selfChecked = path.startsWith("sys/internal/ui/mounts") || path === "sys/capabilities-self";
        if (!selfChecked && !this.allowed(t, fullPath, op)) return err(403, PERMISSION_DENIED);
        this.tokens.use(t);
      }
      token = t ?? null;
    }
    const breq: BackendRequest = {
      operation: op,
      method: req.method,
      path: rel,
      fullPath,
      mountPath: mount.path,
      body: req.body,
      query: req.query,
      token,
      peerCertificateDer: req.peerCertificateDer,
      headers: req.headers,
      namespace: ns,
    };
    try {
      const res = (await mount.backend.handle(breq)) as CoreResponse;
      return this.finish(res, fullPath, req, token, mount.type, mount.path);
    } finally {
      if (token && !unauth) this.tokens.afterUse(token);
    }
  }

  /** A lease's TTLs within the mount's (tuned) limits: an unset TTL takes the mount default, none exceeds the mount max. */
  private boundLease(lease: LeaseOptions, mountPath: string | undefined): LeaseOptions {
    const cfg = mountPath ? this.mounts.get(mountPath)?.config : undefined;
    const max = Math.min(
      lease.maxTTL && lease.maxTTL > 0 ? lease.maxTTL : DEFAULT_TTL,
      cfg?.maxLeaseTTL || DEFAULT_TTL,
    );
    const ttl = Math.min(lease.ttl > 0 ? lease.ttl : cfg?.defaultLeaseTTL || DEFAULT_TTL, max);
    return { ...lease, ttl, maxTTL: max };
  }

  /** Builds Vault's envelope around a backend's answer; creates its lease; wraps it when asked. */
  finish(
    res: CoreResponse,
    path: string,
    req: RawRequest,
    token: TokenEntry | null,
    mountType: string,
    mountPath?: string,
  ): RawResponse {
    if (res.raw) return { status: res.raw.status, body: res.raw.body, contentType: res.raw.contentType };
    if (res.bare) return { status: res.bare.status, body: res.bare.body };
    const status = res.status ?? (res.data === undefined && !res.auth && !res.wrapInfo ? 204 : 200);
    if (status === 204) return { status: 204, body: null };
    let leaseId = "";
    let leaseDuration = res.leaseDuration ?? 0;
    let renewable = false;
    if (res.lease && status < 400) {
      const l = this.leases.create(path, token?.id ?? "", this.boundLease(res.lease, mountPath));
      if (token) this.tokens.watchExpiry(token.id);
      leaseId = l.id;
      leaseDuration = l.ttl;
      renewable = res.lease.renewable;
    }
    if (res.envelope) ({ lease_id: leaseId, renewable, lease_duration: leaseDuration } = res.envelope);
    const body: Record<string, unknown> = {
      request_id: randomUUID(),
      lease_id: leaseId,
      renewable,
      lease_duration: leaseDuration,
      data: res.data ?? null,
      wrap_info: res.wrapInfo ?? null,
      warnings: res.warnings?.length ? res.warnings : null,
      auth: res.auth ?? null,
      mount_type: mountType,
    };
    if (res.topLevel) for (const [k, v] of Object.entries(res.topLevel)) if (!(k in body)) body[k] = v;
    const wrapTTL = req.headers.get("x-vault-wrap-ttl");
    if (wrapTTL && status < 400 && !res.wrapInfo && path !== "sys/wrapping/unwrap") {
      const ttl = parseWrapTTL(wrapTTL);
      const wrapInfo = this.wraps.wrap(body, ttl, path, res.auth?.accessor ?? "");
      return {
        status: 200,
        body: {
          ...body,
          lease_id: "",
          renewable: false,
          lease_duration: 0,
          data: null,
          auth: null,
          warnings: null,
          wrap_info: wrapInfo,
        },
      };
    }
    return { status, body };
  }
}

function parseWrapTTL(raw: string): number {
  let ms: number;
  try {
    ms = parseDurationSecond(/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw.trim());
  } catch {
    throw new BackendError(400, `error parsing X-Vault-Wrap-TTL: invalid duration ${JSON.stringify(raw)}`);
  }
  if (ms < 1000) throw new BackendError(400, "wrapping TTL must be at least one second");
  return Math.floor(ms / 1000);
}

/** `config` of a mount enable/tune request: default_lease_ttl / max_lease_ttl as seconds or durations. */
export function parseMountConfig(
  raw: unknown,
  base: MountConfig = { defaultLeaseTTL: 0, maxLeaseTTL: 0 },
): MountConfig {
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new BackendError(400, "config must be an object");
  const c = raw as Record<string, unknown>;
  const secs = (k: string, fallback: number): number => {
    const v = c[k];
    if (v === undefined || v === "") return fallback;
    if (v === "system") return 0;
    try {
      return Math.floor(parseDurationSecond(v) / 1000);
    } catch (e) {
      throw new BackendError(400, `invalid ${k}: ${(e as Error).message}`);
    }
  };
  const out = {
    defaultLeaseTTL: secs("default_lease_ttl", base.defaultLeaseTTL),
    maxLeaseTTL: secs("max_lease_ttl", base.maxLeaseTTL),
  };
  if (out.maxLeaseTTL > 0 && out.defaultLeaseTTL > out.maxLeaseTTL) {
    throw new BackendError(400, "default lease TTL cannot be greater than max lease TTL");
  }
  return out;
}
