/**
 * Differential fuzzer against real Go: generated templates run through Go's text/template with
 * Consul Template's helpers (the golden harness, scripts/goldens/gotemplate, built on Go 1.26)
 * and through vaultrun's engine; every difference is written out, grouped by the known causes of
 * triage.ts. Not part of `npm test` (it needs the Go harness); run it after engine changes.
 *
 *   GOTEMPLATE_BUILD_ONLY=/tmp/vaultrun-gotemplate sh scripts/goldens/gotemplate/make-goldens.sh
 *   bun scripts/fuzz/go-diff.ts <random|broad|modern> <seed> [count] [outdir] [harness]
 *
 * `random` is the goldens' own generator (random.ts), `broad` go-diff-gen.ts (break/continue,
 * else-with, literals of every kind, printf flags and indexes, custom delimiters, mutations),
 * `modern` go-diff-gen-modern.ts (what Go 1.24-1.26 changed: else with, range over integers,
 * comment lines, delimiters holding newlines, missingkey=error, call).
 * A campaign of ~1,000,000 cases over both found the differences now recorded as the
 * "fuzz-found" curated goldens. Output: <outdir>/<gen>-<seed>.jsonl (one line per difference,
 * with Go's and our result) and .summary.json; a case that makes Go itself crash is skipped.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { DATASETS, SECRETS } from "../goldens/gotemplate/data.ts";
import { randomCases } from "../goldens/gotemplate/random.ts";
import {
  expected,
  type GoldenCase,
  type Goldens,
  renderCase,
  sameResult,
} from "../goldens/gotemplate/render.ts";
import { CLASSIFIERS } from "../goldens/gotemplate/triage.ts";
import { gen2Cases } from "./go-diff-gen.ts";
import { gen6Cases } from "./go-diff-gen-modern.ts";

const [
  gen = "random",
  seedArg = "1",
  countArg = "5000",
  outdir = "/tmp/vaultrun-go-diff",
  harness = "/tmp/vaultrun-gotemplate",
] = process.argv.slice(2);
const seed = Number(seedArg);
const count = Number(countArg);
mkdirSync(outdir, { recursive: true });
const tag = `${gen}-${seed}`;
const generated =
  gen === "random"
    ? randomCases(seed, count)
    : gen === "modern"
      ? gen6Cases(seed, count)
      : gen2Cases(seed, count);
const cases = generated.map((c) => ({ ...c, id: `${tag}-${c.id}` }));

// Go: rerun without the case it crashed on (the harness names each case on stderr first).
let goldens: Goldens | undefined;
let remaining = cases;
const crashed: string[] = [];
while (goldens === undefined) {
  const input = JSON.stringify({ datasets: DATASETS, secrets: SECRETS, cases: remaining });
  const go = spawnSync(harness, [], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 600_000,
    env: { ...process.env, GOTEMPLATE_TRACE: "1" },
  });
  if (go.status === 0) {
    goldens = JSON.parse(go.stdout) as Goldens;
    break;
  }
  const last = [...go.stderr.matchAll(/^START (\S+)$/gm)].at(-1)?.[1];
  if (!last) throw new Error(`the Go harness failed: ${go.stderr.slice(0, 2000)}`);
  crashed.push(last);
  remaining = remaining.filter((c) => c.id !== last);
}

const out = `${outdir}/${tag}.jsonl`;
writeFileSync(out, "");
const counts: Record<string, number> = {};
let same = 0;
const render = (c: GoldenCase) => {
  try {
    return renderCase(goldens as Goldens, c);
  } catch (e) {
    return { err: `renderCase threw: ${String(e)}`, phase: "uncaught" as const };
  }
};
for (const c of goldens.cases as GoldenCase[]) {
  const want = expected(c);
  const ours = render(c);
  if (sameResult(want, ours)) {
    same++;
    continue;
  }
  let cause = CLASSIFIERS.find(([, is]) => is({ c, go: want, ours } as never))?.[0] ?? "UNEXPLAINED";
  if ("phase" in ours && ours.phase === "uncaught") cause = "UNCAUGHT";
  counts[cause] = (counts[cause] ?? 0) + 1;
  const line = {
    cause,
    id: c.id,
    tpl: c.tpl,
    data: c.data ?? null,
    missingkey: c.missingkey ?? null,
    go: want,
    ours,
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
}
// Cases Go left out (too long, a panic, a crash): ours must still never throw a raw JS exception.
const kept = new Set((goldens.cases as GoldenCase[]).map((c) => c.id));
for (const c of cases) {
  if (kept.has(c.id)) continue;
  const ours = render(c as GoldenCase);
  if ("phase" in ours && ours.phase === "uncaught") {
    counts.UNCAUGHT = (counts.UNCAUGHT ?? 0) + 1;
    appendFileSync(out, `${JSON.stringify({ cause: "UNCAUGHT", id: c.id, tpl: c.tpl, go: null, ours })}\n`);
  }
}
const summary = {
  tag,
  goVersion: goldens.goVersion,
  generated: cases.length,
  kept: kept.size,
  same,
  counts,
  crashed,
};
writeFileSync(`${outdir}/${tag}.summary.json`, JSON.stringify(summary));
console.log(JSON.stringify(summary));
