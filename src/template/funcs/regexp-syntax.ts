/**
 * Go's regexp syntax (RE2), parsed with Go's grammar and error texts. One pass gives:
 *  - the equivalent JS RegExp source (flags gu), which runs most patterns: the two dialects
 *    disagree in ways that change results silently (Go's `.`, `^`, `$` only treat `\n` as a line
 *    break, `\s` is ASCII-only, `{` and `]` can be literals, named groups may start with a digit,
 *    lookarounds and backreferences must be rejected);
 *  - the pattern's tree (ReNode), which regexp-vm.ts compiles to Go's own program and
 *    regexp-linear.ts inspects to choose the engine;
 *  - the record of Go's parser actions, which regexp-limits.ts replays for patterns large enough
 *    to meet Go's size and nesting limits.
 */
import {
  EMPTY_BEGIN_LINE,
  EMPTY_BEGIN_TEXT,
  EMPTY_END_LINE,
  EMPTY_END_TEXT,
  EMPTY_NO_WORD_BOUNDARY,
  EMPTY_WORD_BOUNDARY,
  type ReNode,
} from "./regexp-vm.ts";
import {
  type GoParseEvent,
  goFlags,
  OP_ANY_CHAR,
  OP_ANY_CHAR_NOT_NL,
  OP_BEGIN_LINE,
  OP_BEGIN_TEXT,
  OP_END_LINE,
  OP_END_TEXT,
  OP_NO_WORD_BOUNDARY,
  OP_PLUS,
  OP_QUEST,
  OP_REPEAT,
  OP_STAR,
  OP_WORD_BOUNDARY,
} from "./regexp-limits.ts";
import {
  appendFoldedRange,
  type ClassPart,
  type ClassSpec,
  cleanClass,
  goClassRunes,
  knownClassRunes,
  MAX_FOLD,
  MAX_RUNE,
  MIN_FOLD,
  negateClass,
  PERL_GROUPS,
  POSIX_GROUPS,
} from "./regexp-runes.ts";

export class GoRegexpError extends Error {}

