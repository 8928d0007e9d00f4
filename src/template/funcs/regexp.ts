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
    // Each open group: the flags outside it and how many extra JS groups it must close.
    const stack: { flags: Flags; closes: number; start: number }[] = [];
    let flags: Flags = { i: false, m: false, s: false, U: false };
    let closes = 0;
    /** Whether the last emitted item can take a repetition, and where it started in `out`. */
    let canRepeat = false;
    /** Where the previous item's repetition operator started (Go rejects `a**`), or -1. */
    let lastRepeat = -1;
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i]!;
      const start = this.i;
      if (c === "(") {
        lastRepeat = -1;
        if (src.startsWith("(?", this.i)) {
          this.currentFlags = flags;
          const g = this.perlGroup();
          if (g.kind === "flags") {
            if (g.flags.i !== flags.i) {
              this.out += g.flags.i ? "(?i:" : "(?-i:";
              closes++;
            }
            flags = g.flags;
            canRepeat = false;
            continue;
          }
          stack.push({ flags, closes, start });
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
        this.i++;
        this.names.push("");
        stack.push({ flags, closes, start });
        closes = 0;
        this.out += "(";
        canRepeat = false;
        continue;
      }
      if (c === ")") {
        const top = stack.pop();
        if (!top) reErr("unexpected )", src);
        this.i++;
        this.out += ")".repeat(closes + 1);
        flags = top.flags;
        closes = top.closes;
        canRepeat = true;
        lastRepeat = -1;
        continue;
      }
      if (c === "|") {
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
        if (c === "{") {
          const r = this.repeatAt(this.i)!;
          op = src.slice(this.i, r.end);
          this.i = r.end;
          if (r.min > 1000 || (r.max !== -1 && (r.max > 1000 || r.max < r.min))) {
            reErr("invalid repeat count", op);
          }
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
        if (flags.U) lazy = !lazy;
        this.out += op + (lazy ? "?" : "");
        lastRepeat = start;
        continue;
      }
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
      if (this.names.includes(name)) reErr("duplicate capture group name", name);
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
        if (c === ")" && j === 2) break;
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
        const end = src.indexOf("}", this.i);
        const hex = end < 0 ? "" : src.slice(this.i + 1, end);
        if (end < 0 || !/^[0-9A-Fa-f]+$/.test(hex) || Number.parseInt(hex, 16) > MAX_RUNE) {
          reErr("invalid escape sequence", src.slice(start, end < 0 ? src.length : end + 1));
        }
        this.i = end + 1;
        return { src: lit(Number.parseInt(hex, 16)) };
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
      const ranges = c === c.toLowerCase() ? r : negate(r);
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
        return { src: `\\${c}`, assertion: true };
      }
      if (c === "Q") {
        const end = src.indexOf("\\E", this.i + 1);
        const text = end < 0 ? src.slice(this.i + 1) : src.slice(this.i + 1, end);
        this.i = end < 0 ? src.length : end + 2;
        let out = "";
        for (const ch of text) out += lit(ch.codePointAt(0)!);
        return { src: text === "" ? "(?:)" : `(?:${out})` };
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
          const e = this.escape(true);
          if (e.ranges || e.src.startsWith("\\p") || e.src.startsWith("\\P")) {
            reErr("invalid character class range", src.slice(itemStart, this.i));
          }
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
