import { describe, expect, test } from "bun:test";
import { kv2DataPath, kv2ListPath, splitPath } from "../../src/dependency/kv.ts";
import {
  graceFor,
  leaseFraction,
  planSecretRefresh,
  renewSleep,
  retryDelay,
} from "../../src/watch/schedule.ts";
import type { VaultResponse } from "../../src/vault/types.ts";

const settings = { staticInterval: 300_000, threshold: 0.9 };
const mid = () => 0.5; // fraction = threshold exactly, grace = 15 %

function resp(over: Partial<VaultResponse>): VaultResponse {
  return {
    request_id: "r",
    lease_id: "",
    lease_duration: 0,
    renewable: false,
    data: {},
    wrap_info: null,
    warnings: null,
    auth: null,
    ...over,
  };
}

describe("refresh decision table (spec §5.1)", () => {
  test("renewable lease → renew", () => {
    expect(
      planSecretRefresh(
        resp({ lease_id: "db/creds/x/1", renewable: true, lease_duration: 60 }),
        0,
        settings,
        mid,
      ),
    ).toEqual({
      type: "renew",
      leaseId: "db/creds/x/1",
      leaseMs: 60_000,
    });
  });
  test("renewable auth secret → renew-self with its token", () => {
    const r = resp({
      auth: {
        client_token: "s.tok",
        accessor: "a",
        policies: null,
        metadata: null,
        lease_duration: 120,
        renewable: true,
      },
    });
    expect(planSecretRefresh(r, 0, settings, mid)).toEqual({
      type: "renew",
      leaseId: "",
      leaseMs: 120_000,
      authToken: "s.tok",
    });
  });
  test("KV v2 (no lease) → static interval × fraction", () => {
    const p = planSecretRefresh(resp({ data: { data: { a: 1 } } }), 0, settings, mid);
    expect(p).toEqual({ type: "refetch", delayMs: 270_000, reason: "static" });
    // the fraction varies ±5 % around the threshold
    expect(planSecretRefresh(resp({}), 0, settings, () => 0)).toMatchObject({
      type: "refetch",
      delayMs: 255_000,
    });
  });
  test("non-renewable lease → lease × fraction", () => {
    expect(planSecretRefresh(resp({ lease_duration: 100, lease_id: "x" }), 0, settings, mid)).toMatchObject({
      type: "refetch",
      delayMs: 90_000,
    });
  });
  test("certificate without lease → time to expiry × fraction", () => {
    const now = 1_000_000_000;
    const r = resp({ data: { certificate: "-----BEGIN CERTIFICATE-----", expiration: now / 1000 + 1000 } });
    expect(planSecretRefresh(r, now, settings, mid)).toMatchObject({ type: "refetch", delayMs: 900_000 });
  });
  test("approle secret_id without lease → secret_id_ttl + 1", () => {
    const r = resp({ data: { secret_id: "x", secret_id_ttl: 99 } });
    expect(planSecretRefresh(r, 0, settings, mid)).toMatchObject({ type: "refetch", delayMs: 90_000 });
  });
  test("rotating static role → exactly ttl + 1 s", () => {
    expect(planSecretRefresh(resp({ data: { rotation_period: 3600, ttl: 59 } }), 0, settings, mid)).toEqual({
      type: "refetch",
      delayMs: 60_000,
      reason: "rotation",
    });
  });
  test("fraction stays inside (0,1)", () => {
    expect(leaseFraction(0.99, () => 1)).toBe(0.99);
    expect(leaseFraction(0.5, () => 1)).toBeCloseTo(0.55);
  });
});

describe("lifetime step", () => {
  test("sleeps 2/3 of what is left plus a third of the grace", () => {
    expect(renewSleep(90_000, 9_000)).toBe(63_000);
  });
  test("stops in the grace window", () => {
    expect(renewSleep(9_000, 9_000)).toBeUndefined();
    expect(renewSleep(20_000, 9_000)).toBeUndefined(); // 20 - (13.33+3) = 3.67 ≤ 9
  });
  test("grace is 10–20 %", () => {
    expect(graceFor(100_000, () => 0)).toBe(10_000);
    expect(graceFor(100_000, () => 0.999)).toBeCloseTo(19_990);
  });
  test("CT retry backoff", () => {
    expect([0, 1, 2, 8, 9].map((n) => retryDelay(n, 250, 60_000))).toEqual([250, 500, 1000, 60_000, 60_000]);
  });
});

describe("KV v2 path rewriting (spec §5.3)", () => {
  test.each([
    ["secret", "secret/data"],
    ["secret/foo", "secret/data/foo"],
    ["secret/foo/bar", "secret/data/foo/bar"],
    ["secret/data/foo", "secret/data/foo"],
    ["secret/metadata/foo", "secret/metadata/foo"],
    ["secret/subkeys/foo", "secret/subkeys/foo"],
  ])("read %s → %s", (path, want) => {
    expect(kv2DataPath(path, "secret/")).toBe(want);
  });
  test.each([
    ["secret", "secret/metadata"],
    ["secret/foo", "secret/metadata/foo"],
    ["secret/metadata/foo", "secret/metadata/foo"],
  ])("list %s → %s", (path, want) => {
    expect(kv2ListPath(path, "secret/")).toBe(want);
  });
  test("paths are trimmed and keep their query", () => {
    expect(splitPath(" /secret/foo/?version=3 ")).toEqual({ path: "secret/foo", query: { version: "3" } });
  });
});
