/**
 * auth/token/: the token auth method — create (child or orphan, role-less), lookup, renew and
 * revoke by token, by accessor or self. Vault's rules for who may create what: a non-root caller's
 * child may only carry a subset of its policies, and only root may pick an id or make orphans via
 * auth/token/create (auth/token/create-orphan is the non-root way).
 */
import { parseDurationSecond } from "../../clock/duration.ts";
import { listKeys } from "../paths.ts";
import {
  type Backend,
  BackendError,
  type BackendRequest,
  type Operation,
  type TokenEntry,
} from "../types.ts";
import type { CoreResponse, DevCore } from "./core.ts";

type Body = Record<string, unknown>;

function allow(op: Operation, ...ops: Operation[]): void {
  if (!ops.includes(op)) throw new BackendError(405, "unsupported operation");
}

function seconds(b: Body, k: string): number {
  const v = b[k];
  if (v === undefined || v === null || v === "") return 0;
  try {
    return Math.floor(parseDurationSecond(v) / 1000);
  } catch (e) {
    throw new BackendError(400, `invalid ${k}: ${(e as Error).message}`);
  }
}

function bool(b: Body, k: string, fallback: boolean): boolean {
  const v = b[k];
  if (v === undefined || v === null || v === "") return fallback;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new BackendError(400, `invalid ${k}: want a boolean`);
}

function stringList(b: Body, k: string): string[] | undefined {
  const v = b[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string")
    return v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === "string"))
    return v.map((s) => s.trim()).filter(Boolean);
  throw new BackendError(400, `invalid ${k}: want a list of strings`);
}

function stringMap(b: Body, k: string): Record<string, string> | undefined {
  const v = b[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v))
    throw new BackendError(400, `invalid ${k}: want a map of strings`);
  return Object.fromEntries(Object.entries(v as Body).map(([x, y]) => [x, String(y)]));
}

export class TokenBackend implements Backend {
  readonly type = "token";

  constructor(private readonly core: DevCore) {}

  handle(req: BackendRequest): CoreResponse {
    const caller = req.token!;
    const b = req.body;
    const op = req.operation;
    const [head, ...tail] = req.path.split("/");
    const arg = tail.join("/");
    switch (head) {
      case "create":
      case "create-orphan":
        allow(op, "update", "create");
        if (arg !== "")
          throw new BackendError(
            400,
            `unknown role: ${arg} (the dev server supports role-less token creation only)`,
          );
        return this.create(caller, b, head === "create-orphan");
      case "lookup-self":
        allow(op, "read", "update", "create");
        return { data: this.core.tokens.lookupData(caller) };
      case "lookup": {
        allow(op, "read", "update", "create");
        const id = arg || this.str(b, "token") || req.query.token || "";
        return { data: this.core.tokens.lookupData(this.target(id)) };
      }
      case "lookup-accessor": {
        allow(op, "update", "create");
        const d = this.core.tokens.lookupData(this.byAccessor(arg || this.str(b, "accessor")));
        d.id = "";
        return { data: d };
      }
      case "renew-self":
        allow(op, "update", "create");
        return this.renew(caller, b);
      case "renew":
        allow(op, "update", "create");
        return this.renew(this.target(arg || this.str(b, "token")), b);
      case "renew-accessor":
        allow(op, "update", "create");
        return this.renew(this.byAccessor(this.str(b, "accessor")), b);
      case "revoke-self":
        allow(op, "update", "create");
        this.revoke(caller);
        return { status: 204 };
      case "revoke":
        allow(op, "update", "create");
        this.revoke(this.target(arg || this.str(b, "token")));
        return { status: 204 };
      case "revoke-accessor":
        allow(op, "update", "create");
        this.revoke(this.byAccessor(arg || this.str(b, "accessor")));
        return { status: 204 };
      case "revoke-orphan": {
        allow(op, "update", "create");
        const t = this.target(arg || this.str(b, "token"));
        this.core.tokens.revokeOrphan(t.id);
        return { status: 204 };
      }
      case "accessors": {
        allow(op, "list");
        const keys = listKeys(this.core.tokens.accessors(), "");
        return { data: { keys } };
      }
      case "roles":
        if (op === "list") throw new BackendError(404, "");
        throw new BackendError(400, "token roles are not supported by the dev server");
      default:
        throw new BackendError(404, "");
    }
  }

