import { describe, expect, test } from "bun:test";
import { AuthBackoff, resolveBackoff } from "../../src/auth/backoff.ts";

describe("auth backoff (Vault's sdk algorithm)", () => {
  test("first wait is the jittered minimum, then doubling of the previous wait with 0–25 % off, capped", () => {
    // random() = 0.5 → every jitter takes 12.5 % off.
    const b = new AuthBackoff(1000, 10_000, () => 0.5);
    const waits = Array.from({ length: 7 }, () => b.next());
    // 875; 2·875=1750→1531; 3062→2679; 5358→4688; 9376→8204; min(16408,10000)→8750; 8750
    expect(waits).toEqual([875, 1531, 2679, 4688, 8204, 8750, 8750]);
  });

  test("no jitter with random 0 gives the plain doubling series; reset starts over", () => {
    const b = new AuthBackoff(1000, 5000, () => 0);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([1000, 2000, 4000, 5000, 5000]);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  test("every wait stays within [75 %, 100 %] of the doubled value", () => {
    let r = 0;
    const b = new AuthBackoff(1000, 300_000, () => (r = (r + 0.37) % 1));
    let prev = 0;
    for (let i = 0; i < 20; i++) {
      const w = b.next();
      const base = i === 0 ? 1000 : Math.min(2 * prev, 300_000);
      expect(w).toBeGreaterThanOrEqual(Math.floor(base * 0.75));
      expect(w).toBeLessThanOrEqual(base);
      prev = w;
    }
  });

  test("defaults 1s / 5m; min > max is Vault's error; min == max is allowed (newer Vault)", () => {
    expect(resolveBackoff(0, 0)).toEqual({ min: 1000, max: 300_000 });
    expect(() => new AuthBackoff(10_000, 5000)).toThrow(
      "auth handler: min_backoff cannot be greater than max_backoff",
    );
    expect(() => new AuthBackoff(0, 500)).toThrow(
      "auth handler: min_backoff cannot be greater than max_backoff",
    );
    expect(new AuthBackoff(2000, 2000, () => 0).next()).toBe(2000);
  });
});
