/**
 * Hints to the JavaScript engine's JIT, for code whose work comes in one large burst.
 *
 * Bun's JavaScriptCore optimises hot code in tiers: baseline, then DFG, then FTL (the slowest to
 * compile, the fastest code). All of it is compiled on one background thread. Parsing a large
 * template runs the parser hot for a few tens of milliseconds, once: its FTL compiles finish
 * about when the parse does, and meanwhile they hold up the DFG compiles of the code that runs
 * next. Keeping the parser at DFG made bench/template.ts's dense 1 MB template compile and render
 * in 42.5 instead of 47.0 ms, and the one with no action repeated in 75.2 instead of 85.0 ms
 * (medians of 30 alternating processes each), with no change to steady render speed.
 *
 * Bun-only (bun:jsc); elsewhere, and if the hook ever goes away, this does nothing.
 */

type Jsc = { noFTL?: (f: object) => unknown };
let jsc: Jsc | null | undefined;
const done = new WeakSet<object>();

/**
 * Keeps these functions, and the methods of these classes, out of the top JIT tier. Loaded only
 * when first asked (bun:jsc costs ~0.4 ms to load, more than a small template's whole parse).
 */
export function skipTopTier(code: readonly object[]): void {
  if (jsc === undefined) {
    try {
      jsc = require("bun:jsc") as Jsc;
    } catch {
      jsc = null;
    }
  }
  const noFTL = jsc?.noFTL;
  if (!noFTL) return;
  for (const f of code) {
    if (done.has(f)) continue;
    done.add(f);
    noFTL(f);
    const proto = (f as { prototype?: object }).prototype;
    if (!proto) continue;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const method = Object.getOwnPropertyDescriptor(proto, key)?.value;
      if (key !== "constructor" && typeof method === "function") noFTL(method);
    }
  }
}
