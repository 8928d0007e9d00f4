/**
 * The AppRole auth method: role/<name> CRUD with per-field sub-paths, role-id, secret-id
 * (generate, list, lookup, destroy, by accessor), custom-secret-id, and login. Secret IDs expire
 * on the core's clock and count their uses; login failures give Vault's deliberately vague
 * "invalid role or secret ID".
 */
import { randomUUID } from "node:crypto";
import { bool, int, list, rfc3339, seconds, str, stringMap } from "../engines/shared/fields.ts";
import {
  badRequest,
  dispatch,
  listResponse,
  noContent,
  notFound,
  type Route,
} from "../engines/shared/router.ts";
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../types.ts";
import { safeEqual } from "./shared/secrets.ts";
import {
  defaultTokenParams,
  issueLoginToken,
  parseTokenParams,
  renderTokenParams,
  type TokenParams,
} from "./shared/token-fields.ts";

interface Role {
  name: string;
  roleId: string;
  bindSecretId: boolean;
  secretIdBoundCidrs: string[];
  secretIdNumUses: number;
  secretIdTTL: number;
  localSecretIds: boolean;
  token: TokenParams;
  /** accessor → secret ID entry */
  secretIds: Map<string, SecretIdEntry>;
}

interface SecretIdEntry {
  secretId: string;
  accessor: string;
  metadata: Record<string, string>;
  cidrList: string[];
  tokenBoundCidrs: string[];
  numUses: number; // remaining; 0 = unlimited
  ttl: number;
  creationTime: number;
  lastUpdatedTime: number;
  expirationTime: number | null;
}

/** role/<name>/<field> sub-paths and the body field each maps to. */
const ROLE_FIELD_PATHS: Record<string, string> = {
  policies: "token_policies",
  "token-policies": "token_policies",
  "secret-id-num-uses": "secret_id_num_uses",
  "secret-id-ttl": "secret_id_ttl",
  "secret-id-bound-cidrs": "secret_id_bound_cidrs",
  "token-bound-cidrs": "token_bound_cidrs",
  "token-num-uses": "token_num_uses",
  "token-ttl": "token_ttl",
  "token-max-ttl": "token_max_ttl",
  period: "token_period",
  "bind-secret-id": "bind_secret_id",
};

export class AppRoleBackend implements Backend {
  readonly type = "approle";
  readonly unauthenticatedPaths = ["login"];
  private roles = new Map<string, Role>();
  private routes: Route[];

