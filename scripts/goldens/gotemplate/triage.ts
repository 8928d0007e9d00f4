/**
 * Lists every golden case where vaultrun differs from Go, grouped by the causes known so far
 * (the same one-line causes as KNOWN_DIFFERENCES in the test), with anything unexplained
 * printed in full. Use it after regenerating the goldens or changing the engine:
 *   bun scripts/goldens/gotemplate/triage.ts [--ids] [id-prefix]
 * --ids prints the grouped id lists in the form the test's KNOWN_DIFFERENCES takes.
 */
import { join } from "node:path";
import { expected, type GoldenCase, loadGoldens, type Result, renderCase, sameResult } from "./render.ts";

type Mismatch = { c: GoldenCase; go: Result; ours: Result };
const errOf = (r: Result) => ("err" in r ? r.err : "");
const outOf = (r: Result) => ("out" in r ? r.out : undefined);

/** Cause → does this mismatch show it. First match wins; order from specific to general. */
export const CLASSIFIERS: [string, (m: Mismatch) => boolean][] = [
  [
    "static-type",
    (m) =>
      /can't evaluate field \S+ in type interface \{\}$/.test(errOf(m.go)) &&
      /can't evaluate field \S+ in type /.test(errOf(m.ours)),
  ],
  [
    "number-syntax",
    (m) => /illegal number syntax/.test(errOf(m.go)) && /integer overflow/.test(errOf(m.ours)),
  ],
  [
    "right-paren",
    (m) => /unexpected right paren$/.test(errOf(m.go)) && /right paren U\+0029/.test(errOf(m.ours)),
  ],
  ["terminator", (m) => /bad character U\+007D '\}'$/.test(errOf(m.go))],
  ["pointer-type-name", (m) => /(len of type|can't index item of type) dependency\./.test(errOf(m.go))],
  [
    "index-uint-overflow",
    (m) => /index out of range: -1$/.test(errOf(m.go)) && /out of range: \d{10,}/.test(errOf(m.ours)),
  ],
  ["secret-url-parse", (m) => /error calling secret: parse /.test(errOf(m.go))],
  ["time-methods", (m) => /can't evaluate field \w+ in type time\.Time/.test(errOf(m.ours))],
  ["title-words", (m) => m.c.tpl.includes("toTitle")],
  [
    "yaml-map-type",
    (m) => m.c.tpl.includes("parseYAML") && /map\[interface \{\}\]interface \{\}/.test(JSON.stringify(m.go)),
  ],
  ["json-invalid-utf8", (m) => m.c.tpl.includes("toJSON") && (outOf(m.go) ?? "").includes("\\ufffd")],
  ["yaml-panic-prefix", (m) => /error calling toYAML: cannot marshal/.test(errOf(m.go))],
  [
    "toml-top-level",
    (m) => m.c.tpl.includes("toTOML") && /top-level values must be Go maps/.test(errOf(m.ours)),
  ],
  ["toml-tables", (m) => m.c.tpl.includes("toTOML")],
  ["loop-bounds", (m) => m.c.tpl.includes("loop")],
  ["non-comparable-format", (m) => /non-comparable type .*%!s\(/.test(errOf(m.go))],
];

function main() {
  const args = process.argv.slice(2);
  const idsOnly = args.includes("--ids");
  const prefix = args.find((a) => !a.startsWith("--")) ?? "";
  const g = loadGoldens(
    join(import.meta.dir, "../../../tests/template/core/testdata/gotemplate-goldens.json"),
  );
  const groups = new Map<string, Mismatch[]>();
  for (const c of g.cases) {
    if (!c.id.startsWith(prefix)) continue;
    const go = expected(c);
    const ours = renderCase(g, c);
    if (sameResult(go, ours)) continue;
    const m = { c, go, ours };
    const cause = CLASSIFIERS.find(([, is]) => is(m))?.[0] ?? "UNEXPLAINED";
    groups.set(cause, [...(groups.get(cause) ?? []), m]);
  }
  for (const [cause, ms] of groups) {
    if (idsOnly) {
      console.log(`  ${cause}: ${JSON.stringify(ms.map((m) => m.c.id))},`);
      continue;
    }
    console.log(`=== ${cause} (${ms.length})`);
    for (const m of cause === "UNEXPLAINED" ? ms : ms.slice(0, 3)) {
      console.log(`--- ${m.c.id} data=${m.c.data ?? "nil"}${m.c.missingkey ? " missingkey=error" : ""}`);
      console.log(`  tpl:  ${JSON.stringify(m.c.tpl)}`);
      console.log(`  go:   ${JSON.stringify(m.go)}`);
      console.log(`  ours: ${JSON.stringify(m.ours)}`);
    }
  }
}

if (import.meta.main) main();
