/**
 * Differential fuzzer for the regexp functions against real Go. Random patterns and subjects
 * (scripts/fuzz/regexp-diff-gen.ts: classic, bytes, limits, redos) run through Go's regexp
 * (scripts/fuzz/regexp-diff/main.go, built on Go 1.26) and through ours; compared are
 * FindAllStringSubmatchIndex (match and group positions, in bytes), and what regexMatch,
 * regexFind, regexFindAll, regexSplit, regexReplaceAll (template "[$0|$1|…]") and
 * regexReplaceAllLiteral return (as bytes), or the compile error. Each case is also timed on both
 * sides: one of ours that takes far longer than Go's is reported as slow (see isSlow). Not part of
 * `npm test`.
 *
 *   export GOROOT=… PATH=$GOROOT/bin:$PATH GOCACHE=/tmp/gocache
 *   GO111MODULE=off go build -o /tmp/regexp-diff-go scripts/fuzz/regexp-diff/main.go
 *   bun scripts/fuzz/regexp-diff.ts <seed> [count] [outdir] [harness] [engine] [kind]
 *
 * engine: "auto" (default) is what the template functions do; "vm" forces every pattern onto
 * Go's program (regexp-vm.ts) and "js" onto the JS translation (positions and groups only), to
 * check each engine alone ("js" differs by design on the patterns regexp-route.ts sends to the
 * program for their results). kind: which generator (default classic). Differences go to
 * <outdir>/regexp-<kind>-<engine>-<seed>.jsonl, each with a minimised form (shortest pattern and
 * subject found that still differ); a summary is printed, with how many patterns took each route.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { canonicalGoString, encodeGoString } from "../../src/template/bytes.ts";
import {
  buildGoRegexp,
  execGoSlots,
  type GoRegexp,
  type GoRegexpEngine,
} from "../../src/template/funcs/regexp.ts";
import { regexFuncs } from "../../src/template/funcs/sprig/regex.ts";
import { type Case, genCases, type Kind } from "./regexp-diff-gen.ts";

const [
  seedArg = "1",
  countArg = "10000",
  outdir = "/tmp/vaultrun-regexp-diff",
  harness = "/tmp/regexp-diff-go",
  engineArg = "auto",
  kindArg = "classic",
] = process.argv.slice(2);
const engine = engineArg as GoRegexpEngine;
const kind = kindArg as Kind;

/** A result, strings as base64 of their Go bytes. */
interface Result {
  err?: string;
  all?: number[][] | null;
  match?: boolean;
  find?: string;
  findAll?: string[] | null;
  split?: string[] | null;
  rep?: string;
  lit?: string;
  /** Go's time for the case (Compile and the calls), ns. */
  ns?: number;
}

const b64 = (s: string) => Buffer.from(encodeGoString(s)).toString("base64");

// ---- both sides ------------------------------------------------------------------------------

function runGo(cases: Case[]): Result[] {
  const input = cases.map((c) => JSON.stringify({ p: b64(c.p), s: b64(c.s), r: b64(c.r) })).join("\n");
  const go = spawnSync(harness, [], { input: `${input}\n`, encoding: "utf8", maxBuffer: 1 << 30 });
  if (go.status !== 0) throw new Error(`the Go harness failed: ${go.stderr.slice(0, 2000)}`);
  return go.stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Result);
}

/** UTF-16 index of a canonical string → Go byte offset (an invalid byte, a lone surrogate, is one). */
function byteOffsets(s: string): number[] {
  const off: number[] = [0];
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00)
      b += 2; // half of a 4-byte pair
    else if (c >= 0xdc00 && c <= 0xdfff && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800) b += 2;
    else if (c >= 0xdc80 && c <= 0xdcff) b += 1;
    else b += 3;
    off.push(b);
  }
  return off;
}

