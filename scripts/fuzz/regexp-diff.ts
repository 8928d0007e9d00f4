/**
 * Differential fuzzer for the regexp functions against real Go: random RE2 patterns (groups,
 * alternation with empty alternatives, every quantifier greedy and lazy, counted repetitions,
 * (?:…), (?i) (?U) (?m) (?s), anchors, \b, classes) and random subjects over a small alphabet
 * (with case-folding pairs such as k/K/U+212A and s/ſ, a multibyte letter, an astral emoji, a
 * newline). Each case runs through Go's regexp (scripts/fuzz/regexp-diff/main.go, built on Go
 * 1.26) and through ours; compared are FindAllStringSubmatchIndex (match and group positions, in
 * bytes), and what regexMatch, regexFind, regexFindAll, regexSplit, regexReplaceAll (template
 * "[$0|$1|…]") and regexReplaceAllLiteral return, or the compile error. Not part of `npm test`.
 *
 *   export GOROOT=… PATH=$GOROOT/bin:$PATH GOCACHE=/tmp/gocache
 *   GO111MODULE=off go build -o /tmp/regexp-diff-go scripts/fuzz/regexp-diff/main.go
 *   bun scripts/fuzz/regexp-diff.ts <seed> [count] [outdir] [harness] [engine]
 *
 * engine: "auto" (default) is what the template functions do; "vm" forces every pattern onto
 * regexp-vm.ts and "js" onto the JS translation (positions and groups only), to check each engine
 * alone. Differences go to <outdir>/regexp-<engine>-<seed>.jsonl, each with a minimised form
 * (shortest pattern and subject found that still differ); a summary is printed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Rng } from "../goldens/gotemplate/random.ts";
import {
  buildGoRegexp,
  execGoSlots,
  type GoRegexp,
  type GoRegexpEngine,
} from "../../src/template/funcs/regexp.ts";
import { regexFuncs } from "../../src/template/funcs/sprig/regex.ts";

const [
  seedArg = "1",
  countArg = "10000",
  outdir = "/tmp/vaultrun-regexp-diff",
  harness = "/tmp/regexp-diff-go",
  engineArg = "auto",
] = process.argv.slice(2);
const engine = engineArg as GoRegexpEngine;

interface Case {
  p: string;
  s: string;
  r: string;
}

interface Result {
  err?: string;
  all?: number[][] | null;
  match?: boolean;
  find?: string;
  findAll?: string[] | null;
  split?: string[] | null;
  rep?: string;
  lit?: string;
}

// ---- generation ------------------------------------------------------------------------------

const CHARS = [
  "a",
  "a",
  "a",
  "b",
  "b",
  "c",
  "A",
  "B",
  "k",
  "K",
  "\u212a",
  "s",
  "\u017f",
  "é",
  "😀",
  "_",
  "1",
];
const ATOMS = [
  ".",
  "[ab]",
  "[^a]",
  "[a-c]",
  "[^\\n]",
  "[[:alpha:]]",
  "[^ab]",
  "[a-z]",
  "[k]",
  "\\w",
  "\\W",
  "\\d",
  "\\s",
  "\\S",
  "\\pL",
  "\\PL",
  "\\.",
  "\\n",
  "\\x{212a}",
  "[\\x{17f}b]",
  "[^\\x00-\\x{10FFFF}]",
  "\\Qa.\\E",
  "{",
  "a{,2}",
  "{01}",
  "\\x{1F600}",
];
const ASSERTS = ["^", "$", "\\b", "\\B", "\\A", "\\z"];
const QUANTS = [
  "*",
  "+",
  "?",
  "{0}",
  "{1}",
  "{2}",
  "{0,1}",
  "{0,2}",
  "{1,3}",
  "{2,}",
  "{0,}",
  "{1,}",
  "{1,2}",
  "{3}",
];
const GROUP_OPEN = [
  "(",
  "(",
  "(",
  "(?:",
  "(?:",
  "(?P<x>",
  "(?<x>",
  "(?i:",
  "(?U:",
  "(?s:",
  "(?m:",
  "(?i-U:",
  "(?U)(",
];
const FLAGS = ["(?i)", "(?U)", "(?m)", "(?s)", "(?-i)", "(?iU)"];

function genAlt(rng: Rng, depth: number): string {
  const n = rng.chance(0.6) ? 1 : 2 + rng.int(2);
  const alts: string[] = [];
  for (let i = 0; i < n; i++) alts.push(rng.chance(0.12) ? "" : genSeq(rng, depth));
  return alts.join("|");
}

function genSeq(rng: Rng, depth: number): string {
  const n = 1 + rng.int(3);
  let out = "";
  for (let i = 0; i < n; i++) {
    let item: string;
    const k = rng.next();
    if (k < 0.3 && depth < 3) {
      const open = rng.pick(GROUP_OPEN);
      item = `${open}${genAlt(rng, depth + 1)})`;
      if (open.startsWith("(?U)")) item = `(?:${item})`;
    } else if (k < 0.6) item = rng.pick(CHARS);
    else if (k < 0.75) item = rng.pick(ATOMS);
    else if (k < 0.87) item = rng.pick(ASSERTS);
    else if (k < 0.92) item = rng.pick(FLAGS);
    else item = "()";
    if (rng.chance(0.45)) {
      item += rng.pick(QUANTS);
      if (rng.chance(0.35)) item += "?";
    }
    out += item;
  }
  return out;
}

function genSubject(rng: Rng): string {
  const n = rng.chance(0.1) ? 10 + rng.int(30) : rng.int(9);
  let s = "";
  for (let i = 0; i < n; i++) s += rng.chance(0.1) ? rng.pick(["\n", " ", ".", "{"]) : rng.pick(CHARS);
  return s;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: ${x} is Go's regexp expansion syntax.
const REPLACEMENT = "[$0|$1|$2|$3|$4|${x}]";

function genCases(seed: number, count: number): Case[] {
  const rng = new Rng(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) out.push({ p: genAlt(rng, 0), s: genSubject(rng), r: REPLACEMENT });
  return out;
}

// ---- both sides ------------------------------------------------------------------------------

function runGo(cases: Case[]): Result[] {
  const input = cases.map((c) => JSON.stringify(c)).join("\n");
  const go = spawnSync(harness, [], { input: `${input}\n`, encoding: "utf8", maxBuffer: 1 << 30 });
  if (go.status !== 0) throw new Error(`the Go harness failed: ${go.stderr.slice(0, 2000)}`);
  return go.stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Result);
}

/** UTF-16 index → UTF-8 byte offset, for comparing positions with Go's. */
function byteOffsets(s: string): number[] {
  const off: number[] = [0];
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff)
      b += 2; // half of a 4-byte pair
    else if (c >= 0xdc00 && c <= 0xdfff) b += 2;
    else b += 3;
    off.push(b);
  }
  return off;
}

