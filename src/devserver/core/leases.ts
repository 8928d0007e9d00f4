/**
 * Leases of dynamic secrets and response-wrapping tokens. Expiry runs on the injected clock: a
 * deadline per lease revokes it (calling the engine's onRevoke) when its TTL or max TTL ends.
 */
import { randomBytes } from "node:crypto";
import type { Clock, Timer } from "../../clock/clock.ts";
import { BackendError, type LeaseOptions } from "../types.ts";
import { deadline } from "./deadline.ts";
import { DEFAULT_TTL } from "./tokens.ts";

interface Lease {
  id: string;
  token: string;
  issueTime: number;
  expireTime: number;
  maxExpireTime: number | null;
  lastRenewal: number | null;
  opts: LeaseOptions;
  timer?: Timer;
}

export class LeaseStore {
  private leases = new Map<string, Lease>();
  constructor(private readonly clock: Clock) {}

  create(path: string, token: string, opts: LeaseOptions): { id: string; ttl: number } {
    const now = this.clock.now();
    const id = `${path}/${randomBytes(12).toString("base64url")}`;
    const lease: Lease = {
      id,
      token,
      issueTime: now,
      expireTime: now + opts.ttl * 1000,
      // Without an engine max, Vault's system max (768h) bounds renewals.
      maxExpireTime: now + (opts.maxTTL && opts.maxTTL > 0 ? opts.maxTTL : DEFAULT_TTL) * 1000,
      lastRenewal: null,
      opts,
    };
    this.leases.set(id, lease);
    this.arm(lease);
    return { id, ttl: opts.ttl };
  }

  private arm(l: Lease): void {
    l.timer?.cancel();
    l.timer = deadline(this.clock, l.expireTime, () => this.revoke(l.id));
  }

  private live(id: string): Lease {
    const l = this.leases.get(id);
    if (!l || this.clock.now() >= l.expireTime) {
      if (l) this.revoke(id);
      throw new BackendError(400, "lease not found");
    }
    return l;
  }

  renew(id: string, increment: number): { id: string; ttl: number; renewable: boolean; warning?: string } {
    const l = this.live(id);
    if (!l.opts.renewable) throw new BackendError(400, "lease is not renewable");
    const now = this.clock.now();
    let ttl = l.opts.onRenew ? l.opts.onRenew(increment) : increment > 0 ? increment : l.opts.ttl;
    let warning: string | undefined;
    if (l.maxExpireTime !== null) {
      const left = Math.max(0, Math.floor((l.maxExpireTime - now) / 1000));
      if (ttl > left) {
        warning = `TTL of "${ttl}s" exceeded the effective max_ttl of "${left}s"; TTL value is capped accordingly`;
        ttl = left;
      }
    }
    l.expireTime = now + ttl * 1000;
    l.lastRenewal = now;
    this.arm(l);
    return { id, ttl, renewable: true, warning };
  }

  /** Stops every expiry timer (server shutdown). */
  stop(): void {
    for (const l of this.leases.values()) l.timer?.cancel();
  }

  has(id: string): boolean {
    return this.leases.has(id);
  }

  lookup(id: string): Record<string, unknown> {
    const l = this.live(id);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: l.id,
      issue_time: iso(l.issueTime),
      expire_time: iso(l.expireTime),
      last_renewal: iso(l.lastRenewal),
      renewable: l.opts.renewable,
      ttl: Math.max(0, Math.round((l.expireTime - this.clock.now()) / 1000)),
    };
  }

  revoke(id: string): void {
    const l = this.leases.get(id);
    if (!l) return;
    this.leases.delete(id);
    l.timer?.cancel();
    try {
      l.opts.onRevoke?.();
    } catch {}
  }

  revokePrefix(prefix: string): void {
    for (const id of [...this.leases.keys()]) if (id.startsWith(prefix)) this.revoke(id);
  }

  /** Vault revokes a token's leases with the token. */
  revokeForToken(token: string): void {
    for (const l of [...this.leases.values()]) if (l.token === token) this.revoke(l.id);
  }

  ids(): IterableIterator<string> {
    return this.leases.keys();
  }
}

interface Wrapped {
  token: string;
  accessor: string;
  body: Record<string, unknown>;
  creationPath: string;
  creationTime: number;
  ttl: number;
  expireTime: number;
}

/** Response wrapping: single-use tokens holding a stored response. */
export class WrapStore {
  private byToken = new Map<string, Wrapped>();
  constructor(private readonly clock: Clock) {}

  wrap(
    body: Record<string, unknown>,
    ttl: number,
    creationPath: string,
    wrappedAccessor = "",
  ): Record<string, unknown> {
    const now = this.clock.now();
    const w: Wrapped = {
      token: `hvs.${randomBytes(24).toString("base64url")}`,
      accessor: randomBytes(12).toString("base64url"),
      body,
      creationPath,
      creationTime: now,
      ttl,
      expireTime: now + ttl * 1000,
    };
    this.byToken.set(w.token, w);
    return {
      token: w.token,
      accessor: w.accessor,
      ttl,
      creation_time: new Date(now).toISOString(),
      creation_path: creationPath,
      wrapped_accessor: wrappedAccessor,
    };
  }

  private live(token: string): Wrapped {
    const w = this.byToken.get(token);
    if (!w || this.clock.now() >= w.expireTime) {
      this.byToken.delete(token);
      throw new BackendError(400, "wrapping token is not valid or does not exist");
    }
    return w;
  }

  has(token: string): boolean {
    try {
      this.live(token);
      return true;
    } catch {
      return false;
    }
  }

  unwrap(token: string): Record<string, unknown> {
    const w = this.live(token);
    this.byToken.delete(token);
    return w.body;
  }

  lookup(token: string): Record<string, unknown> {
    const w = this.live(token);
    return {
      creation_path: w.creationPath,
      creation_time: new Date(w.creationTime).toISOString(),
      creation_ttl: w.ttl,
    };
  }

  rewrap(token: string): Record<string, unknown> {
    const w = this.live(token);
    this.byToken.delete(token);
    return this.wrap(w.body, w.ttl, w.creationPath);
  }
}
