/**
 * A timer at an absolute time on the injected clock. TTLs here reach 768h, beyond what a
 * setTimeout can hold (about 24.8 days), so long waits are re-armed in steps.
 */
import type { Clock, Timer } from "../../clock/clock.ts";

const MAX_STEP = 2 ** 31 - 1;

export function deadline(clock: Clock, at: number, fn: () => void): Timer {
  let current: Timer;
  let cancelled = false;
  const arm = () => {
    const wait = at - clock.now();
    current = clock.setTimer(Math.min(Math.max(0, wait), MAX_STEP), () => {
      if (cancelled) return;
      if (clock.now() >= at) fn();
      else arm();
    });
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      current.cancel();
    },
  };
}