export function reErr(code: string, expr: string): never {
  throw new GoRegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** A JS class-safe code point escape (valid in and outside classes under the u flag). */
function lit(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

/** A clean class (Go's flat [lo, hi, …] list) as JS class body text. */
function rangesSrc(r: readonly number[]): string {
  let out = "";
  for (let i = 0; i < r.length; i += 2)
    out += r[i] === r[i + 1] ? lit(r[i]!) : `${lit(r[i]!)}-${lit(r[i + 1]!)}`;
  return out;
}

/** \w with case folding: Go folds before negating, so under (?i) \W also leaves out ſ and K. */
const W_FOLDED = cleanClass([...PERL_GROUPS.w!, 0x17f, 0x17f, 0x212a, 0x212a]);

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

const GENERAL_CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

/**
 * `\pL`, `\p{Greek}`, `\p{^Greek}` → the JS class of the positive form (`\p{L}`,
 * `\p{Script=Greek}`, or "Any"), validated against the JS engine, and whether it is negated.
 */
function unicodeClass(name: string, negated: boolean, expr: string): { js: string; negated: boolean } {
  let neg = negated;
  let n = name;
  if (n.startsWith("^")) {
    neg = !neg;
    n = n.slice(1);
  }
  if (n === "Any") return { js: "Any", negated: neg };
  const js = `\\p{${GENERAL_CATEGORY.test(n) ? n : `Script=${n}`}}`;
  try {
    new RegExp(js, "u");
  } catch {
    reErr("invalid character class range", expr);
  }
  return { js, negated: neg };
}

/** A one-character item: its JS source, and as a class (for analysis and Go's limits). */
interface Atom {
  js: string;
  spec: ClassSpec | null;
}

/** What an escape stands for. */
interface Escape {
  /** JS source (outside a class: a whole item; inside: class body text). */
  src: string;
  /** `\A \z \b \B`: the condition, and Go's op. */
  assertion?: number;
  op?: number;
  /** A class escape (`\d`, `\pL`): the piece of a class it is. */
  part?: ClassPart;
  /** A single-character escape: the character. */
  rune?: number;
}

export class Translator {
  private i = 0;
  private out = "";
  /** The i flag is in effect where the translation is (Go folds classes before negating). */
  private fold = false;
  names: string[] = [""];
  /** The pattern as a tree, for regexp-vm.ts (set by translate). */
  tree: ReNode = { op: "empty" };
  /** Go's parser actions so far, in Go's order (see regexp-limits.ts). */
  readonly events: GoParseEvent[] = [];
  /** A counted repetition with a count of 2 or more was met (Go's size check may start early). */
  sawCount = false;
  /** The top-level alternatives: each one's tree and JS source (joined by `|`, the whole JS). */
  readonly branches: { tree: ReNode; js: string }[] = [];

  constructor(private readonly src: string) {}

  private peek(off = 0): string {
    return this.src[this.i + off] ?? "";
  }

  /**
   * Whether the UTF-16 unit at i is an invalid byte. The pattern is in canonical form
   * (bytes.ts), where a lone surrogate is always a byte that is not valid UTF-8.
   */
  private badByteAt(i: number): boolean {
    const c = this.src.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) return false;
    if (c <= 0xdbff) {
      const d = this.src.charCodeAt(i + 1);
      return !(d >= 0xdc00 && d <= 0xdfff);
    }
    const b = this.src.charCodeAt(i - 1);
    return !(b >= 0xd800 && b <= 0xdbff);
  }

  /** Go's nextRune: the character at i, or its error when it is an invalid byte (`end` ends the quoted text). */
  private checkRune(i: number, end = this.src.length): void {
    if (this.badByteAt(i)) reErr("invalid UTF-8", this.src.slice(i, end));
  }

  /** Go's checkUTF8 over src[from, to): the error quotes from the first invalid byte to `to`. */
  private checkUTF8(from: number, to: number): void {
    for (let i = from; i < to; i++) this.checkRune(i, to);
  }

  private next(): number {
    this.checkRune(this.i);
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
    const ev = this.events;
    /** Where the current top-level alternative's JS starts. */
    let branchAt = 0;
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
            ev.push({ e: "flags", flags: goFlags(flags) });
            continue;
          }
          endItem();
          const capture = g.kind === "named" ? this.names.length : 0;
          ev.push({ e: "leftParen", cap: capture, name: g.kind === "named" ? g.name : "" });
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
            ev.push({ e: "flags", flags: goFlags(flags) });
          }
          canRepeat = false;
          continue;
        }
        endItem();
        this.i++;
        ev.push({ e: "leftParen", cap: this.names.length, name: "" });
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
        ev.push({ e: "rightParen" });
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
        ev.push({ e: "bar" });
        endItem();
        this.i++;
        alts.push(concatNode(seq));
        // A flag change lasts to the end of the group, alternatives included: close and reopen.
        this.out += ")".repeat(closes);
        if (stack.length === 0) {
          this.branches.push({ tree: alts[alts.length - 1]!, js: this.out.slice(branchAt) });
          branchAt = this.out.length + 1;
        }
        seq = [];
        this.out += "|";
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
        let goOp = c === "*" ? OP_STAR : c === "+" ? OP_PLUS : OP_QUEST;
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
          goOp = OP_REPEAT;
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
        ev.push({ e: "repeat", op: goOp, min, max, lazySuffix: lazy });
        if (checkSize) this.sawCount = true;
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
        const textEnd = end < 0 ? src.length : end;
        let at = this.i + 2;
        this.i = end < 0 ? src.length : end + 2;
        lastRepeat = -1;
        while (at < textEnd) {
          this.checkRune(at, textEnd);
          const cp = src.codePointAt(at)!;
          at += cp > 0xffff ? 2 : 1;
          endItem();
          itemAt = this.out.length;
          quantified = false;
          ev.push(cp);
          this.literal(seq, cp);
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
        const a = this.charClass();
        ev.push({ e: "class", spec: a.spec! });
        this.atom(seq, a);
        continue;
      }
      if (c === ".") {
        this.i++;
        ev.push({ e: "op", op: flags.s ? OP_ANY_CHAR : OP_ANY_CHAR_NOT_NL });
        this.atom(seq, {
          js: flags.s ? "[\\u{0}-\\u{10ffff}]" : "[^\\n]",
          spec: {
            parts: [{ kind: "range", lo: flags.s ? 0 : 0x0a, hi: flags.s ? MAX_RUNE : 0x0a }],
            negated: !flags.s,
            fold: false,
          },
        });
        continue;
      }
      if (c === "^") {
        this.i++;
        ev.push({ e: "op", op: flags.m ? OP_BEGIN_LINE : OP_BEGIN_TEXT });
        // Wrapped so a following quantifier stays legal in JS, as it is in Go (`^*`).
        this.out += flags.m ? "(?:(?<![^\\n]))" : "(?:(?<![\\s\\S]))";
        seq.push({ op: "assert", cond: flags.m ? EMPTY_BEGIN_LINE : EMPTY_BEGIN_TEXT });
        continue;
      }
      if (c === "$") {
        this.i++;
        ev.push(flags.m ? { e: "op", op: OP_END_LINE } : { e: "op", op: OP_END_TEXT, dollar: true });
        this.out += flags.m ? "(?:(?![^\\n]))" : "(?:(?![\\s\\S]))";
        seq.push({ op: "assert", cond: flags.m ? EMPTY_END_LINE : EMPTY_END_TEXT });
        continue;
      }
      if (c === "\\") {
        const e = this.escape(false);
        if (e.assertion) {
          ev.push({ e: "op", op: e.op! });
          this.out += `(?:${e.src})`;
          seq.push({ op: "assert", cond: e.assertion });
        } else if (e.part) {
          const spec: ClassSpec = { parts: [e.part], negated: false, fold: this.fold };
          ev.push({ e: "escClass", spec });
          this.atom(seq, { js: e.src, spec });
        } else {
          ev.push({ e: "escLiteral", r: e.rune! });
          this.literal(seq, e.rune!);
        }
        continue;
      }
      const cp = this.next();
      ev.push(cp);
      this.literal(seq, cp);
    }
    ev.push({ e: "end" });
    if (stack.length > 0) reErr("missing closing )", src);
    alts.push(concatNode(seq));
    this.tree = alternateNode(alts);
    this.out += ")".repeat(closes);
    this.branches.push({ tree: alts[alts.length - 1]!, js: this.out.slice(branchAt) });
    return this.out;
  }

  /** Emits a literal character (under the i flag in effect) and its tree node. */
  private literal(seq: ReNode[], cp: number): void {
    const js = lit(cp);
    this.out += js;
    const fold = this.fold;
    seq.push({
      op: "rune",
      test: literalTest(cp, js, fold),
      literal: fold ? -1 : cp,
      set: literalSet(cp, fold),
      js,
      fold,
    });
  }

  /** Emits a one-character class item (under the i flag in effect) and its tree node. */
  private atom(seq: ReNode[], a: Atom): void {
    const fold = this.fold;
    let js = a.js;
    let set = a.spec && knownClassRunes(a.spec);
    if (a.spec?.fold && a.spec.parts.some((p) => p.kind === "unicode" && p.negated)) {
      // Go folds a Unicode class before negating it: (?i)\P{Lu} leaves out the lower-case letters
      // too. JS's \P{Lu} under /i keeps them (it folds the characters it compares instead), so
      // such a class is written out as the ranges Go has. The set is closed under folding, so JS
      // folding the characters it compares changes nothing.
      set = goClassRunes(a.spec);
      js = `[${rangesSrc(set)}]`;
    }
    this.out += js;
    seq.push({ op: "rune", test: runeTest(js, fold), literal: -1, set: set ?? null, js, fold });
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
    // Go needs something after the `<` to take it for a name.
    const named = t.startsWith("(?P<") ? t.length > 4 : t.startsWith("(?<") && t.length > 3;
    if (named) {
      const begin = t.startsWith("(?P<") ? 4 : 3;
      const end = t.indexOf(">");
      if (end < 0) {
        this.checkUTF8(this.i, src.length);
        reErr("invalid named capture", t);
      }
      const capture = t.slice(0, end + 1);
      this.checkUTF8(this.i + begin, this.i + end);
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
      this.checkRune(this.i + j);
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
    // The quoted text ends after the character that stopped the flags (a whole one).
    const cp = t.codePointAt(j);
    reErr(
      "invalid or unsupported Perl syntax",
      t.slice(0, Math.min(j + (cp !== undefined && cp > 0xffff ? 2 : 1), t.length)),
    );
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

  /** An escape outside (inClass=false) or inside a class. */
  private escape(inClass: boolean): Escape {
    const src = this.src;
    const start = this.i;
    this.i++; // backslash
    if (this.i >= src.length) reErr("trailing backslash at end of expression", "");
    this.checkRune(this.i);
    const c = src[this.i]!;
    if (c >= "1" && c <= "7") {
      const n = src[this.i + 1] ?? "";
      if (!(n >= "0" && n <= "7")) reErr("invalid escape sequence", src.slice(start, this.i + 1));
    }
    if (c >= "0" && c <= "7") {
      const m = /^[0-7]{1,3}/.exec(src.slice(this.i))![0];
      this.i += m.length;
      return this.runeEscape(Number.parseInt(m, 8));
    }
    if (c === "x") {
      this.i++;
      if (this.i < src.length) this.checkRune(this.i);
      if (src[this.i] === "{") {
        // Hex digits up to "}"; Go's error shows the escape up to the character it stopped at.
        let j = this.i + 1;
        let v = 0;
        for (;;) {
          if (j >= src.length) reErr("invalid escape sequence", src.slice(start));
          this.checkRune(j);
          const cp = src.codePointAt(j)!;
          j += cp > 0xffff ? 2 : 1;
          if (cp === 0x7d && j - 1 > this.i + 1) break;
          const h = cp < 0x80 ? "0123456789abcdef".indexOf(String.fromCharCode(cp).toLowerCase()) : -1;
          if (h < 0) reErr("invalid escape sequence", src.slice(start, j));
          v = v * 16 + h;
          if (v > MAX_RUNE) reErr("invalid escape sequence", src.slice(start, j));
        }
        this.i = j;
        return this.runeEscape(v);
      }
      // Two characters, each read whole before either is looked at.
      const w1 = this.i < src.length ? ((src.codePointAt(this.i) ?? 0) > 0xffff ? 2 : 1) : 0;
      if (w1 > 0 && this.i + w1 < src.length) this.checkRune(this.i + w1);
      const w2 =
        w1 > 0 && this.i + w1 < src.length ? ((src.codePointAt(this.i + w1) ?? 0) > 0xffff ? 2 : 1) : 0;
      const hex = src.slice(this.i, this.i + w1 + w2);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) reErr("invalid escape sequence", src.slice(start, this.i + w1 + w2));
      this.i += 2;
      return this.runeEscape(Number.parseInt(hex, 16));
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) {
      this.i++;
      return this.runeEscape(simple[c]!);
    }
    if (c === "d" || c === "s" || c === "w" || c === "D" || c === "S" || c === "W") {
      this.i++;
      const r = PERL_GROUPS[c.toLowerCase()]!;
      const negated = c !== c.toLowerCase();
      const ranges = negated ? negateClass(c === "W" && this.fold ? W_FOLDED : r) : r;
      return {
        src: inClass ? rangesSrc(ranges) : `[${rangesSrc(ranges)}]`,
        part: { kind: "group", ranges: r, negated },
      };
    }
    if (c === "p" || c === "P") {
      this.i++;
      let name: string;
      if (this.i < src.length) this.checkRune(this.i);
      if (src[this.i] === "{") {
        const end = src.indexOf("}", this.i);
        if (end < 0) {
          this.checkUTF8(start, src.length);
          reErr("invalid character class range", src.slice(start));
        }
        this.checkUTF8(this.i + 1, end);
        name = src.slice(this.i + 1, end);
        this.i = end + 1;
      } else {
        if (this.i >= src.length) reErr("invalid character class range", src.slice(start));
        name = String.fromCodePoint(this.next());
      }
      const u = unicodeClass(name, c === "P", src.slice(start, this.i));
      if (u.js === "Any") {
        const part: ClassPart = { kind: "group", ranges: [0, MAX_RUNE], negated: u.negated };
        if (u.negated) return { src: inClass ? "" : "[]", part };
        return { src: inClass ? "\\u{0}-\\u{10ffff}" : "[\\u{0}-\\u{10ffff}]", part };
      }
      const js = u.negated ? `\\P${u.js.slice(2)}` : u.js;
      return { src: js, part: { kind: "unicode", js: u.js, negated: u.negated } };
    }
    if (!inClass) {
      if (c === "A") {
        this.i++;
        return { src: "(?<![\\s\\S])", assertion: EMPTY_BEGIN_TEXT, op: OP_BEGIN_TEXT };
      }
      if (c === "z") {
        this.i++;
        return { src: "(?![\\s\\S])", assertion: EMPTY_END_TEXT, op: OP_END_TEXT };
      }
      if (c === "b" || c === "B") {
        this.i++;
        const cond = c === "b" ? EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY;
        const op = c === "b" ? OP_WORD_BOUNDARY : OP_NO_WORD_BOUNDARY;
        if (this.fold) return { src: c === "b" ? ASCII_B : ASCII_NOT_B, assertion: cond, op };
        return { src: `\\${c}`, assertion: cond, op };
      }
    }
    const cp = src.codePointAt(this.i)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) {
      this.i++;
      return this.runeEscape(cp);
    }
    reErr("invalid escape sequence", src.slice(start, this.i + (cp > 0xffff ? 2 : 1)));
  }

  private runeEscape(cp: number): Escape {
    return { src: lit(cp), rune: cp };
  }

  private charClass(): Atom {
    const src = this.src;
    const start = this.i;
    this.i++;
    let negated = false;
    if (src[this.i] === "^") {
      negated = true;
      this.i++;
    }
    const parts: ClassPart[] = [];
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
      if (c === "[" && src[this.i + 1] === ":" && this.i + 2 < src.length) {
        // Go takes the text up to the next ":]", wherever it is, as a class name.
        const end = src.indexOf(":]", this.i + 2);
        if (end >= 0) {
          const name = src.slice(this.i, end + 2);
          const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
          const r = m ? POSIX_GROUPS[m[2]!] : undefined;
          if (!m || !r) reErr("invalid character class range", name);
          this.i = end + 2;
          parts.push({ kind: "group", ranges: r, negated: m[1] !== "" });
          body += rangesSrc(m[1] ? negateClass(r) : r);
          continue;
        }
      }
      const itemStart = this.i;
      let lo: number;
      if (c === "\\") {
        const e = this.escape(true);
        if (e.part) {
          parts.push(e.part);
          body += e.src;
          continue;
        }
        lo = e.rune!;
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
          hi = this.escape(true).rune!;
        } else {
          hi = this.next();
        }
        if (hi < lo) reErr("invalid character class range", src.slice(itemStart, this.i));
      }
      parts.push({ kind: "range", lo, hi });
      body += lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`;
    }
    const spec: ClassSpec = { parts, negated, fold: this.fold };
    if (body === "") return { js: negated ? "[\\u{0}-\\u{10ffff}]" : "[]", spec };
    return { js: `[${negated ? "^" : ""}${body}]`, spec };
  }
}

/**
 * The items of one alternative in sequence. A sequence inside it (an unrepeated (?:…) group) is
 * spliced in, as Go's parser does: nesting such groups adds no depth to walk.
 */
function concatNode(seq: ReNode[]): ReNode {
  if (seq.length === 0) return { op: "empty" };
  if (seq.length === 1) return seq[0]!;
  if (!seq.some((n) => n.op === "concat")) return { op: "concat", subs: seq };
  const subs: ReNode[] = [];
  for (const n of seq) {
    if (n.op === "concat") for (const x of n.subs) subs.push(x);
    else subs.push(n);
  }
  return { op: "concat", subs };
}

/**
 * A group's alternatives; adjacent empty ones are one, as Go's parser leaves them, and the
 * alternatives of an alternative (an unrepeated (?:…|…) group) are spliced in, keeping their order.
 */
function alternateNode(alts: ReNode[]): ReNode {
  const flat: ReNode[] = [];
  for (const a of alts) {
    if (a.op === "alternate") for (const x of a.subs) flat.push(x);
    else flat.push(a);
  }
  const subs = flat.filter((a, i) => !(a.op === "empty" && flat[i + 1]?.op === "empty"));
  return subs.length === 1 ? subs[0]! : { op: "alternate", subs };
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

/** A literal's test, shared per character: the JS engine decides only under (?i). */
function literalTest(cp: number, js: string, fold: boolean): (cp: number) => boolean {
  const key = fold ? -1 - cp : cp;
  let t = literalTests.get(key);
  if (t === undefined) {
    if (literalTests.size >= 10_000) literalTests.clear();
    t = fold ? newRuneTest(js, true) : (c: number) => c === cp;
    literalTests.set(key, t);
  }
  return t;
}

const literalTests = new Map<number, (cp: number) => boolean>();

/** A literal as a class, for analysis: itself, or under (?i) all that folds to it (Go's folding). */
function literalSet(cp: number, fold: boolean): readonly number[] {
  if (!fold || cp < MIN_FOLD || cp > MAX_FOLD) return [cp, cp];
  let r = foldedSets.get(cp);
  if (r === undefined) {
    r = cleanClass(appendFoldedRange([], cp, cp));
    if (foldedSets.size >= 10_000) foldedSets.clear();
    foldedSets.set(cp, r);
  }
  return r;
}

const foldedSets = new Map<number, readonly number[]>();

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
