/**
 * The token store: service tokens (hvs.), batch tokens (hvb.), TTLs, explicit max TTL, periods,
 * use limits, parent/child revocation — all expiring on the injected clock (checked lazily on
 * every lookup, so a FakeClock drives expiry without timers).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../../clock/clock.ts";
import { type AuthResult, BackendError, type IssueTokenOptions, type TokenEntry } from "../types.ts";

export const DEFAULT_TTL = 768 * 3600; // seconds: Vault's system default and max
const MAX_TTL = DEFAULT_TTL;

function newId(prefix: string): string {
  return `${prefix}${randomBytes(18).toString("base64url")}`;
}

export class TokenStore {
  private byId = new Map<string, TokenEntry>();
  private byAccessor = new Map<string, string>();
  /** Called when a token goes away (its leases are revoked). */
  onRevoke?: (token: TokenEntry) => void;

  constructor(private readonly clock: Clock) {}

  createRoot(id: string): TokenEntry {
    const t = this.make({ policies: ["root"], displayName: "root" }, "auth/token/root", "", id);
    t.ttl = 0;
    t.expireTime = null;
    t.maxExpireTime = null;
    return t;
  }

  /** Creates a token; `parent` is the creating token (or "" for orphans and logins). */
  make(opts: IssueTokenOptions, path: string, parent: string, id?: string): TokenEntry {
    const now = this.clock.now();
    const type = opts.type ?? "service";
    const period = opts.period ?? 0;
    const explicitMax = opts.explicitMaxTTL ?? 0;
    let ttl = period > 0 ? period : opts.ttl && opts.ttl > 0 ? opts.ttl : DEFAULT_TTL;
    const capSec = Math.min(opts.maxTTL && opts.maxTTL > 0 ? opts.maxTTL : MAX_TTL, explicitMax > 0 ? explicitMax : MAX_TTL);
    if (period === 0) ttl = Math.min(ttl, capSec);
    const policies = [...new Set(opts.policies)].sort();
    const entry: TokenEntry = {
      id: id ?? newId(type === "batch" ? "hvb." : "hvs."),
      accessor: randomBytes(12).toString("base64url"),
      policies,
      meta: opts.meta ?? null,
      displayName: opts.displayName ?? "token",
      path,
      ttl,
      explicitMaxTTL: explicitMax,
      period,
      numUses: opts.numUses ?? 0,
      renewable: type === "batch" ? false : (opts.renewable ?? true),
      type,
      orphan: opts.noParent === true || parent === "",
      parent: opts.noParent ? "" : parent,
      entityId: opts.entityAlias ? randomUUID() : "",
      issueTime: now,
      expireTime: now + ttl * 1000,
      maxExpireTime: period > 0 && explicitMax === 0 ? null : now + capSec * 1000,
    };
    this.byId.set(entry.id, entry);
    this.byAccessor.set(entry.accessor, entry.id);
    return entry;
  }

  /** A live token, or undefined (expired tokens are revoked on the way). */
  get(id: string): TokenEntry | undefined {
    const t = this.byId.get(id);
    if (!t) return undefined;
    if (t.expireTime !== null && this.clock.now() >= t.expireTime) {
      this.revoke(t.id);
      return undefined;
    }
    return t;
  }

  getByAccessor(accessor: string): TokenEntry | undefined {
    const id = this.byAccessor.get(accessor);
    return id ? this.get(id) : undefined;
  }

  /** Counts one use; a token whose uses run out is revoked after this request. */
  use(t: TokenEntry): void {
    if (t.numUses <= 0) return;
    t.numUses--;
    if (t.numUses === 0) {
      t.numUses = -1; // marks "last use in progress": revoked after the response
    }
  }

  afterUse(t: TokenEntry): void {
    if (t.numUses === -1) this.revoke(t.id);
  }

  renew(t: TokenEntry, increment: number): TokenEntry {
    if (!t.renewable) throw new BackendError(400, "lease is not renewable");
    const now = this.clock.now();
    let ttl = t.period > 0 ? t.period : increment > 0 ? increment : t.ttl;
    if (t.maxExpireTime !== null) ttl = Math.min(ttl, Math.max(0, Math.floor((t.maxExpireTime - now) / 1000)));
    t.expireTime = now + ttl * 1000;
    t.ttl = ttl;
    return t;
  }

  revoke(id: string): void {
    const t = this.byId.get(id);
    if (!t) return;
    this.byId.delete(id);
    this.byAccessor.delete(t.accessor);
    for (const child of [...this.byId.values()]) if (child.parent === id) this.revoke(child.id);
    this.onRevoke?.(t);
  }

  /** Seconds left (0 for non-expiring). */
  ttlLeft(t: TokenEntry): number {
    return t.expireTime === null ? 0 : Math.max(0, Math.round((t.expireTime - this.clock.now()) / 1000));
  }

  authResult(t: TokenEntry): AuthResult {
    return {
      client_token: t.id,
      accessor: t.accessor,
      policies: t.policies,
      token_policies: t.policies,
      metadata: t.meta,
      lease_duration: this.ttlLeft(t),
      renewable: t.renewable,
      entity_id: t.entityId,
      token_type: t.type,
      orphan: t.orphan,
      mfa_requirement: null,
      num_uses: Math.max(0, t.numUses),
    };
  }

  lookupData(t: TokenEntry): Record<string, unknown> {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      accessor: t.accessor,
      creation_time: Math.floor(t.issueTime / 1000),
      creation_ttl: t.expireTime === null ? 0 : Math.round((t.expireTime - t.issueTime) / 1000),
      display_name: t.displayName,
      entity_id: t.entityId,
      expire_time: iso(t.expireTime),
      explicit_max_ttl: t.explicitMaxTTL,
      id: t.id,
      issue_time: iso(t.issueTime),
      meta: t.meta,
      num_uses: Math.max(0, t.numUses),
      orphan: t.orphan,
      path: t.path,
      period: t.period || undefined,
      policies: t.policies,
      renewable: t.renewable,
      ttl: this.ttlLeft(t),
      type: t.type,
    };
  }
}