/** Go's allMatches over execGoSlots: FindAllStringSubmatchIndex(s, -1). */
function allSlots(r: GoRegexp, s: string): number[][] | null {
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
  return a.length === 0 ? null : a;
};

function runOurs(c: Case): Result {
  let r: GoRegexp;
  try {
    r = buildGoRegexp(c.p, engine);
  } catch (e) {
    return { err: (e as Error).message };
  }
  const res: Result = { all: allSlots(r, c.s) };
  if (engine !== "auto") return res;
  res.match = call("mustRegexMatch", c.p, c.s) as boolean;
  res.find = call("mustRegexFind", c.p, c.s) as string;
  res.findAll = list(call("mustRegexFindAll", c.p, c.s, -1n));
  res.split = list(call("mustRegexSplit", c.p, c.s, -1n));
  res.rep = call("mustRegexReplaceAll", c.p, c.s, c.r) as string;
  res.lit = call("mustRegexReplaceAllLiteral", c.p, c.s, c.r) as string;
  return res;
}

function ours(c: Case): Result {
  try {
    return runOurs(c);
  } catch (e) {
    return { err: `UNCAUGHT ${String(e)}` };
  }
}

/** Go's result as ours is shaped (only what the engine compares). */
function normalise(g: Result): Result {
  if (g.err !== undefined) return { err: g.err };
  const all = g.all && g.all.length > 0 ? g.all : null;
  if (engine !== "auto") return { all };
  return {
    all,
    match: g.match,
    find: g.find,
    findAll: g.findAll && g.findAll.length > 0 ? g.findAll : null,
    split: g.split && g.split.length > 0 ? g.split : null,
    rep: g.rep,
    lit: g.lit,
  };
}

const same = (a: Result, b: Result) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Shrinks a differing case: drops runs of pattern and subject characters (longest runs first)
 * while the pattern still compiles in Go and Go and we still differ.
 */
function minimise(c: Case): Case {
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
      return g.err === undefined && !same(g, ours(k));
    });
    if (!next) break;
    best = next;
  }
  return best;
}

const seed = Number(seedArg);
const count = Number(countArg);
mkdirSync(outdir, { recursive: true });
const out = `${outdir}/regexp-${engine}-${seed}.jsonl`;
const lines: string[] = [];
let differences = 0;
let compileErrors = 0;
let onVm = 0;
const BATCH = 5000;
const cases = genCases(seed, count);
for (let at = 0; at < cases.length; at += BATCH) {
  const batch = cases.slice(at, at + BATCH);
  const goRes = runGo(batch);
  batch.forEach((c, i) => {
    const g = normalise(goRes[i]!);
    if (g.err !== undefined) compileErrors++;
    else if (engine === "auto") {
      try {
        if (buildGoRegexp(c.p).vm) onVm++;
      } catch {}
    }
    const o = ours(c);
    if (same(g, o)) return;
    differences++;
    const small = differences <= 50 ? minimise(c) : null;
    const smallRes = small ? { go: normalise(runGo([small])[0]!), ours: ours(small) } : null;
    lines.push(JSON.stringify({ case: c, go: g, ours: o, minimised: small, minimisedResults: smallRes }));
  });
}
writeFileSync(out, lines.length > 0 ? `${lines.join("\n")}\n` : "");
console.log(
  JSON.stringify({
    seed,
    engine,
    cases: count,
    compileErrors,
    onVm,
    differences,
    out: differences > 0 ? out : null,
  }),
);
