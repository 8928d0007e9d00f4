/**
 * Timings for the template regexp functions (src/template/funcs/regexp.ts):
 *
 *  - pathological: the classic ReDoS shapes on 10,000 and 100,000 characters of adversarial
 *    input. Each case runs in a child process with a time limit, so a tree whose regexps backtrack
 *    exponentially still gives a report ("> limit").
 *  - common: patterns Consul Template and Vault users write, on short values (calls per second)
 *    and on a 100 KB text (MB/s), through the functions templates call.
 *
 *   bun bench/regexp.ts [--root DIR] [--only pathological|common] [--limit SECONDS]
 *
 * --root runs another checkout's src/ (e.g. `git archive HEAD~1 src | tar -x -C /tmp/old`, with
 * node_modules linked) to compare before and after a change.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const root = resolve(opt("root", resolve(import.meta.dir, "..")));
const only = opt("only", "");
const limit = Number(opt("limit", "5"));

interface Funcs {
  match(p: string, s: string): boolean;
  replaceAll(p: string, s: string, repl: string): string;
  findAll(p: string, s: string): string[];
  split(p: string, s: string): string[];
}

async function load(): Promise<Funcs> {
  const re = await import(`${root}/src/template/funcs/regexp.ts`);
  const sprig = (await import(`${root}/src/template/funcs/sprig/regex.ts`)).regexFuncs();
  const call = (name: string, ...a: unknown[]) => (sprig[name].fn as (...x: unknown[]) => unknown)(...a);
  return {
    match: (p, s) => re.goRegexpMatch(p, s),
    replaceAll: (p, s, repl) => re.goRegexpReplaceAll(p, repl, s),
    findAll: (p, s) => Array.from(call("mustRegexFindAll", p, s, -1n) as string[]),
    split: (p, s) => Array.from(call("mustRegexSplit", p, s, -1n) as string[]),
  };
}

// ---- pathological ----------------------------------------------------------------------------

type Op = "match" | "replaceAll" | "findAll";

interface Evil {
  name: string;
  pattern: string;
  input: (n: number) => string;
  op: Op;
}

const EVIL: Evil[] = [
  { name: "(a|a)*c", pattern: "^(?:a|a)*c", input: (n) => "a".repeat(n), op: "match" },
  { name: "(a+)+b", pattern: "(a+)+b", input: (n) => "a".repeat(n), op: "match" },
  { name: "(a*)*b", pattern: "(a*)*b", input: (n) => "a".repeat(n), op: "match" },
  { name: "(a|aa)*c", pattern: "(a|aa)*c", input: (n) => "a".repeat(n), op: "match" },
  { name: "^(a|a?)+$", pattern: "^(a|a?)+$", input: (n) => `${"a".repeat(n)}!`, op: "match" },
  { name: "^(\\w+\\s?)*$", pattern: "^(\\w+\\s?)*$", input: (n) => `${"a".repeat(n)}!`, op: "match" },
  { name: "(.*a){12}", pattern: "(.*a){12}", input: (n) => `${"a".repeat(11)}${"b".repeat(n)}`, op: "match" },
  { name: "(?:a|a){30}x", pattern: "(?:a|a){30}x", input: (n) => "a".repeat(n), op: "match" },
  { name: "\\d*\\d*\\d*x", pattern: "\\d*\\d*\\d*x", input: (n) => "1".repeat(n), op: "match" },
  { name: "(\\d+)\\.(\\d+)", pattern: "(\\d+)\\.(\\d+)", input: (n) => "1".repeat(n), op: "match" },
  { name: "x[a-z]*y", pattern: "x[a-z]*y", input: (n) => "x".repeat(n), op: "match" },
  { name: "\\s+$ (replaceAll)", pattern: "\\s+$", input: (n) => `${" ".repeat(n)}x`, op: "replaceAll" },
  {
    name: "^\\s+|\\s+$ (trim)",
    pattern: "^\\s+|\\s+$",
    input: (n) => `x${" ".repeat(n)}x`,
    op: "replaceAll",
  },
  {
    name: "email ^([a-z0-9._-]+)+@",
    pattern: "^([a-zA-Z0-9._-]+)+@",
    input: (n) => `${"a".repeat(n)}!`,
    op: "match",
  },
  { name: "(a?){n}a{n} n=30", pattern: "(?:a?){30}a{30}", input: (n) => "a".repeat(n % 30), op: "match" },
  { name: "(?:a+)+ findAll", pattern: "(?:a+)+b?", input: (n) => "a".repeat(n), op: "findAll" },
];

function runOne(f: Funcs, e: Evil, n: number): number {
  const s = e.input(n);
  const t = performance.now();
  if (e.op === "match") f.match(e.pattern, s);
  else if (e.op === "replaceAll") f.replaceAll(e.pattern, s, "");
  else f.findAll(e.pattern, s);
  return performance.now() - t;
}

async function pathological(): Promise<void> {
  console.log(`## pathological (root ${root}, limit ${limit} s per case)\n`);
  console.log("| pattern | input | 10,000 chars | 100,000 chars |");
  console.log("|---|---|---|---|");
  for (const e of EVIL) {
    const cells: string[] = [];
    for (const n of [10_000, 100_000]) {
      const child = spawnSync(
        process.execPath,
        [import.meta.path, "--root", root, "--case", e.name, "--n", String(n)],
        { encoding: "utf8", timeout: limit * 1000 },
      );
      if (child.error || child.status !== 0) {
        cells.push(child.error ? `> ${limit} s` : `error ${child.stderr.trim().split("\n").pop()}`);
      } else cells.push(`${Number(child.stdout.trim()).toFixed(1)} ms`);
    }
    const sample = e.input(12);
    console.log(
      `| \`${e.name}\` | ${e.op} on \`${JSON.stringify(sample).slice(1, -1)}…\` | ${cells.join(" | ")} |`,
    );
  }
  console.log();
}

// ---- common ----------------------------------------------------------------------------------

interface Common {
  pattern: string;
  op: "match" | "replaceAll" | "split" | "findAll";
  repl?: string;
  /** A typical value (calls per second are measured on it). */
  value: string;
  /** A line repeated to 100 KB (throughput). */
  line: string;
}

