/**
 * A database-style dynamic-credentials engine (mount type "database") without a database:
 * config/<name> and roles/<name> are stored and validated as Vault does, creds/<role> mints a
 * fresh username/password under a lease the core renews, revokes and expires (TTL and max TTL
 * from the role, the mount's defaults otherwise), and static-roles/<name> rotate their password
 * every rotation_period on the core's clock.
 */
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../../types.ts";
import { bool, list, mountTTLs, rfc3339, seconds, str } from "../shared/fields.ts";
import { badRequest, dispatch, listResponse, noContent, notFound, type Route } from "../shared/router.ts";
import { globMatch } from "../../auth/shared/jwt-verify.ts";
import { generatePassword, generateUsername } from "./credentials.ts";

interface DbConfig {
  pluginName: string;
  pluginVersion: string;
  connectionUrl: string;
  username: string;
  allowedRoles: string[];
  verifyConnection: boolean;
  passwordPolicy: string;
  rootRotationStatements: string[];
}

interface DynamicRole {
  dbName: string;
  defaultTTL: number;
  maxTTL: number;
  creationStatements: string[];
  revocationStatements: string[];
  rollbackStatements: string[];
  renewStatements: string[];
  credentialType: string;
  /** Dev-server extension: Vault's database leases are always renewable. */
  renewable: boolean;
}

interface StaticRole {
  dbName: string;
  username: string;
  rotationPeriod: number;
  rotationStatements: string[];
  credentialType: string;
  password: string;
  lastRotation: number; // ms
}

export interface ActiveCredential {
  username: string;
  role: string;
  createdAt: number;
}

export class DatabaseBackend implements Backend {
  readonly type = "database";
  private configs = new Map<string, DbConfig>();
  private roles = new Map<string, DynamicRole>();
  private staticRoles = new Map<string, StaticRole>();
  /** The "database users" that currently exist (issued and not yet revoked or expired). */
  private active = new Map<string, ActiveCredential>();
  private routes: Route[];
  private ttls: { defaultTTL: number; maxTTL: number };

