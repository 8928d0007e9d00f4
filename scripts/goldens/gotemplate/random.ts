/**
 * A seeded random template generator over the fixed data set (data.ts): nested actions, control
 * structures, variables, pipelines, builtins and Consul Template helpers with mostly-right and
 * sometimes-wrong arities and types, printf formats, trim markers — and, for a share of cases,
 * a random mutation (a deleted, inserted or swapped character, a truncation, a stray token) so
 * the parser's error paths and positions are exercised too. Same seed, same cases.
 */
import type { Case } from "./gen.ts";

/** mulberry32: small, fast, and the same on every machine (the fuzz generators use it too). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)] as T;
  }
}

const FIELDS = [
  ".str",
  ".empty",
  ".space",
  ".num",
  ".neg",
  ".zero",
  ".float",
  ".exp",
  ".big",
  ".t",
  ".f",
  ".nil",
  ".list",
  ".nums",
  ".mixed",
  ".emptyList",
  ".map",
  ".map.a",
  ".map.b",
  ".map.c",
  ".nested",
  ".nested.x",
  ".nested.x.y.z",
  ".missing",
  ".missing.x",
  ".html",
  ".uni",
  ".csv",
  ".json",
  ".yaml",
  ".keys",
  ".objs",
  ".list2",
  ".str.x",
  ".numstr",
  ".floatstr",
  ".boolstr",
  ".b64",
  ".proto",
  ".slashes",
  ".emptyMap",
  ".tabs",
  "$",
  ".",
  "$.str",
  "$.list",
  "$.map.a",
];
const LISTISH = [
  ".list",
  ".nums",
  ".mixed",
  ".emptyList",
  ".map",
  ".keys",
  ".objs",
  ".list2",
  ".nested",
  ".missing",
  ".emptyMap",
  ".slashes",
  ".",
];
const CONSTS = [
  "0",
  "1",
  "-1",
  "2",
  "42",
  "3.5",
  "-0.5",
  "1e3",
  "0x10",
  "'a'",
  '""',
  '"a"',
  '"hello"',
  '"a,b"',
  '","',
  '"%d"',
  '"%s"',
  "`raw`",
  "true",
  "false",
  "nil",
  "1i",
  '"42"',
  '"1.5"',
  '"true"',
  '"x/y"',
  '"<&>"',
  '"é"',
  "9223372036854775807",
];
const FORMAT_VERBS = [
  "d",
  "s",
  "v",
  "q",
  "x",
  "X",
  "f",
  "e",
  "g",
  "t",
  "T",
  "c",
  "U",
  "o",
  "b",
  "+v",
  "#v",
  "%",
];
const FORMAT_FLAGS = ["", "", "", "-", "+", "#", " ", "0"];

/**
 * Argument kinds, so most calls are well-typed and render: s string, n number, c something
 * len/index/slice accept, l a list, L a []interface{} list, k an index key, r a regexp, j JSON
 * text, m a map, a anything. `more` is the kind of optional extra arguments (up to `extra`).
 */
type Fn = { name: string; args: string; more?: string; extra?: number };
const FUNCS: Fn[] = [
  { name: "and", args: "a", more: "a", extra: 2 },
  { name: "or", args: "a", more: "a", extra: 2 },
  { name: "not", args: "a" },
  { name: "len", args: "c" },
  { name: "index", args: "c", more: "k", extra: 2 },
  { name: "slice", args: "c", more: "n", extra: 2 },
  { name: "print", args: "", more: "a", extra: 3 },
  { name: "println", args: "", more: "a", extra: 2 },
  { name: "html", args: "s", more: "a", extra: 1 },
  { name: "js", args: "s", more: "a", extra: 1 },
  { name: "urlquery", args: "s", more: "a", extra: 1 },
  { name: "eq", args: "==", more: "=", extra: 1 },
  { name: "ne", args: "==" },
  { name: "lt", args: "==" },
  { name: "le", args: "==" },
  { name: "gt", args: "==" },
  { name: "ge", args: "==" },
  { name: "toUpper", args: "s" },
  { name: "toLower", args: "s" },
  { name: "toTitle", args: "s" },
  { name: "trimSpace", args: "s" },
  { name: "trim", args: "ss" },
  { name: "trimPrefix", args: "ss" },
  { name: "split", args: "ss" },
  { name: "join", args: "sl" },
  { name: "splitToMap", args: "sss" },
  { name: "replaceAll", args: "sss" },
  { name: "regexMatch", args: "rs" },
  { name: "regexReplaceAll", args: "rss" },
  { name: "contains", args: "al" },
  { name: "in", args: "la" },
  { name: "containsAny", args: "LL" },
  { name: "add", args: "nn" },
  { name: "subtract", args: "nn" },
  { name: "multiply", args: "nn" },
  { name: "divide", args: "nn" },
  { name: "modulo", args: "nn" },
  { name: "minimum", args: "nn" },
  { name: "maximum", args: "nn" },
  { name: "toJSON", args: "a" },
  { name: "parseInt", args: "i" },
  { name: "parseFloat", args: "d" },
  { name: "parseBool", args: "b" },
  { name: "parseJSON", args: "j" },
  { name: "base64Encode", args: "s" },
  { name: "base64Decode", args: "6" },
  { name: "sha256Hex", args: "s" },
  { name: "indent", args: "ns" },
  { name: "explodeMap", args: "m" },
];