const COMMON: Common[] = [
  { pattern: "^[a-z0-9-]+$", op: "match", value: "payments-api-01", line: "payments-api-01 " },
  {
    pattern: "(\\d+)\\.(\\d+)",
    op: "replaceAll",
    repl: "$1_$2",
    value: "v1.22",
    line: "release 1.22 on 3.4 ",
  },
  {
    pattern: "^https?://([^/]+)",
    op: "replaceAll",
    repl: "$1",
    value: "https://vault.example.com:8200/v1/secret",
    line: "https://vault.example.com/v1/x ",
  },
  {
    pattern: "[^a-zA-Z0-9]",
    op: "replaceAll",
    repl: "_",
    value: "db-password.prod",
    line: "db-password.prod; ",
  },
  { pattern: "\\s+", op: "replaceAll", repl: " ", value: "a  b\t\tc", line: "key =  value\t\n" },
  { pattern: "^v?(\\d+)\\.(\\d+)\\.(\\d+)$", op: "match", value: "v1.22.333", line: "v1.22.333 " },
  {
    pattern: "^\\s+|\\s+$",
    op: "replaceAll",
    repl: "",
    value: "  secret-value \n",
    line: "  padded value   ",
  },
  { pattern: "(?i)^(true|yes|on|1)$", op: "match", value: "Yes", line: "yes no " },
  { pattern: ",\\s*", op: "split", value: "a, b,c,  d", line: "alpha, beta,gamma, " },
  {
    pattern: "(?m)^([A-Z_]+)=(.*)$",
    op: "replaceAll",
    repl: "export $1=$2",
    value: "DB_HOST=x",
    line: "DB_HOST=db.local\n",
  },
  {
    pattern: "[a-z]+@[a-z]+\\.com",
    op: "findAll",
    value: "ops@example.com",
    line: "mail ops@example.com or ",
  },
  { pattern: "^(dev|development|staging|prod)$", op: "match", value: "staging", line: "staging " },
];

function callCommon(f: Funcs, c: Common, s: string): unknown {
  switch (c.op) {
    case "match":
      return f.match(c.pattern, s);
    case "replaceAll":
      return f.replaceAll(c.pattern, s, c.repl ?? "");
    case "split":
      return f.split(c.pattern, s);
    case "findAll":
      return f.findAll(c.pattern, s);
  }
}

/** The median of `runs` timings of fn, each over enough repetitions to take ~20 ms. */
function median(fn: () => unknown, runs = 7): number {
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t > 20) break;
    reps *= 2;
  }
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    times.push((performance.now() - t) / reps);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1]!;
}

async function common(f: Funcs): Promise<void> {
  console.log(`## common patterns (root ${root})\n`);
  console.log("| pattern | op | short value: calls/s | 100 KB: MB/s |");
  console.log("|---|---|---|---|");
  for (const c of COMMON) {
    const big = c.line.repeat(Math.ceil(100_000 / c.line.length));
    const short = median(() => callCommon(f, c, c.value));
    const long = median(() => callCommon(f, c, big), 5);
    const rate = Math.round(1000 / short).toLocaleString("en-US");
    console.log(`| \`${c.pattern}\` | ${c.op} | ${rate} | ${(big.length / 1e3 / long).toFixed(1)} |`);
  }
  console.log();
}

const caseName = opt("case", "");
const f = await load();
if (caseName !== "") {
  const e = EVIL.find((x) => x.name === caseName)!;
  process.stdout.write(`${runOne(f, e, Number(opt("n", "10000")))}\n`);
} else {
  if (only !== "common") await pathological();
  if (only !== "pathological") await common(f);
}