/** Go's allMatches over execGoSlots: FindAllStringSubmatchIndex(s, -1). */
function allSlots(r: GoRegexp, raw: string): number[][] | null {
  const s = canonicalGoString(raw);
  const out: number[][] = [];
  const off = byteOffsets(s);
  let prevEnd = -1;
  let pos = 0;
  while (pos <= s.length) {
    const m = execGoSlots(r, s, pos);
    if (!m) break;
    let accept = true;
    if (m[1] === pos) {
      if (m[0] === prevEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    } else pos = m[1]!;
    prevEnd = m[1]!;
    if (accept) out.push(m.map((x) => (x < 0 ? -1 : off[x]!)));
  }
  return out.length === 0 ? null : out;
}

const SPRIG = regexFuncs();
function call(name: string, ...args: unknown[]): unknown {
  return (SPRIG[name]!.fn as (...a: unknown[]) => unknown)(...args);
}
const list = (v: unknown): string[] | null => {
  const a = Array.isArray(v) ? Array.from(v as string[]) : [];
  return a.length === 0 ? null : a.map(b64);
};

const routes = new Map<string, number>();

function runOurs(c: Case): Result {
  let r: GoRegexp;
  try {
    r = buildGoRegexp(c.p, engine);
  } catch (e) {
    return { err: b64((e as Error).message) };
  }
  routes.set(r.route, (routes.get(r.route) ?? 0) + 1);
  const res: Result = { all: allSlots(r, c.s) };
  if (engine !== "auto") return res;
  res.match = call("mustRegexMatch", c.p, c.s) as boolean;
  res.find = b64(call("mustRegexFind", c.p, c.s) as string);
  res.findAll = list(call("mustRegexFindAll", c.p, c.s, -1n));
  res.split = list(call("mustRegexSplit", c.p, c.s, -1n));
  res.rep = b64(call("mustRegexReplaceAll", c.p, c.s, c.r) as string);
  res.lit = b64(call("mustRegexReplaceAllLiteral", c.p, c.s, c.r) as string);
  return res;
}

let slowest = 0;
/**
 * Slow: past 250 ms (plus 8 ms per KB of pattern: compiling takes time too, and Go's parser is
 * itself quadratic on some long alternations) and 30 times Go's time. Go's own search is linear,
 * but FindAll and ReplaceAll can take quadratic time in Go as well (each search may read on to
 * the end of the text); those are not ours to fix.
 */
const isSlow = (c: Case, ms: number, goNs: number) =>
  ms > 250 + (8 * c.p.length) / 1024 && ms > (30 * goNs) / 1e6;

function ours(c: Case, goNs = 0): Result & { ms?: number } {
  const t = performance.now();
  let res: Result;
  try {
    res = runOurs(c);
  } catch (e) {
    res = { err: `UNCAUGHT ${String(e).slice(0, 500)}` };
  }
  const ms = performance.now() - t;
  slowest = Math.max(slowest, ms);
  return isSlow(c, ms, goNs) ? { ...res, ms } : res;
}

/** Go's result as ours is shaped (only what the engine compares). */
function normalise(g: Result): Result {
  if (g.err !== undefined) return { err: g.err };
  const all = g.all && g.all.length > 0 ? g.all : null;
  if (engine !== "auto") return { all };
  return {
    all,
    match: g.match,
    find: g.find ?? "",
    findAll: g.findAll && g.findAll.length > 0 ? g.findAll.map((x) => x ?? "") : null,
    split: g.split && g.split.length > 0 ? g.split.map((x) => x ?? "") : null,
    rep: g.rep ?? "",
    lit: g.lit ?? "",
  };
}

const same = (a: Result, b: Result) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Shrinks a differing case: drops runs of pattern and subject characters (longest runs first)
 * while the pattern still compiles in Go and Go and we still differ. Cases over 10 KB are kept
 * as they are (shrinking them a character at a time would take too long).
 */
function minimise(c: Case): Case {
  if (c.p.length + c.s.length > 10_000) return c;
  let best = c;
  for (let round = 0; round < 300; round++) {
    const cands: Case[] = [];
    for (const k of [8, 4, 2, 1]) {
      for (let i = 0; i + k <= best.p.length; i++)
        cands.push({ ...best, p: best.p.slice(0, i) + best.p.slice(i + k) });
      for (let i = 0; i + k <= best.s.length; i++)
        cands.push({ ...best, s: best.s.slice(0, i) + best.s.slice(i + k) });
    }
    const goRes = runGo(cands);
    const next = cands.find((k, i) => {
      const g = normalise(goRes[i]!);
      const { ms: _, ...o } = ours(k);
      return g.err === undefined && !same(g, o);
    });
    if (!next) break;
    best = next;
  }
  return best;
}

const seed = Number(seedArg);
const count = Number(countArg);
mkdirSync(outdir, { recursive: true });
const out = `${outdir}/regexp-${kind}-${engine}-${seed}.jsonl`;
const lines: string[] = [];
let differences = 0;
let slow = 0;
let compileErrors = 0;
const BATCH = kind === "limits" ? 100 : 5000;
/** JSON with long strings cut (limits cases are megabytes). */
const short = (x: unknown) =>
  JSON.stringify(x, (_, v) =>
    typeof v === "string" && v.length > 400 ? `${v.slice(0, 400)}…(${v.length})` : v,
  );
const cases = genCases(kind, seed, count);
for (let more = true; more; ) {
  const batch: Case[] = [];
  while (batch.length < BATCH) {
    const next = cases.next();
    if (next.done) {
      more = false;
      break;
    }
    batch.push(next.value);
  }
  if (batch.length === 0) break;
  const goRes = runGo(batch);
  batch.forEach((c, i) => {
    const g = normalise(goRes[i]!);
    if (g.err !== undefined) compileErrors++;
    const { ms, ...o } = ours(c, goRes[i]!.ns);
    if (ms !== undefined) {
      slow++;
      lines.push(short({ slow: ms, goMs: goRes[i]!.ns! / 1e6, case: c }));
    }
    if (same(g, o)) return;
    differences++;
    const small = differences <= 50 ? minimise(c) : null;
    const smallRes = small ? { go: normalise(runGo([small])[0]!), ours: ours(small) } : null;
    lines.push(short({ case: c, go: g, ours: o, minimised: small, minimisedResults: smallRes }));
  });
}
writeFileSync(out, lines.length > 0 ? `${lines.join("\n")}\n` : "");
console.log(
  JSON.stringify({
    seed,
    kind,
    engine,
    cases: count,
    compileErrors,
    routes: Object.fromEntries([...routes].sort()),
    differences,
    slow,
    slowestMs: Math.round(slowest),
    out: differences + slow > 0 ? out : null,
  }),
);
