import { describe, expect, test } from "bun:test";
import { FakeClock } from "../../src/clock/clock.ts";
import { Quiescence } from "../../src/render/quiescence.ts";

function setup(min: number, max: number) {
  const clock = new FakeClock();
  const fired: number[] = [];
  const start = clock.now();
  const q = new Quiescence(clock, { min, max }, () => fired.push(clock.now() - start));
  return { clock, q, fired };
}

describe("wait { min, max }", () => {
  test("a single change renders after min", async () => {
    const { clock, q, fired } = setup(2000, 10_000);
    q.change();
    await clock.advance(1999);
    expect(fired).toEqual([]);
    expect(q.pending).toBe(true);
    await clock.advance(1);
    expect(fired).toEqual([2000]);
    expect(q.pending).toBe(false);
  });

  test("changes within min push the render back", async () => {
    const { clock, q, fired } = setup(2000, 10_000);
    q.change();
    await clock.advance(1500);
    q.change();
    await clock.advance(1500);
    q.change();
    await clock.advance(1999);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([5000]);
  });

  test("a change stream that never pauses renders at max, then a new window starts", async () => {
    const { clock, q, fired } = setup(2000, 5000);
    for (let t = 0; t < 12_000; t += 500) {
      q.change();
      await clock.advance(500);
    }
    // windows: 0→5000, then the change at 5000 opens 5000→10000; the one at 11500 still waits
    expect(fired).toEqual([5000, 10_000]);
    expect(q.pending).toBe(true);
  });

  test("max 0 means 4×min; cancel drops the pending render", async () => {
    const { clock, q, fired } = setup(1000, 0);
    for (let i = 0; i < 10; i++) {
      q.change();
      await clock.advance(900);
    }
    expect(fired).toEqual([4000, 8500]);
    q.cancel();
    await clock.advance(10_000);
    expect(fired).toEqual([4000, 8500]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
