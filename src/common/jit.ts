/**
 * Hints to the JavaScript engine's JIT, for code whose work comes in one large burst.
 *
 * Bun's JavaScriptCore optimises hot code in tiers: baseline, then DFG, then FTL (the slowest to
 * compile, the fastest code), compiling on background threads that share the cores with the
 * program (two on the development machine). Parsing a large template runs the parser hot for a
 * few tens of milliseconds, once: its FTL compiles (tens of milliseconds of CPU each, with
 * everything inlined) finish about when the parse does, and meanwhile they take CPU from the
 * parse and hold up the DFG compiles of the code that runs next. Keeping the parser at DFG made
 * bench/template.ts's dense 1 MB template compile and render in 42.5 instead of 47.0 ms, and the
 * one with no action repeated in 75.2 instead of 85.0 ms (medians of 30 alternating processes
 * each). Rendering is not affected; parsing many large templates back to back is slower warm
 * (DFG code), which no agent does.
 *
 * The evaluator is deliberately left alone: keeping it at DFG too sped up the 1 MB renders by
 * another ~10 %, but every later render of every template ~30 % slower (40-line template after a
 * large one: ~52,000 instead of ~74,000 renders/s).
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