  constructor(
    private core: CoreServices,
    options: Record<string, unknown>,
  ) {
    this.ttls = mountTTLs(options);
    this.routes = [
      { pattern: /^config$/, list: () => listResponse(this.configs.keys()) },
      {
        pattern: /^config\/([^/]+)$/,
        read: (_r, [n]) => {
          const c = this.configs.get(n);
          return c ? { data: renderConfig(c) } : notFound();
        },
        write: (r, [n]) => this.writeConfig(r, n),
        delete: (_r, [n]) => {
          this.configs.delete(n);
          return noContent();
        },
      },
      {
        pattern: /^(reset|rotate-root)\/([^/]+)$/,
        write: (_r, [, n]) => {
          this.mustConfig(n);
          return noContent();
        },
      },
      { pattern: /^roles$/, list: () => listResponse(this.roles.keys()) },
      {
        pattern: /^roles\/([^/]+)$/,
        read: (_r, [n]) => {
          const role = this.roles.get(n);
          return role ? { data: renderRole(role) } : notFound();
        },
        write: (r, [n]) => this.writeRole(r, n),
        delete: (_r, [n]) => {
          this.roles.delete(n);
          return noContent();
        },
      },
      { pattern: /^creds\/([^/]+)$/, read: (r, [n]) => this.creds(r, n) },
      { pattern: /^static-roles$/, list: () => listResponse(this.staticRoles.keys()) },
      {
        pattern: /^static-roles\/([^/]+)$/,
        read: (_r, [n]) => {
          const role = this.staticRoles.get(n);
          if (!role) return notFound();
          this.catchUpRotation(role);
          return { data: renderStaticRole(role) };
        },
        write: (r, [n]) => this.writeStaticRole(r, n),
        delete: (_r, [n]) => {
          this.staticRoles.delete(n);
          return noContent();
        },
      },
      { pattern: /^static-creds\/([^/]+)$/, read: (_r, [n]) => this.staticCreds(n) },
      {
        pattern: /^rotate-role\/([^/]+)$/,
        write: (_r, [n]) => {
          const role = this.staticRoles.get(n);
          if (!role) throw badRequest("no static role found for role name");
          this.rotate(role, this.core.clock.now());
          return noContent();
        },
      },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  /** Credentials currently live (for tests and diagnostics; Vault has no such listing). */
  activeCredentials(): ActiveCredential[] {
    return [...this.active.values()];
  }

  private mustConfig(name: string): DbConfig {
    const c = this.configs.get(name);
    if (!c) throw badRequest(`failed to find entry for connection with name: "${name}"`);
    return c;
  }

  private writeConfig(req: BackendRequest, name: string): BackendResponse {
    const b = req.body;
    const prev = this.configs.get(name);
    const pluginName = b.plugin_name !== undefined ? str(b, "plugin_name") : (prev?.pluginName ?? "");
    if (pluginName === "") throw badRequest("empty plugin name");
    this.configs.set(name, {
      pluginName,
      pluginVersion: str(b, "plugin_version", prev?.pluginVersion ?? ""),
      connectionUrl: str(b, "connection_url", prev?.connectionUrl ?? ""),
      username: str(b, "username", prev?.username ?? ""),
      allowedRoles: b.allowed_roles !== undefined ? list(b, "allowed_roles") : (prev?.allowedRoles ?? []),
      verifyConnection: bool(b, "verify_connection", prev?.verifyConnection ?? true),
      passwordPolicy: str(b, "password_policy", prev?.passwordPolicy ?? ""),
      rootRotationStatements:
        b.root_rotation_statements !== undefined
          ? list(b, "root_rotation_statements")
          : (prev?.rootRotationStatements ?? []),
    });
    return noContent();
  }

  private writeRole(req: BackendRequest, name: string): BackendResponse {
    const b = req.body;
    const prev = this.roles.get(name);
    const statements = (f: string, d: string[] | undefined) =>
      b[f] !== undefined ? statementList(b[f]) : (d ?? []);
    const role: DynamicRole = {
      dbName: b.db_name !== undefined ? str(b, "db_name") : (prev?.dbName ?? ""),
      defaultTTL: seconds(b, "default_ttl", prev?.defaultTTL ?? 0),
      maxTTL: seconds(b, "max_ttl", prev?.maxTTL ?? 0),
      creationStatements: statements("creation_statements", prev?.creationStatements),
      revocationStatements: statements("revocation_statements", prev?.revocationStatements),
      rollbackStatements: statements("rollback_statements", prev?.rollbackStatements),
      renewStatements: statements("renew_statements", prev?.renewStatements),
      credentialType: str(b, "credential_type", prev?.credentialType ?? "password"),
      renewable: bool(b, "renewable", prev?.renewable ?? true),
    };
    if (role.dbName === "") throw badRequest("empty database name attribute");
    if (this.staticRoles.has(name)) throw badRequest("Role and Static Role names must be unique");
    if (role.maxTTL > 0 && role.defaultTTL > role.maxTTL)
      throw badRequest("ttl cannot be greater than max_ttl");
    if (role.credentialType !== "password")
      throw badRequest(
        `invalid credential_type "${role.credentialType}" for the dev server; only "password" is supported`,
      );
    this.roles.set(name, role);
    return noContent();
  }

  private checkAllowed(config: DbConfig, roleName: string): void {
    if (!config.allowedRoles.some((p) => globMatch(p, roleName))) {
      throw badRequest(`"${roleName}" is not an allowed role`);
    }
  }

  private creds(req: BackendRequest, name: string): BackendResponse {
    const role = this.roles.get(name);
    if (!role) throw badRequest(`unknown role: ${name}`);
    const config = this.mustConfig(role.dbName);
    this.checkAllowed(config, name);
    const now = this.core.clock.now();
    const username = generateUsername(req.token?.displayName ?? "token", name, now);
    const password = generatePassword();
    this.active.set(username, { username, role: name, createdAt: now });
    const maxTTL = role.maxTTL || this.ttls.maxTTL;
    const ttl = Math.min(role.defaultTTL || this.ttls.defaultTTL, maxTTL);
    return {
      data: { username, password },
      lease: {
        ttl,
        maxTTL,
        renewable: role.renewable,
        onRevoke: () => {
          this.active.delete(username);
        },
        // Vault grants the increment asked for, or the role's default TTL; the core caps both at max TTL.
        onRenew: (increment) => (increment > 0 ? increment : role.defaultTTL || this.ttls.defaultTTL),
      },
    };
  }

  private writeStaticRole(req: BackendRequest, name: string): BackendResponse {
    const b = req.body;
    const prev = this.staticRoles.get(name);
    const dbName = b.db_name !== undefined ? str(b, "db_name") : (prev?.dbName ?? "");
    if (dbName === "") throw badRequest("database name is a required field");
    const username = b.username !== undefined ? str(b, "username") : (prev?.username ?? "");
    if (username === "") throw badRequest("username is a required field to create a static account");
    if (prev && prev.username !== username) throw badRequest("cannot update static account username");
    if (this.roles.has(name)) throw badRequest("Role and Static Role names must be unique");
    const rotationPeriod = seconds(b, "rotation_period", prev?.rotationPeriod ?? 0);
    if (rotationPeriod === 0)
      throw badRequest(
        "one of rotation_schedule or rotation_period must be provided to create a static account",
      );
    if (rotationPeriod < 5) throw badRequest("rotation_period must be 5 seconds or more");
    const config = this.mustConfig(dbName);
    this.checkAllowed(config, name);
    const now = this.core.clock.now();
    const role: StaticRole = {
      dbName,
      username,
      rotationPeriod,
      rotationStatements:
        b.rotation_statements !== undefined
          ? statementList(b.rotation_statements)
          : (prev?.rotationStatements ?? []),
      credentialType: str(b, "credential_type", prev?.credentialType ?? "password"),
      password: prev?.password ?? "",
      lastRotation: prev?.lastRotation ?? now,
    };
    // Vault sets a fresh password when it takes over the account.
    if (!prev) this.rotate(role, now);
    this.staticRoles.set(name, role);
    return noContent();
  }

  private rotate(role: StaticRole, at: number): void {
    role.password = generatePassword();
    role.lastRotation = at;
  }

  /** Applies the rotations that fell due since the last look, as Vault's rotation queue would have. */
  private catchUpRotation(role: StaticRole): void {
    const now = this.core.clock.now();
    const period = role.rotationPeriod * 1000;
    const due = Math.floor((now - role.lastRotation) / period);
    if (due >= 1) this.rotate(role, role.lastRotation + due * period);
  }

  private staticCreds(name: string): BackendResponse {
    const role = this.staticRoles.get(name);
    if (!role) throw badRequest("unknown role: " + name);
    this.catchUpRotation(role);
    const now = this.core.clock.now();
    const ttl = Math.max(0, Math.ceil((role.lastRotation + role.rotationPeriod * 1000 - now) / 1000));
    return {
      data: {
        last_vault_rotation: rfc3339(role.lastRotation),
        password: role.password,
        rotation_period: role.rotationPeriod,
        ttl,
        username: role.username,
      },
    };
  }
}

/** Statements may be a list, a single SQL string, or a JSON-encoded list. */
function statementList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string") {
    const t = v.trim();
    if (t.startsWith("[")) {
      try {
        const parsed = JSON.parse(t);
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // Not JSON: a single statement that happens to start with "[".
      }
    }
    return t === "" ? [] : [v];
  }
  throw badRequest("statements must be a string or a list of strings");
}

