/**
 * Case generators for scripts/fuzz/regexp-diff.ts. Each kind aims at one part of the regexp
 * functions:
 *  - classic: random RE2 patterns (groups, alternation with empty alternatives, every quantifier
 *    greedy and lazy, counted repetitions, flags, anchors, \b, classes) on short subjects over a
 *    small alphabet with case-folding pairs (k/K/U+212A, s/ſ), a multibyte letter, an emoji.
 *  - bytes: the same patterns plus ones about U+FFFD and surrogates, on subjects holding bytes that
 *    are not valid UTF-8 (stray continuation bytes, truncated sequences, encoded surrogates,
 *    overlong forms, code points past U+10FFFF, each read by Go as U+FFFD), given as this
 *    project's canonical JS form or as a form where valid characters are split into bytes (as
 *    string concatenation can leave them); some patterns and replacements hold invalid bytes too.
 *  - limits: patterns near Go's parser limits: nesting about 1,000 deep (groups, repetitions,
 *    alternations that Go's parser merges or factors), programs about 3,355,443 instructions,
 *    classes about 33,554,432 runes, counted repetitions near 1,000 copies, with syntax errors
 *    after them now and then (which error comes first).
 *  - redos: nested repetitions and alternations over a two-letter alphabet on long adversarial
 *    subjects, timed: a case that takes long is reported as slow.
 *  - skip: alternatives that open with a repeated class (`a+…`, `\s*…|^…`), which JS RegExp runs
 *    by skipping the runs of that class (regexp-route.ts, rule 2), on subjects with long runs.
 */
import { decodeGoBytes, encodeGoString } from "../../src/template/bytes.ts";
import { Rng } from "../goldens/gotemplate/random.ts";

export interface Case {
  p: string;
  s: string;
  r: string;
}