const BY_KIND: Record<string, readonly string[]> = {
  s: [
    ".str",
    ".empty",
    ".space",
    ".html",
    ".uni",
    ".csv",
    ".json",
    ".numstr",
    ".b64",
    ".tabs",
    ".map.a",
    ".nested.x.y.z",
    "$.str",
    '"a"',
    '"hello"',
    '"a,b"',
    '","',
    '"<&>"',
    '"é"',
    '""',
    '"x/y"',
    "`raw`",
    '"=  "',
  ],
  n: [
    "0",
    "1",
    "2",
    "-1",
    "42",
    "3.5",
    "-0.5",
    "1e3",
    "0x10",
    "'a'",
    "(len .list)",
    "(parseInt .numstr)",
    "(parseFloat .floatstr)",
    '(parseUint "7")',
  ],
  c: [
    ".list",
    ".map",
    ".str",
    ".nums",
    ".mixed",
    ".keys",
    ".objs",
    ".list2",
    ".uni",
    ".emptyList",
    ".nested",
    '(split "," .csv)',
  ],
  l: [".list", ".nums", ".mixed", ".emptyList", '(split "," .csv)', ".str"],
  L: [".list", ".nums", ".mixed", ".emptyList", "(index .list2 0)"],
  k: ["0", "1", "2", "3", '"a"', '"b"', '"x"', '"c"'],
  r: ['"^h"', '"l+"', '"(a|b)"', '"[0-9]+"', '"(?i)A"', '""', '"\\\\s"', '"("'],
  j: [".json", '"[1,2]"', '"{}"', '"1.5"', '"null"', '"{\\"a\\":\\"b\\"}"', '"["'],
  m: [".slashes", ".map", ".keys", ".emptyMap", ".nested"],
  i: [".numstr", '"42"', '"-1"', '""', '"x"'],
  b: [".boolstr", '"true"', '"0"', '"F"', '""', '"yes"'],
  6: [".b64", '"aGk="', '""', '"!!"'],
  d: [".numstr", ".floatstr", '"42"', '"-1"', '"1.5"', '"1e3"', '""', '"x"'],
};

const SECRETS = ['(secret "kv/app")', '(secret "kv1/db")', '(secret "empty")', '(secret "nope")'];
const SECRET_PATHS = [
  ".Data",
  ".Data.data",
  ".Data.data.user",
  ".Data.data.port",
  ".Data.data.tags",
  ".LeaseDuration",
  ".Warnings",
  ".Renewable",
  ".Data.username",
  ".Nope",
  ".Data.data.nothing",
];
const TEXTS = ["", "", "a", " ", "\n", "x=", ", ", "\t", "é", "<p>", "line\n"];
const MUTATION_TOKENS = [
  "{{",
  "}}",
  "(",
  ")",
  "|",
  " end ",
  "$",
  '"',
  "'",
  "`",
  ".",
  ":=",
  "=",
  "-",
  "{{end}}",
  "{{else}}",
  " if ",
  "/*",
  "\n",
];

class Gen {
  private vars: string[][] = [["$"]];
  private varCounter = 0;
  private defined: string[] = [];
  private inRange = 0;
  /** No template calls inside define bodies: recursion would only test depth limits. */
  private inDefine = false;
  constructor(private readonly r: Rng) {}