  private str(b: Body, k: string): string {
    const v = b[k];
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") throw new BackendError(400, `invalid ${k}: want a string`);
    return v.trim();
  }

  private target(id: string): TokenEntry {
    if (!id) throw new BackendError(400, "missing token");
    const t = this.core.tokens.get(id);
    if (!t) throw new BackendError(403, "bad token");
    return t;
  }

  private byAccessor(accessor: string): TokenEntry {
    if (!accessor) throw new BackendError(400, "missing accessor");
    const t = this.core.tokens.getByAccessor(accessor);
    if (!t) throw new BackendError(400, "invalid accessor");
    return t;
  }

  private revoke(t: TokenEntry): void {
    if (t.type === "batch") throw new BackendError(400, "batch tokens cannot be revoked");
    this.core.tokens.revoke(t.id);
  }

  private renew(t: TokenEntry, b: Body): CoreResponse {
    const warning = this.core.tokens.renew(t, seconds(b, "increment"));
    return { auth: this.core.tokens.authResult(t), warnings: warning ? [warning] : undefined };
  }

  private create(caller: TokenEntry, b: Body, orphanPath: boolean): CoreResponse {
    const callerIsRoot = caller.policies.includes("root");
    const requested = stringList(b, "policies");
    const noDefault = bool(b, "no_default_policy", false);
    const type = this.str(b, "type") || "service";
    if (type !== "service" && type !== "batch")
      throw new BackendError(400, `invalid token type ${JSON.stringify(type)}`);
    const id = this.str(b, "id");
    const noParent = orphanPath || bool(b, "no_parent", false);
    if (id && !callerIsRoot)
      throw new BackendError(400, "root or sudo privileges required to specify token id");
    if (!orphanPath && noParent && !callerIsRoot)
      throw new BackendError(400, "root or sudo privileges required to create orphan token");
    let policies = requested ?? caller.policies.filter((p) => p !== "default" || !noDefault);
    if (requested && !callerIsRoot) {
      const allowed = new Set(caller.policies);
      if (!requested.every((p) => allowed.has(p) || p === "default"))
        throw new BackendError(400, "child policies must be subset of parent");
    }
    policies = policies.filter((p) => !(noDefault && p === "default"));
    if (!noDefault && !policies.includes("root") && !policies.includes("default")) policies.push("default");
    if (policies.length === 0) throw new BackendError(400, "token must have at least one policy");
    const numUses = b.num_uses === undefined || b.num_uses === "" ? 0 : Number(b.num_uses);
    if (!Number.isInteger(numUses)) throw new BackendError(400, "invalid num_uses: want an integer");
    if (numUses < 0) throw new BackendError(400, "number of uses cannot be negative");
    const period = seconds(b, "period");
    if (type === "batch") {
      if (policies.includes("root")) throw new BackendError(400, "batch tokens cannot be root tokens");
      if (period > 0) throw new BackendError(400, "batch tokens cannot be periodic");
      if (numUses > 0) throw new BackendError(400, "batch tokens cannot have a use count");
    }
    const displayName = this.str(b, "display_name");
    const t = this.core.tokens.make(
      {
        policies,
        meta: stringMap(b, "meta"),
        displayName: displayName ? `token-${displayName.replace(/[^A-Za-z0-9_-]+/g, "-")}` : "token",
        ttl: seconds(b, "ttl"),
        explicitMaxTTL: seconds(b, "explicit_max_ttl"),
        period,
        numUses,
        renewable: bool(b, "renewable", true),
        type,
        noParent,
      },
      "auth/token/create",
      noParent ? "" : caller.id,
      id || undefined,
    );
    return { auth: this.core.tokens.authResult(t) };
  }
}
