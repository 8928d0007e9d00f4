/**
 * Go's regexp (RE2 syntax) on top of JS RegExp. The pattern is parsed with Go's grammar and
 * re-emitted as an equivalent JS pattern, because the two dialects disagree in ways that change
 * results silently: Go's `.`, `^`, `$` only treat `\n` as a line break, `\s` is ASCII-only, `{`
 * and `]` can be literals, named groups may start with a digit, and lookarounds/backreferences
 * must be rejected with Go's error text. Replacement follows Go's ReplaceAllString (no empty
 * match right after a previous match) and Regexp.Expand (`$1x` names the group "1x").
 */

export class GoRegexpError extends Error {}

function reErr(code: string, expr: string): never {
  throw new GoRegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

export interface GoRegexp {
  re: RegExp;
  /** Capture group names by index (index 0 unused; "" for unnamed groups). */
  names: string[];
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
    // Each open group: the flags outside it, how many extra JS groups it must close, and the
    // repetitions seen in the enclosing group so far.
    const stack: { flags: Flags; closes: number; start: number; reps: RepeatNode[] }[] = [];
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
          stack.push({ flags, closes, start, reps });
          reps = [];
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
        this.names.push("");
        stack.push({ flags, closes, start, reps });
        reps = [];
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
        flags = top.flags;
        closes = top.closes;
        lastItem = reps;
        reps = top.reps;
        canRepeat = true;
        lastRepeat = -1;
        continue;
      }
      if (c === "|") {
        endItem();
        this.i++;
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
        if (c === "{") {
          const r = this.repeatAt(this.i)!;
          op = src.slice(this.i, r.end);
          this.i = r.end;
          if (r.min > 1000 || (r.max !== -1 && (r.max > 1000 || r.max < r.min))) {
            reErr("invalid repeat count", op);
          }
          count = r.max === -1 ? r.min : r.max;
          checkSize = r.min >= 2 || r.max >= 2;
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
        const q = op + (lazy ? "?" : "");
        if (flagsAt >= 0) this.out = this.out.slice(0, flagsAt) + q + this.out.slice(flagsAt);
        else this.out += q;
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
          this.out += lit(ch.codePointAt(0)!);
          lastItem = [];
          canRepeat = true;
        }
        continue;
      }
      endItem();
      lastItem = [];
      lastRepeat = -1;
      canRepeat = true;
      if (c === "[") {
        this.out += this.charClass();
        continue;
      }
      if (c === ".") {
        this.i++;
        this.out += flags.s ? "[\\u{0}-\\u{10ffff}]" : "[^\\n]";
        continue;
      }
      if (c === "^") {
        this.i++;
        // Wrapped so a following quantifier stays legal in JS, as it is in Go (`^*`).
        this.out += flags.m ? "(?:(?<![^\\n]))" : "(?:(?<![\\s\\S]))";
        continue;
      }
      if (c === "$") {
        this.i++;
        this.out += flags.m ? "(?:(?![^\\n]))" : "(?:(?![\\s\\S]))";
        continue;
      }
      if (c === "\\") {
        const e = this.escape(false);
        this.out += e.assertion ? `(?:${e.src})` : e.src;
        continue;
      }
      this.out += lit(this.next());
    }
    if (stack.length > 0) reErr("missing closing )", src);
    return this.out + ")".repeat(closes);
  }

  /** Parses `{n}`, `{n,}`, `{n,m}` at `at`; null when the brace is a literal. */
  private repeatAt(at: number): { min: number; max: number; end: number } | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(at));
    if (!m) return null;
    const min = m[1]!.length > 8 ? 1e9 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? -1 : m[3]!.length > 8 ? 1e9 : Number(m[3]);
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
      // Go allows a name twice; ${name} then means the leftmost group (expandGo's indexOf).
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
  private escape(inClass: boolean): { src: string; assertion?: boolean; ranges?: Ranges } {
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
        return { src: "(?<![\\s\\S])", assertion: true };
      }
      if (c === "z") {
        this.i++;
        return { src: "(?![\\s\\S])", assertion: true };
      }
      if (c === "b" || c === "B") {
        this.i++;
        if (this.fold) return { src: c === "b" ? ASCII_B : ASCII_NOT_B, assertion: true };
        return { src: `\\${c}`, assertion: true };
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

const cache = new Map<string, GoRegexp>();

/** Compiles a Go (RE2) pattern; throws GoRegexpError with Go's message on bad syntax. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const t = new Translator(pattern);
  const src = t.translate();
  let re: RegExp;
  try {
    re = new RegExp(src, "gu");
  } catch (e) {
    // Anything our translation let through but JS rejects: report it as Go would a bad class.
    throw new GoRegexpError(`error parsing regexp: invalid character class range: \`${pattern}\``, {
      cause: e,
    });
  }
  const compiled = { re, names: t.names };
  if (cache.size > 500) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

export function goRegexpMatch(pattern: string, s: string): boolean {
  const { re } = compileGoRegexp(pattern);
  re.lastIndex = 0;
  return re.exec(s) !== null;
}

/** Go's Regexp.Expand for one match. */
export function expandGo(template: string, m: RegExpExecArray, names: string[]): string {
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
    const idx = names.indexOf(name);
    if (idx > 0) out += m[idx] ?? "";
  }
  return out;
}

/** Go's Regexp.ReplaceAllString. */
export function goRegexpReplaceAll(pattern: string, repl: string, s: string): string {
  const r = compileGoRegexp(pattern);
  return replaceAllMatches(r, s, (m) => expandGo(repl, m, r.names));
}

/**
 * Go's Regexp.replaceAll loop: every leftmost match replaced by `replacement(match)`, except an
 * empty match right after the previous match; after an empty match the search moves on a rune.
 */
export function replaceAllMatches(
  r: GoRegexp,
  s: string,
  replacement: (m: RegExpExecArray) => string,
): string {
  const re = r.re;
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    re.lastIndex = searchPos;
    const m = re.exec(s);
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