  private scopeVars(): string[] {
    return this.vars.flat();
  }

  operand(depth: number): string {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.4) return r.pick(FIELDS);
    if (roll < 0.65) return r.pick(CONSTS);
    if (roll < 0.75) {
      const vs = this.scopeVars();
      const v = r.pick(vs);
      return r.chance(0.3) && v !== "$" ? `${v}${r.pick([".x", ".a", ".str", ".y.z"])}` : v;
    }
    if (roll < 0.82) return `${r.pick(SECRETS)}${r.pick(SECRET_PATHS)}`;
    if (depth < 2) {
      const inner = `(${this.pipeline(depth + 1)})`;
      return r.chance(0.2) ? `${inner}${r.pick([".x", ".a", ".name"])}` : inner;
    }
    return r.pick(CONSTS);
  }

  format(): string {
    const r = this.r;
    let f = "";
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
      if (r.chance(0.3)) f += r.pick(["x", " ", "-", ":", "é"]);
      f += `%${r.pick(FORMAT_FLAGS)}${r.chance(0.2) ? String(r.int(8)) : ""}${r.chance(0.2) ? `.${r.int(4)}` : ""}${r.pick(FORMAT_VERBS)}`;
    }
    return JSON.stringify(f);
  }

  /** An argument of the given kind; now and then any operand, to reach the type errors. */
  arg(kind: string, depth: number): string {
    const r = this.r;
    if (kind === "a" || r.chance(0.04)) return this.operand(depth);
    if (r.chance(0.1)) {
      const vs = this.scopeVars().filter((v) => v !== "$");
      if (vs.length > 0) return r.pick(vs);
    }
    return r.pick(BY_KIND[kind] ?? FIELDS);
  }

  /** The argument list of fn, all of it or (piped) without its last argument. */
  args(fn: Fn, depth: number, piped: boolean): string[] {
    const r = this.r;
    // Comparisons take operands of one kind, mostly.
    const same = r.pick(["n", "s", "a"]);
    let kinds = [...fn.args].map((k) => (k === "=" ? same : k));
    const extra = fn.extra ? r.int(fn.extra + 1) : 0;
    for (let i = 0; i < extra; i++) kinds.push(fn.more === "=" ? same : (fn.more ?? "a"));
    if (piped && kinds.length > 0) kinds = kinds.slice(0, -1);
    if (r.chance(0.03)) kinds = r.chance(0.5) ? kinds.slice(1) : [...kinds, "a"];
    return kinds.map((k) => this.arg(k, depth));
  }

  command(depth: number): string {
    const r = this.r;
    if (r.chance(0.35)) return this.operand(depth);
    if (r.chance(0.12)) {
      const args = Array.from({ length: r.int(3) }, () => this.operand(depth));
      return ["printf", this.format(), ...args].join(" ");
    }
    const fn = r.pick(FUNCS);
    return [fn.name, ...this.args(fn, depth, false)].join(" ");
  }

  /** A function call missing its last argument, for the right side of a pipe. */
  pipedCommand(depth: number): string {
    const r = this.r;
    if (r.chance(0.15))
      return ["printf", this.format(), ...(r.chance(0.5) ? [this.operand(depth)] : [])].join(" ");
    const fn = r.pick(FUNCS);
    return [fn.name, ...this.args(fn, depth, true)].join(" ");
  }

  pipeline(depth: number): string {
    let p = this.command(depth);
    const stages = this.r.chance(0.35) ? 1 + this.r.int(2) : 0;
    for (let i = 0; i < stages; i++) p += ` | ${this.pipedCommand(depth)}`;
    return p;
  }

  private action(body: string): string {
    const r = this.r;
    const l = r.chance(0.15) ? "{{- " : r.chance(0.1) ? "{{" : "{{ ";
    const rt = r.chance(0.15) ? " -}}" : r.chance(0.1) ? "}}" : " }}";
    return `${l}${body}${rt}`;
  }

  private block(depth: number): string {
    this.vars.push([]);
    const out = this.items(depth + 1, 1 + this.r.int(3));
    this.vars.pop();
    return out;
  }

  item(depth: number): string {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.15) return r.pick(TEXTS);
    if (roll < 0.45 || depth >= 3) return this.action(this.pipeline(0));
    if (roll < 0.53) {
      const name = `$v${this.varCounter++}`;
      const s = this.action(`${name} := ${this.pipeline(0)}`);
      this.vars[this.vars.length - 1]?.push(name);
      return s;
    }
    const assignable = this.scopeVars().filter((v) => v !== "$");
    if (roll < 0.57 && (assignable.length > 0 || r.chance(0.1))) {
      const vs = assignable;
      const target = vs.length > 0 && r.chance(0.95) ? r.pick(vs) : "$undeclared";
      return this.action(`${target} = ${this.pipeline(0)}`);
    }
    if (roll < 0.67) {
      let s = this.action(`if ${this.pipeline(0)}`) + this.block(depth);
      if (r.chance(0.3)) s += this.action(`else if ${this.pipeline(0)}`) + this.block(depth);
      if (r.chance(0.5)) s += this.action("else") + this.block(depth);
      return s + this.action("end");
    }
    if (roll < 0.74) {
      let s = this.action(`with ${this.pipeline(0)}`) + this.block(depth);
      if (r.chance(0.4)) s += this.action("else") + this.block(depth);
      return s + this.action("end");
    }
    if (roll < 0.86) {
      const over = r.chance(0.8) ? r.pick(LISTISH) : this.pipeline(1);
      this.vars.push([]);
      let head = `range ${over}`;
      const form = r.int(4);
      const a = `$v${this.varCounter++}`;
      const b = `$v${this.varCounter++}`;
      if (form === 1) {
        head = `range ${a} := ${over}`;
        this.vars[this.vars.length - 1]?.push(a);
      } else if (form === 2) {
        head = `range ${a}, ${b} := ${over}`;
        this.vars[this.vars.length - 1]?.push(a, b);
      }
      this.inRange++;
      let s = this.action(head) + this.items(depth + 1, 1 + r.int(3));
      this.inRange--;
      this.vars.pop();
      if (r.chance(0.3)) s += this.action("else") + this.block(depth);
      return s + this.action("end");
    }
    if (roll < 0.9 && this.inRange > 0) {
      return (
        this.action(`if ${this.pipeline(0)}`) +
        this.action(r.pick(["break", "continue"])) +
        this.action("end")
      );
    }
    if (roll < 0.95 && !this.inDefine) {
      const name = r.pick(["t1", "t2", "t3"]);
      if (!this.defined.includes(name)) this.defined.push(name);
      return this.action(`template "${name}"${r.chance(0.7) ? ` ${this.pipeline(1)}` : ""}`);
    }
    return r.pick(["{{/* c */}}", "{{- /* c */ -}}", "{{/* multi\nline */}}"]);
  }

  items(depth: number, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += this.item(depth);
    return s;
  }

  template(): string {
    let s = this.items(0, 1 + this.r.int(4));
    for (const name of this.defined) {
      // A defined template sees only its own $; reset scope while generating its body.
      const saved = this.vars;
      this.vars = [["$"]];
      this.inDefine = true;
      s += `{{ define "${name}" }}${this.items(2, 1 + this.r.int(2))}{{ end }}`;
      this.vars = saved;
      this.inDefine = false;
    }
    return s;
  }
}

function mutate(r: Rng, t: string): string {
  if (t.length === 0) return r.pick(MUTATION_TOKENS);
  const at = r.int(t.length);
  switch (r.int(5)) {
    case 0:
      return t.slice(0, at) + t.slice(at + 1);
    case 1:
      return t.slice(0, at) + r.pick(MUTATION_TOKENS) + t.slice(at);
    case 2:
      return at + 1 < t.length ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : t.slice(0, at);
    case 3:
      return t.slice(0, at);
    default: {
      const close = t.indexOf("}}", at);
      return close < 0 ? `${t}{{` : t.slice(0, close) + t.slice(close + 2);
    }
  }
}

export function randomCases(seed: number, count: number): Case[] {
  const r = new Rng(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    let tpl = new Gen(r).template();
    if (r.chance(0.2)) tpl = mutate(r, tpl);
    const c: Case = { id: `rnd-${String(i + 1).padStart(4, "0")}`, tpl };
    if (!r.chance(0.08)) c.data = "std";
    if (r.chance(0.1)) c.missingkey = "error";
    out.push(c);
  }
  return out;
}
