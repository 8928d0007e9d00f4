/**
 * The token store: service tokens (hvs.), batch tokens (hvb.), TTLs, explicit max TTL, periods,
 * use limits, parent/child revocation. Expiry runs on the injected clock: lookups check it, and
 * a token that has something to take down with it (leases, child tokens) also gets a deadline that
 * revokes it even if nobody asks. Plain tokens need no timer, which keeps a FakeClock's queue to
 * what the test itself scheduled.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock, Timer } from "../../clock/clock.ts";
import { type AuthResult, BackendError, type IssueTokenOptions, type TokenEntry } from "../types.ts";
import { deadline } from "./deadline.ts";

/** Vault's system default and maximum lease TTL (768h), in seconds. */
export const DEFAULT_TTL = 768 * 3600;
const MAX_TTL = DEFAULT_TTL;

function newId(prefix: string): string {
  return `${prefix}${randomBytes(18).toString("base64url")}`;
}

export class TokenStore {
  private byId = new Map<string, TokenEntry>();
  private byAccessor = new Map<string, string>();
  private children = new Map<string, Set<string>>();
  private timers = new Map<string, Timer>();
  private lastRenewal = new Map<string, number>();
  /** Called when a token goes away (its leases and cubbyhole go with it). */
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
    if (id !== undefined && this.byId.has(id))
      throw new BackendError(400, "cannot create a token with a duplicate ID");
    const now = this.clock.now();
    const type = opts.type ?? "service";
    const period = opts.period ?? 0;
    const explicitMax = opts.explicitMaxTTL ?? 0;
    const root = opts.policies.includes("root");
    // Max TTL: the smaller of the backend's max, the explicit max, and the system max.
    let capSec = opts.maxTTL && opts.maxTTL > 0 ? Math.min(opts.maxTTL, MAX_TTL) : MAX_TTL;
    if (explicitMax > 0) capSec = Math.min(capSec, explicitMax);
    let ttl = period > 0 ? period : opts.ttl && opts.ttl > 0 ? opts.ttl : root ? 0 : DEFAULT_TTL;
    if (period > 0 && explicitMax > 0) ttl = Math.min(ttl, explicitMax);
    if (period === 0 && ttl > 0) ttl = Math.min(ttl, capSec);
    const entry: TokenEntry = {
      id: id ?? newId(type === "batch" ? "hvb." : "hvs."),
      accessor: type === "batch" ? "" : randomBytes(18).toString("base64url"),
      policies: [...new Set(opts.policies)].sort(),
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
      expireTime: ttl === 0 ? null : now + ttl * 1000,
      // Periodic tokens without an explicit max live as long as they are renewed.
      maxExpireTime: ttl === 0 || (period > 0 && explicitMax === 0) ? null : now + capSec * 1000,
    };
    this.byId.set(entry.id, entry);
    if (entry.accessor) this.byAccessor.set(entry.accessor, entry.id);
    if (entry.parent) {
      const set = this.children.get(entry.parent) ?? new Set();
      set.add(entry.id);
      this.children.set(entry.parent, set);
      this.watchExpiry(entry.parent);
    }
    return entry;
  }

  /** Makes sure the token is revoked when it expires (it now owns a lease or a child). */
  watchExpiry(id: string): void {
    const t = this.byId.get(id);
    if (t && !this.timers.has(id)) this.arm(t);
  }

  private arm(t: TokenEntry): void {
    this.timers.get(t.id)?.cancel();
    this.timers.delete(t.id);
    if (t.expireTime === null) return;
    this.timers.set(
      t.id,
      deadline(this.clock, t.expireTime, () => this.revoke(t.id)),
    );
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
    const id = accessor ? this.byAccessor.get(accessor) : undefined;
    return id ? this.get(id) : undefined;
  }

  accessors(): IterableIterator<string> {
    return this.byAccessor.keys();
  }

  /** Counts one use; a token whose uses run out is revoked after this request completes. */
  use(t: TokenEntry): void {
    if (t.numUses <= 0) return;
    t.numUses--;
    if (t.numUses === 0) t.numUses = -1; // "last use in progress"
  }

  afterUse(t: TokenEntry): void {
    if (t.numUses === -1) this.revoke(t.id);
  }

  /** Renews a token; returns a warning when the max TTL capped the increment. */
  renew(t: TokenEntry, increment: number): string | undefined {
    if (t.type === "batch") throw new BackendError(400, "batch tokens cannot be renewed");
    if (!t.renewable) throw new BackendError(400, "lease is not renewable");
    if (t.expireTime === null) return undefined; // non-expiring (root): nothing to extend
    const now = this.clock.now();
    let ttl = t.period > 0 ? t.period : increment > 0 ? increment : t.ttl;
    let warning: string | undefined;
    if (t.maxExpireTime !== null) {
      const left = Math.max(0, Math.floor((t.maxExpireTime - now) / 1000));
      if (ttl > left) {
        warning = `TTL of "${ttl}s" exceeded the effective max_ttl of "${left}s"; TTL value is capped accordingly`;
        ttl = left;
      }
    }
    t.expireTime = now + ttl * 1000;
    this.lastRenewal.set(t.id, now);
    if (this.timers.has(t.id)) this.arm(t);
    return warning;
  }

  revoke(id: string): void {
    const t = this.byId.get(id);
    if (!t) return;
    this.byId.delete(id);
    this.byAccessor.delete(t.accessor);
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    this.lastRenewal.delete(id);
    const kids = this.children.get(id);
    this.children.delete(id);
    if (t.parent) this.children.get(t.parent)?.delete(id);
    for (const child of kids ?? []) this.revoke(child);
    this.onRevoke?.(t);
  }

  /** Revokes only this token; its children become orphans. */
  revokeOrphan(id: string): void {
    for (const child of this.children.get(id) ?? []) {
      const c = this.byId.get(child);
      if (c) {
        c.parent = "";
        c.orphan = true;
      }
    }
    this.children.delete(id);
    this.revoke(id);
  }

  /** Stops every expiry timer (server shutdown). */
  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
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
    const data: Record<string, unknown> = {
      accessor: t.accessor,
      creation_time: Math.floor(t.issueTime / 1000),
      creation_ttl: t.ttl,
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
      policies: t.policies,
      renewable: t.renewable,
      ttl: this.ttlLeft(t),
      type: t.type,
    };
    if (t.period > 0) data.period = t.period;
    const renewed = this.lastRenewal.get(t.id);
    if (renewed !== undefined) {
      data.last_renewal = iso(renewed);
      data.last_renewal_time = Math.floor(renewed / 1000);
    }
    return data;
  }
}
