/**
 * Go's regexp (RE2 syntax) on top of JS RegExp. The pattern is parsed with Go's grammar and
 * re-emitted as an equivalent JS pattern, because the two dialects disagree in ways that change
 * results silently: Go's `.`, `^`, `$` only treat `\n` as a line break, `\s` is ASCII-only, `{`
 * and `]` can be literals, named groups may start with a digit, and lookarounds/backreferences
 * must be rejected with Go's error text. Replacement follows Go's ReplaceAllString (no empty
 * match right after a previous match) and Regexp.Expand (`$1x` names the group "1x").
 *
 * The translation is exact except where a group is repeated: captures inside a repetition and
 * iterations that match the empty string follow other rules in JS. The translator also builds the
 * pattern's tree, and those patterns run on Go's own matching algorithm instead (regexp-vm.ts).
 */

import {
  compileProgram,
  EMPTY_BEGIN_LINE,
  EMPTY_BEGIN_TEXT,
  EMPTY_END_LINE,
  EMPTY_END_TEXT,
  EMPTY_NO_WORD_BOUNDARY,
  EMPTY_WORD_BOUNDARY,
  type ReNode,
  type VmProgram,
  vmExec,
} from "./regexp-vm.ts";

export class GoRegexpError extends Error {}

function reErr(code: string, expr: string): never {
  throw new GoRegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

export interface GoRegexp {
  /** The JS translation (flags gu); what runs the pattern unless `vm` is set. */
  re: RegExp;
  /** Capture group names by index (index 0 unused; "" for unnamed groups). */
  names: string[];
  /** Go's program, for a pattern whose results JS RegExp cannot reproduce (see needsVm). */
  vm: VmProgram | null;
}

/** A match as RegExp.exec gives it: where it starts, its text, and each group's (or undefined). */
export interface GoMatch {
  index: number;
  length: number;
  0: string;
  readonly [group: number]: string | undefined;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_RUNE = 0x10ffff;

/** A JS class-safe code point escape (valid in and outside classes under the u flag). */
function lit(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

type Ranges = [number, number][];

const PERL: Record<string, Ranges> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};

/**
 * \w with case folding: Go folds a class before negating it, so under (?i) \W leaves out ſ
 * (U+017F, folds to s) and K (U+212A, the Kelvin sign, folds to k) as well.
 */
const W_FOLDED: Ranges = [...PERL.w!, [0x17f, 0x17f], [0x212a, 0x212a]];

/** Go's ASCII word boundary, immune to the i flag (JS's \b under /iu counts ſ and K as letters). */
const ASCII_WORD = "[0-9A-Za-z_]";
const ASCII_B = `(?-i:(?<=${ASCII_WORD})(?!${ASCII_WORD})|(?<!${ASCII_WORD})(?=${ASCII_WORD}))`;
const ASCII_NOT_B = `(?-i:(?<=${ASCII_WORD})(?=${ASCII_WORD})|(?<!${ASCII_WORD})(?!${ASCII_WORD}))`;

/** A counted repetition: `{n}`, `{n,}`, `{n,m}`, numbers without leading zeros. */
const REPEAT = /\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/y;

/** Go's limit on nested repetition: a{2}{3} is 6 copies; more than 1000 is an error. */
const MAX_REPEAT_COPIES = 1000;

/** A repetition in the pattern and those nested in its operand (for Go's repeatIsValid). */
interface RepeatNode {
  /** {n,m}: m (n when unbounded); 0 for *, + and ?, which Go does not count. */
  count: number;
  inner: RepeatNode[];
}

/** Go's repeatIsValid: no path of nested {n,m} repetitions makes more than `n` copies. */
function repeatIsValid(r: RepeatNode, n: number): boolean {
  let left = n;
  if (r.count > 0) {
    if (r.count > left) return false;
    left = Math.floor(left / r.count);
  }
  return r.inner.every((x) => repeatIsValid(x, left));
}

const POSIX: Record<string, Ranges> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: PERL.w!,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

function negate(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of [...r].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

function rangesSrc(r: Ranges): string {
  return r.map(([lo, hi]) => (lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`)).join("");
}

const GENERAL_CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

/** `\pL`, `\p{Greek}`, `\p{^Greek}` → JS `\p{…}` / `\P{…}` text, validated against the JS engine. */
function unicodeClass(name: string, negated: boolean, expr: string): string {
  let neg = negated;
  let n = name;
  if (n.startsWith("^")) {
    neg = !neg;
    n = n.slice(1);
  }
  let body: string;
  if (n === "Any") return neg ? "" : "\\u{0}-\\u{10ffff}";
  if (GENERAL_CATEGORY.test(n)) body = n;
  else body = `Script=${n}`;
  const src = `\\${neg ? "P" : "p"}{${body}}`;
  try {
    new RegExp(src, "u");
  } catch {
    reErr("invalid character class range", expr);
  }
  return src;
}

class Translator {
  private i = 0;
  private out = "";
  /** The i flag is in effect where the translation is (Go folds classes before negating). */
  private fold = false;
  names: string[] = [""];
  /** The pattern as a tree, for regexp-vm.ts (set by translate). */
  tree: ReNode = { op: "empty" };

  constructor(private readonly src: string) {}

  private peek(off = 0): string {
    return this.src[this.i + off] ?? "";
  }

  private next(): number {
    const c = this.src.codePointAt(this.i)!;
    this.i += c > 0xffff ? 2 : 1;
    return c;
  }

  translate(): string {
    // Each open group: the flags outside it, how many extra JS groups it must close, the
    // repetitions seen in the enclosing group so far, and the enclosing group's tree so far (its
    // finished alternatives and the items of the current one) with this group's capture index
    // (0 when it captures nothing).
    const stack: {
      flags: Flags;
      closes: number;
      start: number;
      reps: RepeatNode[];
      alts: ReNode[];
      seq: ReNode[];
      capture: number;
      /** Where the group's JS starts in `out`. */
      outAt: number;
    }[] = [];
    let alts: ReNode[] = [];
    let seq: ReNode[] = [];
    let flags: Flags = { i: false, m: false, s: false, U: false };
    let closes = 0;
    /** Whether the last emitted item can take a repetition. */
    let canRepeat = false;
    /** Where the previous item's repetition operator started (Go rejects `a**`), or -1. */
    let lastRepeat = -1;
    /**
     * Where in `out` a run of flag-only groups ((?i)) began, or -1. They are no operand in Go, so
     * a repetition right after one applies to the item before it: it goes in before them.
     */
    let flagsAt = -1;
    /**
     * Where the last item's JS starts in `out`, and whether it already ends in a quantifier: a
     * flag-only group between two repetitions lets Go repeat a repetition (`a*(?i)*`), which JS
     * only takes inside (?:…).
     */
    let itemAt = 0;
    let quantified = false;
    // Go's repeatIsValid: the repetitions in the current group, and those in the last item (its
    // operand, should a repetition follow; null when there is no item to repeat).
    let reps: RepeatNode[] = [];
    let lastItem: RepeatNode[] | null = null;
    /** A new item starts: the last one is done, its repetitions belong to the group. */
    const endItem = (): void => {
      if (lastItem !== null) for (const r of lastItem) reps.push(r);
      lastItem = null;
      flagsAt = -1;
    };
    const src = this.src;
    while (this.i < src.length) {
      this.fold = flags.i;
      const c = src[this.i]!;
      const start = this.i;
      if (c === "(") {
        lastRepeat = -1;
        if (src.startsWith("(?", this.i)) {
          this.currentFlags = flags;
          const g = this.perlGroup();
          if (g.kind === "flags") {
            if (g.flags.i !== flags.i) {
              if (flagsAt < 0) flagsAt = this.out.length;
              this.out += g.flags.i ? "(?i:" : "(?-i:";
              closes++;
            }
            flags = g.flags;
            continue;
          }
          endItem();
          const capture = g.kind === "named" ? this.names.length : 0;
          stack.push({ flags, closes, start, reps, alts, seq, capture, outAt: this.out.length });
          reps = [];
          alts = [];
          seq = [];
          closes = 0;
          if (g.kind === "named") {
            this.names.push(g.name);
            this.out += "(";
          } else {
            this.out += g.flags.i !== flags.i ? (g.flags.i ? "(?i:" : "(?-i:") : "(?:";
            flags = g.flags;
          }
          canRepeat = false;
          continue;
        }
        endItem();
        this.i++;
        stack.push({
          flags,
          closes,
          start,
          reps,
          alts,
          seq,
          capture: this.names.length,
          outAt: this.out.length,
        });
        this.names.push("");
        reps = [];
        alts = [];
        seq = [];
        closes = 0;
        this.out += "(";
        canRepeat = false;
        continue;
      }
      if (c === ")") {
        const top = stack.pop();
        if (!top) reErr("unexpected )", src);
        endItem();
        this.i++;
        this.out += ")".repeat(closes + 1);
        alts.push(concatNode(seq));
        const group = alternateNode(alts);
        alts = top.alts;
        seq = top.seq;
        seq.push(top.capture > 0 ? { op: "capture", index: top.capture, sub: group } : group);
        flags = top.flags;
        closes = top.closes;
        itemAt = top.outAt;
        quantified = false;
        lastItem = reps;
        reps = top.reps;
        canRepeat = true;
        lastRepeat = -1;
        continue;
      }
      if (c === "|") {
        endItem();
        this.i++;
        alts.push(concatNode(seq));
        seq = [];
        // A flag change lasts to the end of the group, alternatives included: close and reopen.
        this.out += `${")".repeat(closes)}|`;
        if (closes > 0) {
          this.out += flags.i ? "(?i:" : "(?-i:";
          closes = 1;
        }
        canRepeat = false;
        lastRepeat = -1;
        continue;
      }
      if (c === "*" || c === "+" || c === "?" || (c === "{" && this.repeatAt(this.i) !== null)) {
        let op: string;
        let count = 0;
        let checkSize = false;
        let min = c === "+" ? 1 : 0;
        let max = c === "?" ? 1 : -1;
        if (c === "{") {
          const r = this.repeatAt(this.i)!;
          op = src.slice(this.i, r.end);
          this.i = r.end;
          if (r.min > 1000 || (r.max !== -1 && (r.max > 1000 || r.max < r.min))) {
            reErr("invalid repeat count", op);
          }
          count = r.max === -1 ? r.min : r.max;
          checkSize = r.min >= 2 || r.max >= 2;
          min = r.min;
          max = r.max;
        } else {
          op = c;
          this.i++;
        }
        let lazy = false;
        if (this.peek() === "?") {
          lazy = true;
          this.i++;
        }
        if (lastRepeat >= 0) reErr("invalid nested repetition operator", src.slice(lastRepeat, this.i));
        if (!canRepeat) reErr("missing argument to repetition operator", src.slice(start, this.i));
        const node: RepeatNode = { count, inner: lastItem ?? [] };
        if (checkSize && !repeatIsValid(node, MAX_REPEAT_COPIES)) reErr("invalid repeat count", op);
        lastItem = [node];
        if (flags.U) lazy = !lazy;
        // The operand is the last item: flag-only groups add none.
        seq.push({ op: "repeat", min, max, greedy: !lazy, sub: seq.pop()! });
        const q = op + (lazy ? "?" : "");
        if (quantified) {
          const at = flagsAt >= 0 ? flagsAt : this.out.length;
          const operand = `(?:${this.out.slice(itemAt, at)})`;
          this.out = this.out.slice(0, itemAt) + operand + q + this.out.slice(at);
        } else if (flagsAt >= 0) this.out = this.out.slice(0, flagsAt) + q + this.out.slice(flagsAt);
        else this.out += q;
        quantified = true;
        flagsAt = -1;
        lastRepeat = start;
        continue;
      }
      if (c === "\\" && src[this.i + 1] === "Q") {
        // \Q…\E: each character a literal of its own (a repetition after it takes the last one).
        const end = src.indexOf("\\E", this.i + 2);
        const text = end < 0 ? src.slice(this.i + 2) : src.slice(this.i + 2, end);
        this.i = end < 0 ? src.length : end + 2;
        lastRepeat = -1;
        for (const ch of text) {
          endItem();
          itemAt = this.out.length;
          quantified = false;
          this.atom(seq, lit(ch.codePointAt(0)!));
          lastItem = [];
          canRepeat = true;
        }
        continue;
      }
      endItem();
      lastItem = [];
      lastRepeat = -1;
      canRepeat = true;
      itemAt = this.out.length;
      quantified = false;
      if (c === "[") {
        this.atom(seq, this.charClass());
        continue;
      }
      if (c === ".") {
        this.i++;
        this.atom(seq, flags.s ? "[\\u{0}-\\u{10ffff}]" : "[^\\n]");
        continue;
      }
      if (c === "^") {
        this.i++;
        // Wrapped so a following quantifier stays legal in JS, as it is in Go (`^*`).
        this.out += flags.m ? "(?:(?<![^\\n]))" : "(?:(?<![\\s\\S]))";
        seq.push({ op: "assert", cond: flags.m ? EMPTY_BEGIN_LINE : EMPTY_BEGIN_TEXT });
        continue;
      }
      if (c === "$") {
        this.i++;
        this.out += flags.m ? "(?:(?![^\\n]))" : "(?:(?![\\s\\S]))";
        seq.push({ op: "assert", cond: flags.m ? EMPTY_END_LINE : EMPTY_END_TEXT });
        continue;
      }
      if (c === "\\") {
        const e = this.escape(false);
        if (e.assertion) {
          this.out += `(?:${e.src})`;
          seq.push({ op: "assert", cond: e.assertion });
        } else this.atom(seq, e.src);
        continue;
      }
      this.atom(seq, lit(this.next()));
    }
    if (stack.length > 0) reErr("missing closing )", src);
    alts.push(concatNode(seq));
    this.tree = alternateNode(alts);
    return this.out + ")".repeat(closes);
  }

  /** Emits a one-character item (JS source `js`, under the i flag in effect) and its tree node. */
  private atom(seq: ReNode[], js: string): void {
    this.out += js;
    seq.push({ op: "rune", test: runeTest(js, this.fold), literal: this.fold ? -1 : litCodePoint(js) });
  }

  /** Parses `{n}`, `{n,}`, `{n,m}` at `at`; null when the brace is a literal. */
  private repeatAt(at: number): { min: number; max: number; end: number } | null {
    // Go takes no leading zero in a count: `{01}` is literal text.
    REPEAT.lastIndex = at;
    const m = REPEAT.exec(this.src);
    if (!m) return null;
    const count = (digits: string) => (digits.length > 8 ? 1e9 : Number(digits));
    const min = count(m[1]!);
    const max = m[2] === undefined ? min : m[3] === undefined ? -1 : count(m[3]);
    return { min, max, end: at + m[0].length };
  }

  private perlGroup(): { kind: "flags" | "group"; flags: Flags } | { kind: "named"; name: string } {
    const src = this.src;
    const t = src.slice(this.i);
    if (t.startsWith("(?P<") || t.startsWith("(?<")) {
      const begin = t.startsWith("(?P<") ? 4 : 3;
      const end = t.indexOf(">");
      if (end < 0) reErr("invalid named capture", t);
      const capture = t.slice(0, end + 1);
      const name = t.slice(begin, end);
      if (name === "" || !/^[\p{L}\p{Nd}_]+$/u.test(name)) reErr("invalid named capture", capture);
      // Go allows a name twice; ${name} then means the leftmost that matched (see expandGo).
      this.i += end + 1;
      return { kind: "named", name };
    }
    // Flags: (?i) (?-s) (?im-sU:
    const cur = { i: false, m: false, s: false, U: false };
    let sign = 1;
    let sawFlag = false;
    let j = 2;
    for (; j < t.length; j++) {
      const c = t[j]!;
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        (cur as Record<string, boolean | number>)[c] = sign > 0 ? true : -1;
        sawFlag = true;
        continue;
      }
      if (c === "-") {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
        continue;
      }
      if (c === ":" || c === ")") {
        if (sign < 0 && !sawFlag) break;
        this.i += j + 1;
        return { kind: c === ":" ? "group" : "flags", flags: this.applyFlags(cur) };
      }
      break;
    }
    reErr("invalid or unsupported Perl syntax", t.slice(0, Math.min(j + 1, t.length)));
  }

  /** The flags in effect: the enclosing ones changed by a `(?…)` spec (true = set, -1 = clear). */
  private currentFlags: Flags = { i: false, m: false, s: false, U: false };
  private applyFlags(spec: Record<string, boolean | number>): Flags {
    const f = { ...this.currentFlags };
    for (const k of ["i", "m", "s", "U"] as const) {
      if (spec[k] === true) f[k] = true;
      else if (spec[k] === -1) f[k] = false;
    }
    return f;
  }

  /** An escape outside (inClass=false) or inside a class. Returns JS source. */
  private escape(inClass: boolean): { src: string; assertion?: number; ranges?: Ranges } {
    const src = this.src;
    const start = this.i;
    this.i++; // backslash
    if (this.i >= src.length) reErr("trailing backslash at end of expression", "");
    const c = src[this.i]!;
    if (c >= "1" && c <= "7") {
      const n = src[this.i + 1] ?? "";
      if (!(n >= "0" && n <= "7")) reErr("invalid escape sequence", src.slice(start, this.i + 1));
    }
    if (c >= "0" && c <= "7") {
      const m = /^[0-7]{1,3}/.exec(src.slice(this.i))![0];
      this.i += m.length;
      return { src: lit(Number.parseInt(m, 8)) };
    }
    if (c === "x") {
      this.i++;
      if (src[this.i] === "{") {
        // Hex digits up to "}"; Go's error shows the escape up to the character it stopped at.
        let j = this.i + 1;
        let v = 0;
        for (;;) {
          if (j >= src.length) reErr("invalid escape sequence", src.slice(start));
          const cp = src.codePointAt(j)!;
          j += cp > 0xffff ? 2 : 1;
          if (cp === 0x7d && j - 1 > this.i + 1) break;
          const h = cp < 0x80 ? "0123456789abcdef".indexOf(String.fromCharCode(cp).toLowerCase()) : -1;
          if (h < 0) reErr("invalid escape sequence", src.slice(start, j));
          v = v * 16 + h;
          if (v > MAX_RUNE) reErr("invalid escape sequence", src.slice(start, j));
        }
        this.i = j;
        return { src: lit(v) };
      }
      const hex = src.slice(this.i, this.i + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        reErr("invalid escape sequence", src.slice(start, this.i + hex.length));
      this.i += 2;
      return { src: lit(Number.parseInt(hex, 16)) };
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) {
      this.i++;
      return { src: lit(simple[c]!) };
    }
    if (c === "d" || c === "s" || c === "w" || c === "D" || c === "S" || c === "W") {
      this.i++;
      const r = PERL[c.toLowerCase()]!;
      const ranges = c === c.toLowerCase() ? r : negate(c === "W" && this.fold ? W_FOLDED : r);
      return { src: inClass ? rangesSrc(ranges) : `[${rangesSrc(ranges)}]`, ranges };
    }
    if (c === "p" || c === "P") {
      this.i++;
      let name: string;
      if (src[this.i] === "{") {
        const end = src.indexOf("}", this.i);
        if (end < 0) reErr("invalid character class range", src.slice(start));
        name = src.slice(this.i + 1, end);
        this.i = end + 1;
      } else {
        if (this.i >= src.length) reErr("invalid character class range", src.slice(start));
        name = String.fromCodePoint(this.next());
      }
      const u = unicodeClass(name, c === "P", src.slice(start, this.i));
      if (u === "") return { src: inClass ? "" : "[]" };
      return { src: inClass || u.startsWith("\\") ? u : `[${u}]` };
    }
    if (!inClass) {
      if (c === "A") {
        this.i++;
        return { src: "(?<![\\s\\S])", assertion: EMPTY_BEGIN_TEXT };
      }
      if (c === "z") {
        this.i++;
        return { src: "(?![\\s\\S])", assertion: EMPTY_END_TEXT };
      }
      if (c === "b" || c === "B") {
        this.i++;
        const cond = c === "b" ? EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY;
        if (this.fold) return { src: c === "b" ? ASCII_B : ASCII_NOT_B, assertion: cond };
        return { src: `\\${c}`, assertion: cond };
      }
    }
    const cp = src.codePointAt(this.i)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) {
      this.i++;
      return { src: lit(cp) };
    }
    reErr("invalid escape sequence", src.slice(start, this.i + (cp > 0xffff ? 2 : 1)));
  }

  private charClass(): string {
    const src = this.src;
    const start = this.i;
    this.i++;
    let negated = false;
    if (src[this.i] === "^") {
      negated = true;
      this.i++;
    }
    let body = "";
    let first = true;
    for (;;) {
      if (this.i >= src.length) reErr("missing closing ]", src.slice(start));
      const c = src[this.i]!;
      if (c === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === "[" && src[this.i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.i));
        if (m) {
          const r = POSIX[m[2]!];
          if (!r) reErr("invalid character class range", m[0]);
          this.i += m[0].length;
          body += rangesSrc(m[1] ? negate(r) : r);
          continue;
        }
      }
      const itemStart = this.i;
      let lo: number;
      if (c === "\\") {
        const e = this.escape(true);
        if (
          e.ranges ||
          e.src.startsWith("\\p") ||
          e.src.startsWith("\\P") ||
          e.src === "" ||
          e.src.startsWith("\\u{0}-")
        ) {
          body += e.src;
          continue;
        }
        lo = this.escapedRune(e.src);
      } else {
        lo = this.next();
      }
      let hi = lo;
      if (src[this.i] === "-" && src[this.i + 1] !== "]" && this.i + 1 < src.length) {
        this.i++;
        if (src[this.i] === "\\") {
          // A range ends at one character: Go reads it with parseEscape, for which a class
          // (\\d, \\pL) is no escape at all.
          const k = src[this.i + 1] ?? "";
          if ("dswDSWpP".includes(k) && k !== "")
            reErr("invalid escape sequence", src.slice(this.i, this.i + 2));
          const e = this.escape(true);
          hi = this.escapedRune(e.src);
        } else {
          hi = this.next();
        }
        if (hi < lo) reErr("invalid character class range", src.slice(itemStart, this.i));
      }
      body += lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`;
    }
    if (body === "") return negated ? "[\\u{0}-\\u{10ffff}]" : "[]";
    return `[${negated ? "^" : ""}${body}]`;
  }

  private escapedRune(js: string): number {
    const m = /^\\u\{([0-9a-f]+)\}$/.exec(js);
    if (m) return Number.parseInt(m[1]!, 16);
    return js.codePointAt(0)!;
  }
}

/** The items of one alternative in sequence. */
function concatNode(seq: ReNode[]): ReNode {
  if (seq.length === 0) return { op: "empty" };
  return seq.length === 1 ? seq[0]! : { op: "concat", subs: seq };
}

/** A group's alternatives; adjacent empty ones are one, as Go's parser leaves them. */
function alternateNode(alts: ReNode[]): ReNode {
  const subs = alts.filter((a, i) => !(a.op === "empty" && alts[i + 1]?.op === "empty"));
  return subs.length === 1 ? subs[0]! : { op: "alternate", subs };
}

/** A JS class-safe literal as lit() writes it, or -1. */
function litCodePoint(js: string): number {
  if (/^[0-9A-Za-z]$/.test(js)) return js.charCodeAt(0);
  const m = /^\\u\{([0-9a-f]+)\}$/.exec(js);
  return m ? Number.parseInt(m[1]!, 16) : -1;
}

/**
 * Whether one code point matches the one-character item `js` (JS source from the translator),
 * under the i flag or not. The JS engine decides, as it does for the whole translated pattern,
 * so folding and classes are the same in both engines; answers are remembered per code point.
 */
function runeTest(js: string, fold: boolean): (cp: number) => boolean {
  const key = `${fold ? "i" : "-"}${js}`;
  let t = runeTests.get(key);
  if (t === undefined) {
    if (runeTests.size >= 10_000) runeTests.clear();
    t = newRuneTest(js, fold);
    runeTests.set(key, t);
  }
  return t;
}

/** The same item (`a`, `\w`, `[^\n]`) shares one test, within a pattern and across patterns. */
const runeTests = new Map<string, (cp: number) => boolean>();

function newRuneTest(js: string, fold: boolean): (cp: number) => boolean {
  let re: RegExp | null = null;
  const ascii = new Int8Array(128); // 0 unknown, 1 no, 2 yes
  const other = new Map<number, boolean>();
  return (cp) => {
    if (cp < 128) {
      const k = ascii[cp]!;
      if (k !== 0) return k === 2;
    } else {
      const k = other.get(cp);
      if (k !== undefined) return k;
    }
    re ??= new RegExp(`^(?:${js})$`, fold ? "iu" : "u");
    const yes = re.test(String.fromCodePoint(cp));
    if (cp < 128) ascii[cp] = yes ? 2 : 1;
    else if (other.size < 4096) other.set(cp, yes);
    return yes;
  };
}

/**
 * Whether JS RegExp would part from Go on this pattern: a repetition that can run twice or more
 * over a capturing group (JS clears the group each round, Go keeps the last value captured), or
 * an optional repetition over something that can match the empty string (JS refuses an empty
 * round, Go takes it in priority order). Everything else matches alike, and JS is faster.
 * Iterative: a pattern may nest deeper than the call stack allows.
 */
function needsVm(root: ReNode): boolean {
  // Post-order over the tree: each node's (nullable, holds a capture) once its subtrees are known.
  const nullable = new Map<ReNode, boolean>();
  const captures = new Map<ReNode, boolean>();
  const todo: [ReNode, boolean][] = [[root, false]];
  while (todo.length > 0) {
    const [n, ready] = todo.pop()!;
    const subs =
      n.op === "concat" || n.op === "alternate"
        ? n.subs
        : n.op === "capture" || n.op === "repeat"
          ? [n.sub]
          : [];
    if (!ready) {
      todo.push([n, true]);
      for (const sub of subs) todo.push([sub, false]);
      continue;
    }
    let nul: boolean;
    let cap = n.op === "capture" || subs.some((x) => captures.get(x));
    switch (n.op) {
      case "rune":
        nul = false;
        break;
      case "empty":
      case "assert":
        nul = true;
        break;
      case "concat":
        nul = n.subs.every((x) => nullable.get(x));
        break;
      case "alternate":
        nul = n.subs.some((x) => nullable.get(x));
        break;
      case "capture":
        nul = nullable.get(n.sub)!;
        break;
      case "repeat": {
        const subNull = nullable.get(n.sub)!;
        if ((n.max === -1 || n.max >= 2) && captures.get(n.sub)) return true;
        if (n.min !== n.max && subNull) return true;
        nul = n.min === 0 || subNull;
        cap = captures.get(n.sub)!;
        break;
      }
    }
    nullable.set(n, nul);
    captures.set(n, cap);
  }
  return false;
}

/** Which engine runs a pattern: "auto" as compileGoRegexp chooses; "vm"/"js" force one (fuzzing). */
export type GoRegexpEngine = "auto" | "vm" | "js";

/** Go's program for a parsed pattern, or null when the tree is too deep to walk recursively. */
function programFor(t: Translator): VmProgram | null {
  try {
    return compileProgram(t.tree, t.names.length - 1);
  } catch (e) {
    // Thousands of nested levels, far past the 1,000 Go allows.
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Whether every one-character item's JS source compiles (forcing runeTest's lazy RegExp). */
function itemsCompile(root: ReNode): boolean {
  const todo: ReNode[] = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n.op === "rune") {
      try {
        n.test(0);
      } catch {
        return false;
      }
    } else if (n.op === "concat" || n.op === "alternate") todo.push(...n.subs);
    else if (n.op === "capture" || n.op === "repeat") todo.push(n.sub);
  }
  return true;
}

/** Stands in for the JS RegExp of a pattern that only the program runs. */
const NEVER = /(?!)/gu;

/** Compiles a Go (RE2) pattern, uncached; throws GoRegexpError with Go's message on bad syntax. */
export function buildGoRegexp(pattern: string, engine: GoRegexpEngine = "auto"): GoRegexp {
  const t = new Translator(pattern);
  const src = t.translate();
  let re: RegExp | null = null;
  let jsError: unknown = null;
  try {
    re = new RegExp(src, "gu");
  } catch (e) {
    jsError = e;
  }
  let vm: VmProgram | null = null;
  if (re === null || engine === "vm" || (engine === "auto" && needsVm(t.tree))) vm = programFor(t);
  if (re === null) {
    // JS's regexp compiler refuses patterns Go takes when they are too large for it (200,000
    // optional items); Go's algorithm runs them. Anything else our translation let through but
    // JS rejects is reported as Go would a bad class.
    if (vm === null || !itemsCompile(t.tree)) {
      throw new GoRegexpError(`error parsing regexp: invalid character class range: \`${pattern}\``, {
        cause: jsError,
      });
    }
    re = NEVER;
  }
  return { re, names: t.names, vm };
}

const cache = new Map<string, GoRegexp>();

/** Compiles a Go (RE2) pattern; throws GoRegexpError with Go's message on bad syntax. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const compiled = buildGoRegexp(pattern);
  if (cache.size > 500) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/**
 * The leftmost-first match of `r` in `s` at or after UTF-16 index `pos`, or null. Without
 * `groups` only the match itself is needed (its groups may be left unset), which saves Go's
 * matcher tracking them, as Go does for the calls that do not look at groups.
 */
export function execGo(r: GoRegexp, s: string, pos: number, groups = true): GoMatch | null {
  if (r.vm === null) {
    r.re.lastIndex = pos;
    return r.re.exec(s);
  }
  const slots = vmExec(r.vm, s, pos, groups ? r.vm.numSlots : 2);
  if (slots === null) return null;
  const texts: (string | undefined)[] = [];
  for (let i = 0; i < slots.length; i += 2) {
    texts.push(slots[i]! < 0 ? undefined : s.slice(slots[i], slots[i + 1]));
  }
  return Object.assign(texts, { index: slots[0]! }) as unknown as GoMatch;
}

/** Whether `r` matches anywhere in `s` (Go's MatchString). */
export function testGo(r: GoRegexp, s: string): boolean {
  if (r.vm === null) {
    r.re.lastIndex = 0;
    return r.re.test(s);
  }
  return vmExec(r.vm, s, 0, 0) !== null;
}

const withIndices = new WeakMap<GoRegexp, RegExp>();

/**
 * As execGo, as Go's submatch slots (UTF-16 indexes; -1 for a group that did not take part).
 * For tests and the differential fuzzer, which compare group positions too.
 */
export function execGoSlots(r: GoRegexp, s: string, pos: number): number[] | null {
  if (r.vm !== null) {
    const slots = vmExec(r.vm, s, pos);
    return slots === null ? null : Array.from(slots);
  }
  let re = withIndices.get(r);
  if (!re) {
    re = new RegExp(r.re.source, "gud");
    withIndices.set(r, re);
  }
  re.lastIndex = pos;
  const m = re.exec(s);
  if (!m) return null;
  const out: number[] = [];
  for (const span of m.indices!) out.push(span?.[0] ?? -1, span?.[1] ?? -1);
  return out;
}

export function goRegexpMatch(pattern: string, s: string): boolean {
  return testGo(compileGoRegexp(pattern), s);
}

/** Go's Regexp.Expand for one match. */
export function expandGo(template: string, m: GoMatch, names: string[]): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf("$", i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name = "";
    let ok = false;
    if (template[i] === "{") {
      const end = template.indexOf("}", i + 1);
      const inner = end < 0 ? "" : template.slice(i + 1, end);
      if (end >= 0 && inner !== "" && /^[\p{L}\p{Nd}_]+$/u.test(inner)) {
        name = inner;
        ok = true;
        i = end + 1;
      }
    } else {
      const nm = /^[\p{L}\p{Nd}_]+/u.exec(template.slice(i));
      if (nm) {
        name = nm[0];
        ok = true;
        i += name.length;
      }
    }
    if (!ok) {
      // Malformed: the `$` is kept as text.
      out += "$";
      continue;
    }
    let num = -1;
    if (/^[0-9]+$/.test(name) && name.length <= 8 && !(name.length > 1 && name[0] === "0"))
      num = Number(name);
    if (num >= 0) {
      if (num < m.length) out += m[num] ?? "";
      continue;
    }
    // A name may be given to several groups: the leftmost that took part in the match counts.
    for (let g = 1; g < names.length; g++) {
      const text = m[g];
      if (names[g] === name && text !== undefined) {
        out += text;
        break;
      }
    }
  }
  return out;
}

/** Go's Regexp.ReplaceAllString. */
export function goRegexpReplaceAll(pattern: string, repl: string, s: string): string {
  const r = compileGoRegexp(pattern);
  return replaceAllMatches(r, s, (m) => expandGo(repl, m, r.names), repl.includes("$"));
}

/**
 * Go's Regexp.replaceAll loop: every leftmost match replaced by `replacement(match)`, except an
 * empty match right after the previous match; after an empty match the search moves on a rune.
 * `groups`: whether `replacement` reads the groups' text (or only the match's).
 */
export function replaceAllMatches(
  r: GoRegexp,
  s: string,
  replacement: (m: GoMatch) => string,
  groups = true,
): string {
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    const m = execGo(r, s, searchPos, groups);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += s.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += replacement(m);
    lastMatchEnd = a1;
    const cp = s.codePointAt(searchPos);
    const width = cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + s.slice(lastMatchEnd);
}