  constructor(private core: CoreServices) {
    const role = (n: string) => this.mustRole(n);
    this.routes = [
      { pattern: /^role$/, list: () => listResponse(this.roles.keys()) },
      {
        pattern: /^role\/([^/]+)$/,
        read: (_r, [n]) => {
          const r = this.roles.get(n.toLowerCase());
          return r ? { data: this.renderRole(r) } : notFound();
        },
        write: (r, [n]) => this.writeRole(r, n),
        delete: (_r, [n]) => {
          this.roles.delete(n.toLowerCase());
          return noContent();
        },
      },
      {
        pattern: /^role\/([^/]+)\/role-id$/,
        read: (_r, [n]) => {
          const r = this.roles.get(n.toLowerCase());
          return r ? { data: { role_id: r.roleId } } : notFound();
        },
        write: (r, [n]) => this.setRoleId(role(n), str(r.body, "role_id")),
      },
      {
        pattern: /^role\/([^/]+)\/secret-id$/,
        write: (r, [n]) => this.createSecretId(r, role(n), randomUUID()),
        list: (_r, [n]) => {
          const r = role(n);
          this.sweep(r);
          return listResponse(r.secretIds.keys());
        },
      },
      {
        pattern: /^role\/([^/]+)\/custom-secret-id$/,
        write: (r, [n]) => {
          const id = str(r.body, "secret_id");
          if (id === "") throw badRequest("missing secret_id");
          return this.createSecretId(r, role(n), id);
        },
      },
      {
        pattern: /^role\/([^/]+)\/secret-id\/lookup$/,
        write: (r, [n]) => {
          const e = this.findSecretId(role(n), str(r.body, "secret_id"));
          return e ? { data: renderSecretId(e) } : noContent();
        },
      },
      {
        pattern: /^role\/([^/]+)\/secret-id\/destroy$/,
        write: (r, [n]) => this.destroySecretId(role(n), str(r.body, "secret_id")),
        delete: (r, [n]) => this.destroySecretId(role(n), str(r.body, "secret_id")),
      },
      {
        pattern: /^role\/([^/]+)\/secret-id-accessor\/lookup$/,
        write: (r, [n]) => {
          const ro = role(n);
          this.sweep(ro);
          const e = ro.secretIds.get(str(r.body, "secret_id_accessor"));
          if (!e)
            throw badRequest(
              `failed to find accessor entry for secret_id_accessor: "${str(r.body, "secret_id_accessor")}"`,
            );
          return { data: renderSecretId(e) };
        },
      },
      {
        pattern: /^role\/([^/]+)\/secret-id-accessor\/destroy$/,
        write: (r, [n]) => this.destroyByAccessor(role(n), str(r.body, "secret_id_accessor")),
        delete: (r, [n]) => this.destroyByAccessor(role(n), str(r.body, "secret_id_accessor")),
      },
      {
        pattern: /^role\/([^/]+)\/([a-z-]+)$/,
        read: (_r, [n, f]) => this.readRoleField(role(n), f),
        write: (r, [n, f]) => this.writeRoleField(r, role(n), f),
      },
      { pattern: /^tidy\/secret-id$/, write: () => this.tidy() },
      { pattern: /^login$/, write: (r) => this.login(r) },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  private mustRole(name: string): Role {
    const r = this.roles.get(name.toLowerCase());
    if (!r) throw badRequest(`role "${name.toLowerCase()}" does not exist`);
    return r;
  }

  private renderRole(r: Role): Record<string, unknown> {
    return {
      bind_secret_id: r.bindSecretId,
      local_secret_ids: r.localSecretIds,
      secret_id_bound_cidrs: r.secretIdBoundCidrs,
      secret_id_num_uses: r.secretIdNumUses,
      secret_id_ttl: r.secretIdTTL,
      ...renderTokenParams(r.token),
    };
  }

  private writeRole(req: BackendRequest, rawName: string): BackendResponse {
    const name = rawName.toLowerCase();
    if (!/^[\w.@-]+$/.test(name)) throw badRequest(`invalid role name "${rawName}"`);
    const prev = this.roles.get(name);
    const b = req.body;
    const role: Role = {
      name,
      roleId: prev?.roleId ?? "",
      bindSecretId: bool(b, "bind_secret_id", prev?.bindSecretId ?? true),
      secretIdBoundCidrs:
        b.secret_id_bound_cidrs !== undefined
          ? list(b, "secret_id_bound_cidrs")
          : (prev?.secretIdBoundCidrs ?? []),
      secretIdNumUses: int(b, "secret_id_num_uses", prev?.secretIdNumUses ?? 0),
      secretIdTTL: seconds(b, "secret_id_ttl", prev?.secretIdTTL ?? 0),
      localSecretIds: prev?.localSecretIds ?? bool(b, "local_secret_ids", false),
      token: parseTokenParams(b, prev?.token ?? defaultTokenParams()),
      secretIds: prev?.secretIds ?? new Map(),
    };
    if (role.secretIdNumUses < 0) throw badRequest("secret_id_num_uses cannot be negative");
    if (!role.bindSecretId && role.secretIdBoundCidrs.length === 0 && role.token.boundCidrs.length === 0) {
      throw badRequest("at least one constraint should be enabled on the role");
    }
    const requestedId = str(b, "role_id");
    this.roles.set(name, role);
    if (requestedId) this.setRoleId(role, requestedId);
    else if (!role.roleId) role.roleId = randomUUID();
    return noContent();
  }

  private setRoleId(role: Role, roleId: string): BackendResponse {
    if (roleId === "") throw badRequest("missing role_id");
    for (const other of this.roles.values()) {
      if (other !== role && other.roleId === roleId) throw badRequest("role_id already in use");
    }
    role.roleId = roleId;
    return noContent();
  }

  private readRoleField(role: Role, sub: string): BackendResponse {
    const field = ROLE_FIELD_PATHS[sub];
    if (!field) throw badRequest(`unsupported role field "${sub}"`);
    const rendered = this.renderRole(role);
    const key = sub === "policies" ? "policies" : sub === "period" ? "period" : field;
    return { data: { [key]: rendered[field], ...(key !== field ? { [field]: rendered[field] } : {}) } };
  }

  private writeRoleField(req: BackendRequest, role: Role, sub: string): BackendResponse {
    const field = ROLE_FIELD_PATHS[sub];
    if (!field) throw badRequest(`unsupported role field "${sub}"`);
    const legacy = sub === "policies" ? "policies" : sub === "period" ? "period" : field;
    const value = req.body[field] ?? req.body[legacy];
    if (value === undefined) throw badRequest(`missing ${field}`);
    return this.writeRole({ ...req, body: { [field]: value } }, role.name);
  }

  private createSecretId(req: BackendRequest, role: Role, secretId: string): BackendResponse {
    const b = req.body;
    const ttl = seconds(b, "ttl", 0);
    const numUses = int(b, "num_uses", role.secretIdNumUses);
    if (numUses < 0) throw badRequest("num_uses cannot be negative");
    if (role.secretIdNumUses > 0 && (numUses === 0 || numUses > role.secretIdNumUses)) {
      throw badRequest("num_uses cannot be higher than the role's secret_id_num_uses");
    }
    if (role.secretIdTTL > 0 && ttl > role.secretIdTTL) {
      throw badRequest("ttl cannot be longer than the role's secret_id_ttl");
    }
    const effectiveTTL = ttl > 0 ? ttl : role.secretIdTTL;
    if (this.findSecretId(role, secretId)) throw badRequest("SecretID is already registered");
    const now = this.core.clock.now();
    const entry: SecretIdEntry = {
      secretId,
      accessor: randomUUID(),
      metadata: stringMap(b, "metadata") ?? {},
      cidrList: list(b, "cidr_list"),
      tokenBoundCidrs: list(b, "token_bound_cidrs"),
      numUses,
      ttl: effectiveTTL,
      creationTime: now,
      lastUpdatedTime: now,
      expirationTime: effectiveTTL > 0 ? now + effectiveTTL * 1000 : null,
    };
    role.secretIds.set(entry.accessor, entry);
    return {
      data: {
        secret_id: secretId,
        secret_id_accessor: entry.accessor,
        secret_id_num_uses: numUses,
        secret_id_ttl: effectiveTTL,
      },
    };
  }

  /** Drops expired secret IDs (Vault's tidy does this periodically; we do it on access). */
  private sweep(role: Role): void {
    const now = this.core.clock.now();
    for (const [acc, e] of role.secretIds) {
      if (e.expirationTime !== null && now >= e.expirationTime) role.secretIds.delete(acc);
    }
  }

  private findSecretId(role: Role, secretId: string): SecretIdEntry | undefined {
    if (secretId === "") throw badRequest("missing secret_id");
    this.sweep(role);
    for (const e of role.secretIds.values()) if (safeEqual(e.secretId, secretId)) return e;
    return undefined;
  }

  private destroySecretId(role: Role, secretId: string): BackendResponse {
    const e = this.findSecretId(role, secretId);
    if (e) role.secretIds.delete(e.accessor);
    return noContent();
  }

  private destroyByAccessor(role: Role, accessor: string): BackendResponse {
    if (accessor === "") throw badRequest("missing secret_id_accessor");
    if (!role.secretIds.delete(accessor)) {
      throw badRequest(`failed to find accessor entry for secret_id_accessor: "${accessor}"`);
    }
    return noContent();
  }

  private tidy(): BackendResponse {
    for (const r of this.roles.values()) this.sweep(r);
    return {
      status: 202,
      data: null,
      warnings: [
        "Tidy operation successfully started. Any information from the operation will be printed to Vault's server logs.",
      ],
    };
  }

  private login(req: BackendRequest): BackendResponse {
    const roleId = str(req.body, "role_id");
    if (roleId === "") throw badRequest("missing role_id");
    let role: Role | undefined;
    for (const r of this.roles.values()) if (safeEqual(r.roleId, roleId)) role = r;
    if (!role) throw badRequest("invalid role or secret ID");
    let metadata: Record<string, string> = {};
    if (role.bindSecretId) {
      const secretId = str(req.body, "secret_id");
      if (secretId === "") throw badRequest("missing secret_id");
      const entry = this.findSecretId(role, secretId);
      if (!entry) throw badRequest("invalid role or secret ID");
      if (entry.numUses > 0) {
        entry.numUses -= 1;
        // The use that brings the count to zero is the last one allowed.
        if (entry.numUses === 0) role.secretIds.delete(entry.accessor);
      }
      entry.lastUpdatedTime = this.core.clock.now();
      metadata = entry.metadata;
    }
    const auth = issueLoginToken(
      this.core,
      role.token,
      { meta: { ...metadata, role_name: role.name }, displayName: "", aliasName: role.roleId },
      req,
    );
    return { auth };
  }
}

function renderSecretId(e: SecretIdEntry): Record<string, unknown> {
  return {
    cidr_list: e.cidrList,
    creation_time: rfc3339(e.creationTime),
    expiration_time: e.expirationTime === null ? "0001-01-01T00:00:00Z" : rfc3339(e.expirationTime),
    last_updated_time: rfc3339(e.lastUpdatedTime),
    metadata: e.metadata,
    secret_id_accessor: e.accessor,
    secret_id_num_uses: e.numUses,
    secret_id_ttl: e.ttl,
    token_bound_cidrs: e.tokenBoundCidrs,
  };
}

export const approleFactory: BackendFactory = (core) => new AppRoleBackend(core);