function renderConfig(c: DbConfig): Record<string, unknown> {
  return {
    allowed_roles: c.allowedRoles,
    connection_details: { connection_url: c.connectionUrl, username: c.username },
    password_policy: c.passwordPolicy,
    plugin_name: c.pluginName,
    plugin_version: c.pluginVersion,
    root_credentials_rotate_statements: c.rootRotationStatements,
    verify_connection: c.verifyConnection,
  };
}

function renderRole(r: DynamicRole): Record<string, unknown> {
  return {
    creation_statements: r.creationStatements,
    credential_type: r.credentialType,
    db_name: r.dbName,
    default_ttl: r.defaultTTL,
    max_ttl: r.maxTTL,
    renew_statements: r.renewStatements,
    revocation_statements: r.revocationStatements,
    rollback_statements: r.rollbackStatements,
  };
}

function renderStaticRole(r: StaticRole): Record<string, unknown> {
  return {
    credential_type: r.credentialType,
    db_name: r.dbName,
    last_vault_rotation: rfc3339(r.lastRotation),
    rotation_period: r.rotationPeriod,
    rotation_statements: r.rotationStatements,
    username: r.username,
  };
}

export const databaseFactory: BackendFactory = (core, _mountPath, options) =>
  new DatabaseBackend(core, options);