export type Kind = "classic" | "bytes" | "limits" | "redos" | "skip";

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
/** Items about what an invalid byte is to Go (U+FFFD) and what it is not (a surrogate). */
const BYTE_ATOMS = [
  "\\x{FFFD}",
  "[\\x{FFFD}]",
  "[^\\x{FFFD}]",
  "[\\x{D800}-\\x{DFFF}]",
  "[^\\x{DC00}-\\x{DFFF}]",
  "\\x{DC80}",
  "\\x{DCFF}",
  "[\\x{80}-\\x{FF}]",
  "\\xff",
  "\\pS",
  "\\p{So}",
  "[^\\pL]",
  "\\PN",
  "[\\x{FFFD}a]+",
  ".",
  "[^a]",
  "\\W",
  "\\S",
  "\\b",
  "\\B",
  "\\P{Lu}",
  "[\\P{Ll}x]",
  "\\p{^Lu}",
  "[^\\P{Lu}]",
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

// biome-ignore lint/suspicious/noTemplateCurlyInString: ${x} is Go's regexp expansion syntax.
const REPLACEMENT = "[$0|$1|$2|$3|$4|${x}]";

function genAlt(rng: Rng, depth: number, atoms: readonly string[]): string {
  const n = rng.chance(0.6) ? 1 : 2 + rng.int(2);
  const alts: string[] = [];
  for (let i = 0; i < n; i++) alts.push(rng.chance(0.12) ? "" : genSeq(rng, depth, atoms));
  return alts.join("|");
}

function genSeq(rng: Rng, depth: number, atoms: readonly string[]): string {
  const n = 1 + rng.int(3);
  let out = "";
  for (let i = 0; i < n; i++) {
    let item: string;
    const k = rng.next();
    if (k < 0.3 && depth < 3) {
      const open = rng.pick(GROUP_OPEN);
      item = `${open}${genAlt(rng, depth + 1, atoms)})`;
      if (open.startsWith("(?U)")) item = `(?:${item})`;
    } else if (k < 0.6) item = rng.pick(CHARS);
    else if (k < 0.75) item = rng.pick(atoms);
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

// ---- bytes -------------------------------------------------------------------------------------

const enc = new TextEncoder();
const VALID_PIECES = [
  "a",
  "b",
  "A",
  "k",
  "_",
  " ",
  "\n",
  "é",
  "€",
  "😀",
  "\u017f",
  "\u212a",
  "\ufffd",
  "1",
  "\u0345",
  "Σ",
  "ς",
].map((c) => Array.from(enc.encode(c)));
/** Byte sequences Go reads as one U+FFFD per byte. */
const INVALID_PIECES = [
  [0xff],
  [0x80],
  [0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** One of the JS strings this project can hold for Go's bytes: canonical, or with valid characters split into bytes. */
function jsForm(rng: Rng, bytes: number[]): string {
  const canonical = decodeGoBytes(Uint8Array.from(bytes));
  if (!rng.chance(0.3)) return canonical;
  let out = "";
  for (const ch of canonical) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 && !(cp >= 0xdc80 && cp <= 0xdcff) && rng.chance(0.6)) {
      for (const b of enc.encode(ch)) out += String.fromCharCode(0xdc00 + b);
    } else out += ch;
  }
  return out;
}

function genByteSubject(rng: Rng): string {
  const n = rng.chance(0.15) ? 10 + rng.int(25) : rng.int(9);
  const bytes: number[] = [];
  for (let i = 0; i < n; i++)
    bytes.push(...(rng.chance(0.35) ? rng.pick(INVALID_PIECES) : rng.pick(VALID_PIECES)));
  return jsForm(rng, bytes);
}

/** An invalid byte as this project holds it in a JS string. */
function badByte(rng: Rng): string {
  return String.fromCharCode(0xdc00 + rng.pick([0xff, 0x80, 0xc3, 0xfe]));
}

/** Patterns with an invalid byte where Go's parser reads a character: its error says where. */
const BAD_PATTERN_SPOTS = [
  (b: string) => `a${b}b`,
  (b: string) => `[a${b}]`,
  (b: string) => `\\${b}`,
  (b: string) => `(?P<n${b}m>x)`,
  (b: string) => `(?P<n${b}m`,
  (b: string) => `\\Q${b}x\\Ey`,
  (b: string) => `\\p{L${b}}`,
  (b: string) => `\\p${b}`,
  (b: string) => `(?i${b})`,
  (b: string) => `\\x{1${b}}`,
  (b: string) => `\\x${b}1`,
  (b: string) => `\\x1${b}`,
  (b: string) => `[a-${b}]`,
  (b: string) => `x{2${b}}`,
  (b: string) => `(${b}`,
  (b: string) => `a**${b}`,
];

function genBytePattern(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(BAD_PATTERN_SPOTS)(badByte(rng));
  let p = genAlt(rng, 0, rng.chance(0.5) ? BYTE_ATOMS : ATOMS);
  if (rng.chance(0.05)) {
    const at = rng.int(p.length + 1);
    p = p.slice(0, at) + badByte(rng) + p.slice(at);
  }
  return rng.chance(0.1) ? jsForm(rng, Array.from(encodeGoString(p))) : p;
}

function genByteReplacement(rng: Rng): string {
  if (!rng.chance(0.2)) return REPLACEMENT;
  return `[$1${badByte(rng)}$0${badByte(rng)}]`;
}

// ---- limits ------------------------------------------------------------------------------------

/** Something to nest: an item, with how it may be wrapped at each level. */
const LEAVES = [
  "a",
  "ab",
  "[ab]",
  "[a]",
  "a*",
  "(?:x|y)",
  "",
  "\\b",
  "(?i)k",
  "a|b",
  "ab|ac",
  "[a-c]|d",
  "\\pL",
  ".",
];
/** Wrappers, with about how many levels each adds to Go's tree (Go's parser decides exactly). */
const WRAPS: [string, string, number][] = [
  ["(", ")", 1],
  ["(", ")", 1],
  ["(?:", ")", 0],
  ["(?P<n>", ")", 1],
  ["(", ")*", 2],
  ["(?:", ")+", 1],
  ["(", ")?", 2],
  ["(?:", ")*", 1],
  ["(", "){1}", 2],
  ["(?:x", ")", 1],
  ["(?:", "|z)", 1],
  ["(", "|a)", 2],
  ["(?i:", ")", 0],
  ["(?:a|", ")", 1],
  ["(?:ab", "|ac)", 2],
  ["x(", ")y", 2],
];
/** What may follow, sometimes a syntax error (the limit, if met first, must win). */
const TAILS = ["", "", "", "", "\\8", ")", "(", "[", "a**", "x{1001}", "(?<", "\\p{Foo}"];

/** A leaf wrapped until Go's tree is about `height` high. */
function nested(rng: Rng, height: number): string {
  let open = "";
  let close = "";
  const wraps = rng.chance(0.5) ? [rng.pick(WRAPS)] : WRAPS;
  let h = 1;
  for (let n = 0; h < height && n < 5000; n++) {
    const [o, c, levels] = rng.pick(wraps);
    open += o;
    close = c + close;
    h += levels;
  }
  return open + rng.pick(LEAVES) + close;
}

/** Go's maxSize, 3,355,443 instructions. */
const MAX_SIZE = Math.floor((128 << 20) / 40);

function bigProgram(rng: Rng): string {
  const k = rng.int(5);
  const near = (n: number) => n + rng.int(9) - 4;
  if (k === 0) {
    // A literal of L characters repeated n times: size n·L.
    const n = rng.pick([1000, 999, 500, 100]);
    const len = near(Math.floor(MAX_SIZE / n));
    return `(?:${"ab".repeat(len >> 1)}${len & 1 ? "c" : ""}){${n}}`;
  }
  if (k === 1) {
    // Many counted repetitions side by side.
    const item = rng.pick(["a{1000}", "[ab]{1000}", "(?:ab){500}", "a{999,1000}", "\\pL{1000}"]);
    const each = item === "a{999,1000}" ? 1001 : 1000;
    return item.repeat(near(Math.floor(MAX_SIZE / each)));
  }
  if (k === 2) {
    // Nested counted repetitions: Go checks the size before the count of copies.
    const a = rng.pick([10, 100, 1000, 2, 999]);
    const b = rng.pick([10, 100, 1000, 3, 1001]);
    const c = rng.pick([1, 10, 1000, 4]);
    const inner = "x".repeat(1 + rng.int(6));
    return `(?:(?:(?:${inner}){${a}}){${b}}){${c}}`;
  }
  if (k === 3) {
    // Alternations and groups that take nodes (Go starts tracking sizes once nodes × repeats is large).
    const n = near(rng.pick([1600, 3300, 1100]));
    return `(?:(?:a|b)(c)){1000}${"(?:x|yz)".repeat(n)}${rng.pick(["", "{2}", "{1000}"])}`;
  }
  // A literal of about MAX_SIZE characters: one node in Go, no size check.
  return "a".repeat(near(MAX_SIZE + rng.pick([0, 1000]))) + rng.pick(["", "b{2}", "(?:c){1000}", "d*"]);
}

/** Classes adding up to about Go's 33,554,432 runes (\p{Greek}: 72 runes in Unicode 15 and 17 alike). */
function manyRunes(rng: Rng): string {
  const per = 72;
  const n = Math.floor((128 << 20) / 4 / per) + rng.int(5) - 2;
  return "\\p{Greek}".repeat(n);
}

function genLimitPattern(rng: Rng, index: number): string {
  // A few cases of classes near the rune limit per run (each is ~4 MB).
  if (index % 20000 === 7) return manyRunes(rng);
  const k = rng.next();
  let p: string;
  if (k < 0.55) p = nested(rng, 990 + rng.int(20));
  else if (k < 0.7) p = nested(rng, 300 + rng.int(400)) + nested(rng, 300 + rng.int(400));
  else if (k < 0.8) {
    // Long alternations whose common prefixes Go factors out, nesting deeper.
    const n = 480 + rng.int(40);
    const alts: string[] = [];
    for (let i = 0; i < n; i++) alts.push("a".repeat(i) + rng.pick(["b", "c", "", "[bc]", "b*"]));
    p = alts.join("|");
  } else if (k < 0.9) p = bigProgram(rng);
  else p = `${"(?:a+".repeat(480 + rng.int(40))}${")*".repeat(480 + rng.int(40))}`;
  return p + rng.pick(TAILS);
}

// ---- redos -------------------------------------------------------------------------------------

const REDOS_ATOMS = ["a", "a", "b", "[ab]", ".", "\\w", "a?", "(?:a|a)", "(?:a|aa)", "(?:ab|a)"];

function genRedosItem(rng: Rng, depth: number): string {
  if (depth > 2 || rng.chance(0.4)) return rng.pick(REDOS_ATOMS);
  const n = 1 + rng.int(3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(genRedosItem(rng, depth + 1));
  const body = rng.chance(0.4) ? parts.join("|") : parts.join("");
  return `${rng.pick(["(", "(?:"])}${body})${rng.pick(["*", "+", "{2,}", "{1,9}", "?", "*?", "+"])}`;
}

function genRedosPattern(rng: Rng): string {
  let p = "";
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) p += genRedosItem(rng, 0);
  return rng.pick(["", "^"]) + p + rng.pick(["$", "c", "b$", "", "\\b", "(?:c|$)"]);
}

function genRedosSubject(rng: Rng): string {
  const n = 2000 + rng.int(3000);
  const unit = rng.pick(["a", "ab", "aab", "a "]);
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n) + rng.pick(["", "!", "b", "c", "\n"]);
}

// ---- skip --------------------------------------------------------------------------------------

const LEADING = [
  "a+",
  "a*",
  "[ab]*",
  "\\w+?",
  "(a+)",
  "(?i)k*",
  "\\s+",
  "[^b]+",
  "\\d*",
  "(?:a)+",
  "a+?",
  "\\pL+",
];

function genSkipPattern(rng: Rng): string {
  const n = 1 + rng.int(3);
  const branches: string[] = [];
  for (let i = 0; i < n; i++) {
    const rest = rng.chance(0.2) ? rng.pick(["$", "b", "\\b", "c?", "b$"]) : genSeq(rng, 2, ATOMS);
    branches.push(rng.chance(0.75) ? rng.pick(LEADING) + rest : rng.pick(["^", ""]) + rest);
  }
  return branches.join("|");
}

function genSkipSubject(rng: Rng): string {
  let s = "";
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++)
    s += rng.chance(0.5) ? rng.pick(CHARS).repeat(1 + rng.int(6)) : rng.pick([" ", "  ", "\n", "1", "b"]);
  return s;
}

// ---- all ---------------------------------------------------------------------------------------

/** The cases of one kind and seed, made one at a time (limits cases are large: keep few at once). */
export function* genCases(kind: Kind, seed: number, count: number): Generator<Case> {
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    switch (kind) {
      case "classic":
        yield { p: genAlt(rng, 0, ATOMS), s: genSubject(rng), r: REPLACEMENT };
        break;
      case "bytes":
        yield { p: genBytePattern(rng), s: genByteSubject(rng), r: genByteReplacement(rng) };
        break;
      case "limits":
        yield { p: genLimitPattern(rng, i), s: rng.pick(["", "aab", "xyz", "ab\nac"]), r: "[$1]" };
        break;
      case "redos":
        yield { p: genRedosPattern(rng), s: genRedosSubject(rng), r: "[$1]" };
        break;
      case "skip":
        yield { p: genSkipPattern(rng), s: genSkipSubject(rng), r: REPLACEMENT };
        break;
    }
  }
}
