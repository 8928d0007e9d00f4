/**
 * When to look at a secret again — Vault Agent's decision table (spec §5.1), as a pure function
 * of the response, the time and a random source. Kept pure so that every branch is testable
 * without a server or a clock.
 */
import type { VaultResponse } from "../vault/types.ts";

export interface RefreshSettings {
  /** static_secret_render_interval, ms (default 5m). */
  staticInterval: number;
  /** lease_renewal_threshold (default 0.9). */
  threshold: number;
}

export type RefreshPlan =
  /** Start renewing the lease now (renewable leases and auth tokens). */
  | { type: "renew"; leaseId: string; leaseMs: number; authToken?: string }
  /** Fetch again after `delayMs`. */
  | { type: "refetch"; delayMs: number; reason: string };

function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v !== null && typeof v === "object" && "text" in v) return Number((v as { text: string }).text);
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}

/** threshold ± 5 %, falling back to the threshold when that leaves (0,1). */
export function leaseFraction(threshold: number, random: () => number): number {
  const f = threshold + (random() * 0.1 - 0.05);
  return f > 0 && f < 1 ? f : threshold;
}

/** The plan for a `secret` read or write response. */
export function planSecretRefresh(
  resp: VaultResponse | null,
  now: number,
  settings: RefreshSettings,
  random: () => number,
): RefreshPlan {
  const auth = resp?.auth ?? null;
  const renewable = auth ? auth.renewable : (resp?.renewable ?? false);
  let baseSeconds = auth && auth.lease_duration > 0 ? auth.lease_duration : (resp?.lease_duration ?? 0);
  const data = (resp?.data ?? {}) as Record<string, unknown>;
  const leaseId = resp?.lease_id ?? "";

  if (renewable && resp) {
    if (auth?.client_token)
      return { type: "renew", leaseId: "", leaseMs: baseSeconds * 1000, authToken: auth.client_token };
    if (leaseId) return { type: "renew", leaseId, leaseMs: baseSeconds * 1000 };
  }
  if (leaseId === "" && typeof data.certificate === "string" && data.expiration !== undefined) {
    const exp = num(data.expiration);
    if (Number.isFinite(exp)) baseSeconds = Math.max(0, exp - now / 1000);
  } else if (leaseId === "" && data.secret_id !== undefined && num(data.secret_id_ttl) > 0) {
    baseSeconds = num(data.secret_id_ttl) + 1;
  } else if (leaseId === "" && data.rotation_period !== undefined) {
    const ttl = num(data.ttl);
    if (!(ttl > 0)) return { type: "refetch", delayMs: 1000, reason: "rotating secret returned ttl=0" };
    return { type: "refetch", delayMs: (ttl + 1) * 1000, reason: "rotation" };
  }
  if (!(baseSeconds > 0)) {
    return {
      type: "refetch",
      delayMs: settings.staticInterval * leaseFraction(settings.threshold, random),
      reason: "static",
    };
  }
  return {
    type: "refetch",
    delayMs: baseSeconds * 1000 * leaseFraction(settings.threshold, random),
    reason: "lease",
  };
}

/**
 * The lifetime-watcher step used for renewable leases (spec §3.4 / §5.1): after learning that
 * `remainingMs` are left, sleep 2/3·remaining + grace/3; stop (→ fetch anew) once the remaining
 * time falls into the grace window. Returns undefined when it is time to stop renewing.
 */
export function renewSleep(remainingMs: number, graceMs: number): number | undefined {
  if (remainingMs <= graceMs) return undefined;
  const sleep = (2 / 3) * remainingMs + graceMs / 3;
  if (remainingMs - sleep <= graceMs) return undefined;
  return sleep;
}

/** Grace: uniform in [10 %, 20 %) of the lease. */
export function graceFor(leaseMs: number, random: () => number): number {
  return leaseMs * (0.1 + 0.1 * random());
}

/** Consul Template's fetch retry: base × 2^n, capped, no jitter. */
export function retryDelay(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** attempt);
}
