/**
 * The lifetime watcher against the dev server, both on one FakeClock, so token TTLs, renewals and
 * the watcher's sleeps line up exactly. random() is pinned at 0.5, so every grace period is 15 %
 * of the lease and the renewal backoff takes its interval's midpoint.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type LifetimeResult, watchLifetime } from "../../src/auth/lifetime.ts";
import { FakeClock } from "../../src/clock/clock.ts";
import { type DevServer, startDevServer } from "../helpers/devserver.ts";
import { clientFor, rootCall, until } from "./helpers.ts";

let clock: FakeClock;
let server: DevServer;
const half = () => 0.5;

beforeEach(async () => {
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  server = await startDevServer({ clock });
});
afterEach(async () => {
  await server.stop();
});

async function token(body: Record<string, unknown>): Promise<string> {
  return (await rootCall(server, "POST", "auth/token/create", { policies: ["default"], ...body })).auth
    .client_token;
}

/** Runs the watcher, stepping the clock from one watcher sleep to the next, and records events (ms since start). */
async function drive(
  input: { token: string; leaseMs: number; renewable: boolean },
  api = clientFor(server, clock),
): Promise<{ renewals: number[]; errors: number[]; result: LifetimeResult; endedAt: number }> {
  const start = clock.now();
  const renewals: number[] = [];
  const errors: number[] = [];
  let result: LifetimeResult | undefined;
  let inFlight = false;
  const counting = {
    request: async (req: Parameters<typeof api.request>[0]) => {
      inFlight = true;
      try {
        return await api.request(req);
      } finally {
        inFlight = false;
      }
    },
  };
  const run = watchLifetime(input, {
    api: counting,
    clock,
    random: half,
    onRenew: () => renewals.push(clock.now() - start),
    onRenewError: () => errors.push(clock.now() - start),
  }).then((r) => {
    result = r;
  });
  for (let i = 0; i < 50 && !result; i++) {
    // Wait until the watcher is idle: its renew-self call answered and its sleep scheduled.
    await until(
      () => result !== undefined || (!inFlight && clock.pendingTimers() > 0),
      "the watcher to sleep",
    );
    if (!result) await clock.runNext();
  }
  await run;
  return { renewals, errors, result: result!, endedAt: clock.now() - start };
}

describe("lifetime watcher (exact schedule)", () => {
  test("renewable token: renewed at once, then every 2/3·lease + grace/3, until the max TTL leaves only grace", async () => {
    const t = await token({ ttl: "60s", explicit_max_ttl: "200s" });
    const r = await drive({ token: t, leaseMs: 60_000, renewable: true });
    // grace = 6 s + 0.5·6 s = 9 s; sleep = 40 s + 3 s = 43 s. At 172 s only 28 s are left:
    // 28 − (18.67 + 3) = 6.3 s ≤ 9 s → done.
    expect(r.renewals).toEqual([0, 43_000, 86_000, 129_000, 172_000]);
    expect(r.result).toEqual({ reason: "expiring" });
    expect(r.endedAt).toBe(172_000);
  });

  test("non-renewable token: no renew call, re-auth due at 2/3·TTL + grace/3", async () => {
    const t = await token({ ttl: "60s", renewable: false });
    const r = await drive({ token: t, leaseMs: 60_000, renewable: false });
    expect(r.renewals).toEqual([]);
    expect(r.result.reason).toBe("expiring");
    expect(r.endedAt).toBe(43_000);
  });

  test("a lease that grows recomputes the grace period", async () => {
    // Login said 30 s, but renew-self extends to the token's 90 s TTL: grace becomes 13.5 s.
    const t = await token({ ttl: "90s", explicit_max_ttl: "100s" });
    const r = await drive({ token: t, leaseMs: 30_000, renewable: true });
    // sleep = 60 s + 4.5 s = 64.5 s; at 64.5 s the lease is capped to 35.5 s → 35 s (whole seconds):
    // 35 − (23.33 + 4.5) = 7.17 s ≤ 13.5 s → done.
    expect(r.renewals).toEqual([0, 64_500]);
    expect(r.endedAt).toBe(64_500);
  });

  test("permission denied on renew-self makes the token non-renewable (no more calls)", async () => {
    const t = await token({ ttl: "60s" });
    await rootCall(server, "POST", "auth/token/revoke", { token: t });
    const r = await drive({ token: t, leaseMs: 60_000, renewable: true });
    expect(r.errors).toEqual([0]);
    expect(r.renewals).toEqual([]);
    expect(r.result.reason).toBe("expiring");
    expect(r.endedAt).toBe(43_000);
  });

  test("renewal errors back off 10 s, 20 s, … (±50 %) from the last known expiry and end in an error", async () => {
    const t = await token({ ttl: "60s" });
    const down = clientFor({ address: "http://127.0.0.1:1" }, clock);
    const r = await drive({ token: t, leaseMs: 60_000, renewable: true }, down);
    // Waits are the intervals' midpoints: 10 s, then 20 s; at 30 s only 30 s are left and the next
    // wait (40 s) would overshoot the grace window → done with the renewal error.
    expect(r.errors).toEqual([0, 10_000, 30_000]);
    expect(r.result.reason).toBe("error");
    expect(r.result.error?.message).toContain("127.0.0.1:1");
    expect(r.endedAt).toBe(30_000);
  });

  test("stops promptly when aborted", async () => {
    const t = await token({ ttl: "60s" });
    const abort = new AbortController();
    const run = watchLifetime(
      { token: t, leaseMs: 60_000, renewable: true },
      { api: clientFor(server, clock), clock, random: half },
      abort.signal,
    );
    await until(() => clock.pendingTimers() > 0, "the first sleep");
    abort.abort();
    expect(await run).toEqual({ reason: "stopped" });
  });
});
