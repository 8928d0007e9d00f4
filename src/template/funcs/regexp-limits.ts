/**
 * Go's limits on a regexp's size, reproduced by building the parse tree Go's regexp/syntax builds.
 *
 * Go refuses a pattern whose parse tree is more than 1,000 levels high ("expression nests too
 * deeply"), whose program would take more than 3,355,443 instructions, or whose classes hold more
 * than 33,554,432 runes ("expression too large"), quoting the whole pattern. It checks as it
 * parses, on the tree it has built so far, so whether a pattern passes — and whether a limit or a
 * syntax error further on is reported — depends on that tree's exact shape: literals joined into
 * strings, `a|b` turned into a class, common prefixes of alternatives factored out, nodes recycled
 * through a free list (which decides when the size check starts), and sizes remembered per node
 * (a node that is later shortened keeps its old size). So the translator in regexp.ts records
 * Go's parser actions as it meets them (a literal, a class, `(`, `|`, `)`, a repetition …) and,
 * for patterns large enough to get near a limit, GoTreeModel replays them on a tree of Go's shape
 * with Go's checks at the same points. See $GOROOT/src/regexp/syntax/parse.go.
 */
import {
  appendClass,
  appendLiteral,
  type ClassSpec,
  cleanClass,
  goClassRunes,
  MAX_RUNE,
  minFoldRune,
  simpleFold,
} from "./regexp-runes.ts";

// Go's syntax.Op values; mergeCharClass and factor compare them by size.
const OP_NO_MATCH = 1;
const OP_EMPTY_MATCH = 2;
const OP_LITERAL = 3;
const OP_CHAR_CLASS = 4;
const OP_ANY_CHAR_NOT_NL = 5;
const OP_ANY_CHAR = 6;
export const OP_BEGIN_LINE = 7;
export const OP_END_LINE = 8;
export const OP_BEGIN_TEXT = 9;
export const OP_END_TEXT = 10;
export const OP_WORD_BOUNDARY = 11;
export const OP_NO_WORD_BOUNDARY = 12;
const OP_CAPTURE = 13;
export const OP_STAR = 14;
export const OP_PLUS = 15;
export const OP_QUEST = 16;
export const OP_REPEAT = 17;
const OP_CONCAT = 18;
const OP_ALTERNATE = 19;
const OP_PSEUDO = 128;
const OP_LEFT_PAREN = 128;
const OP_VERTICAL_BAR = 129;
export { OP_ANY_CHAR, OP_ANY_CHAR_NOT_NL };

// Go's syntax.Flags bits.
export const FOLD_CASE = 1;
const DOT_NL = 8;
const ONE_LINE = 16;
const NON_GREEDY = 32;
/** Marks an OpEndText written as `$` (Equal tells it from `\z`). */
const WAS_DOLLAR = 256;
/** syntax.Perl, the flags regexp.Compile parses with: ClassNL | OneLine | PerlX | UnicodeGroups. */
const PERL = 4 | ONE_LINE | 64 | 128;

/** Go's flags for the translator's (?imsU) state. */
export function goFlags(f: { i: boolean; m: boolean; s: boolean; U: boolean }): number {
  let bits = PERL;
  if (f.i) bits |= FOLD_CASE;
  if (f.m) bits &= ~ONE_LINE;
  if (f.s) bits |= DOT_NL;
  if (f.U) bits |= NON_GREEDY;
  return bits;
}

const MAX_HEIGHT = 1000;
/** 128 MB of 40-byte instructions. */
const MAX_SIZE = Math.floor((128 << 20) / 40);
/** 128 MB of 4-byte runes. */
const MAX_RUNES = (128 << 20) / 4;

/**
 * One of Go's parser actions, as the translator meets them (see GoTreeModel's methods). A plain
 * literal character, the commonest, is just its code point (a pattern can hold millions).
 */
export type GoParseEvent =
  | number
  /** An escape that is a single character: Go allocates a class node first, then recycles it. */
  | { e: "escLiteral"; r: number }
  | { e: "class"; spec: ClassSpec }
  /** `\d`, `\pL` … outside brackets. */
  | { e: "escClass"; spec: ClassSpec }
  /** An empty-width assertion or `.`; `dollar` marks an OpEndText written `$` (Go tells it from `\z`). */
  | { e: "op"; op: number; dollar?: boolean }
  | { e: "leftParen"; cap: number; name: string }
  | { e: "flags"; flags: number }
  | { e: "bar" }
  | { e: "rightParen" }
  | { e: "repeat"; op: number; min: number; max: number; lazySuffix: boolean }
  | { e: "end" };

export class GoLimitError extends Error {}

class Node {
  op = 0;
  flags = 0;
  subs: Node[] = [];
  runes: number[] = [];
  min = 0;
  max = 0;
  cap = 0;
  name = "";
  nextFree: Node | null = null;
  /**
   * Go's per-node memos (maps keyed by the node there), -1 when absent. Recycling a node forgets
   * its height but, as in Go, not its size.
   */
  height = -1;
  size = -1;
}

function isCharClass(re: Node): boolean {
  return (
    (re.op === OP_LITERAL && re.runes.length === 1) ||
    re.op === OP_CHAR_CLASS ||
    re.op === OP_ANY_CHAR_NOT_NL ||
    re.op === OP_ANY_CHAR
  );
}

function matchRune(re: Node, r: number): boolean {
  switch (re.op) {
    case OP_LITERAL:
      return re.runes.length === 1 && re.runes[0] === r;
    case OP_CHAR_CLASS:
      for (let i = 0; i < re.runes.length; i += 2)
        if (re.runes[i]! <= r && r <= re.runes[i + 1]!) return true;
      return false;
    case OP_ANY_CHAR_NOT_NL:
      return r !== 0x0a;
    case OP_ANY_CHAR:
      return true;
  }
  return false;
}

function sameRunes(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Go's Regexp.Equal. */
function equal(x: Node | null, y: Node | null): boolean {
  if (x === null || y === null) return x === y;
  if (x.op !== y.op) return false;
  switch (x.op) {
    case OP_END_TEXT:
      return (x.flags & WAS_DOLLAR) === (y.flags & WAS_DOLLAR);
    case OP_LITERAL:
    case OP_CHAR_CLASS:
      return (x.flags & FOLD_CASE) === (y.flags & FOLD_CASE) && sameRunes(x.runes, y.runes);
    case OP_ALTERNATE:
    case OP_CONCAT:
      return x.subs.length === y.subs.length && x.subs.every((s, i) => equal(s, y.subs[i]!));
    case OP_STAR:
    case OP_PLUS:
    case OP_QUEST:
      return (x.flags & NON_GREEDY) === (y.flags & NON_GREEDY) && equal(x.subs[0]!, y.subs[0]!);
    case OP_REPEAT:
      return (
        (x.flags & NON_GREEDY) === (y.flags & NON_GREEDY) &&
        x.min === y.min &&
        x.max === y.max &&
        equal(x.subs[0]!, y.subs[0]!)
      );
    case OP_CAPTURE:
      return x.cap === y.cap && x.name === y.name && equal(x.subs[0]!, y.subs[0]!);
  }
  return true;
}

/** Go's cleanAlt: a class about to sit in an alternation, cleaned (and `.` when it is one). */
function cleanAlt(re: Node): void {
  if (re.op !== OP_CHAR_CLASS) return;
  const r = cleanClass(re.runes);
  if (r.length === 2 && r[0] === 0 && r[1] === MAX_RUNE) {
    re.runes = [];
    re.op = OP_ANY_CHAR;
  } else if (r.length === 4 && r[0] === 0 && r[1] === 0x09 && r[2] === 0x0b && r[3] === MAX_RUNE) {
    re.runes = [];
    re.op = OP_ANY_CHAR_NOT_NL;
  }
}

/** Go's mergeCharClass: dst = dst|src, where dst.op ≥ src.op. */
function mergeCharClass(dst: Node, src: Node): void {
  switch (dst.op) {
    case OP_ANY_CHAR_NOT_NL:
      if (matchRune(src, 0x0a)) dst.op = OP_ANY_CHAR;
      break;
    case OP_CHAR_CLASS:
      if (src.op === OP_LITERAL) appendLiteral(dst.runes, src.runes[0]!, (src.flags & FOLD_CASE) !== 0);
      else appendClass(dst.runes, src.runes);
      break;
    case OP_LITERAL: {
      if (src.runes[0] === dst.runes[0] && src.flags === dst.flags) break;
      const first = dst.runes[0]!;
      dst.op = OP_CHAR_CLASS;
      dst.runes = appendLiteral([], first, (dst.flags & FOLD_CASE) !== 0);
      appendLiteral(dst.runes, src.runes[0]!, (src.flags & FOLD_CASE) !== 0);
      break;
    }
  }
}

/**
 * Go's parser state for one pattern: the parse stack, the free list, and the counters and
 * per-node memos its limit checks use. Each public method is one parser action; a limit that is
 * passed throws GoLimitError with Go's error code.
 */
export class GoTreeModel {
  private flags = PERL;
  private readonly stack: Node[] = [];
  private free: Node | null = null;
  private numRegexp = 0;
  private numRunes = 0;
  /** Product of the counted repetitions seen, while sizes are not yet tracked. */
  private repeats = 0;
  /** Whether heights, and sizes, are being tracked yet (Go starts when the tree could be too large). */
  private trackHeight = false;
  private trackSize = false;

  /** Replays the translator's record of a pattern; throws GoLimitError where Go would. */
  static replay(events: readonly GoParseEvent[]): void {
    const m = new GoTreeModel();
    for (const ev of events) {
      if (!m.apply(ev)) return;
    }
  }

  /** One action; false when the action is where the pattern's syntax error is (nothing follows). */
  private apply(ev: GoParseEvent): boolean {
    if (typeof ev === "number") {
      this.literal(ev);
      return true;
    }
    switch (ev.e) {
      case "escLiteral":
        // Go allocates the class node an escape might be, then recycles it for the literal.
        this.reuse(this.newRegexp(OP_CHAR_CLASS));
        this.literal(ev.r);
        return true;
      case "class":
      case "escClass": {
        const re = this.newRegexp(OP_CHAR_CLASS);
        re.flags = this.flags;
        re.runes = goClassRunes(ev.spec);
        this.push(re);
        return true;
      }
      case "op": {
        const re = this.op(ev.op);
        if (ev.dollar) re.flags |= WAS_DOLLAR;
        return true;
      }
      case "leftParen": {
        const re = this.op(OP_LEFT_PAREN);
        re.cap = ev.cap;
        re.name = ev.name;
        return true;
      }
      case "flags":
        this.flags = ev.flags;
        return true;
      case "bar":
        this.concat();
        if (!this.swapVerticalBar()) this.op(OP_VERTICAL_BAR);
        return true;
      case "rightParen":
        return this.rightParen();
      case "repeat":
        this.repeat(ev.op, ev.min, ev.max, ev.lazySuffix);
        return true;
      case "end":
        this.concat();
        if (this.swapVerticalBar()) this.stack.pop();
        this.alternate();
        return false;
    }
  }

  private newRegexp(op: number): Node {
    let re = this.free;
    if (re !== null) {
      this.free = re.nextFree;
      re.flags = 0;
      re.subs = [];
      re.runes = [];
      re.min = 0;
      re.max = 0;
      re.cap = 0;
      re.name = "";
      re.nextFree = null;
    } else {
      re = new Node();
      this.numRegexp++;
    }
    re.op = op;
    return re;
  }

  /** Go's reuse: onto the free list. The size memo is kept (as Go keeps it); the height one is not. */
  private reuse(re: Node): void {
    re.height = -1;
    re.nextFree = this.free;
    this.free = re;
  }

  private checkLimits(re: Node): void {
    if (this.numRunes > MAX_RUNES) throw new GoLimitError("expression too large");
    this.checkSize(re);
    this.checkHeight(re);
  }

  private checkSize(re: Node): void {
    if (!this.trackSize) {
      // Sizes are only tracked once the nodes allocated times the repetitions could be too many.
      if (this.repeats === 0) this.repeats = 1;
      if (re.op === OP_REPEAT) {
        let n = re.max === -1 ? re.min : re.max;
        if (n <= 0) n = 1;
        if (n > Math.floor(MAX_SIZE / this.repeats)) this.repeats = MAX_SIZE;
        else this.repeats *= n;
      }
      if (this.numRegexp < Math.floor(MAX_SIZE / this.repeats)) return;
      this.trackSize = true;
      for (const s of this.stack) this.checkSize(s);
    }
    if (this.calcSize(re, true) > MAX_SIZE) throw new GoLimitError("expression too large");
  }

  private calcSize(re: Node, force: boolean): number {
    if (!force && re.size >= 0) return re.size;
    let n = 0;
    switch (re.op) {
      case OP_LITERAL:
        n = re.runes.length;
        break;
      case OP_CAPTURE:
      case OP_STAR:
        n = 2 + this.calcSize(re.subs[0]!, false);
        break;
      case OP_PLUS:
      case OP_QUEST:
        n = 1 + this.calcSize(re.subs[0]!, false);
        break;
      case OP_CONCAT:
        for (const s of re.subs) n += this.calcSize(s, false);
        break;
      case OP_ALTERNATE:
        for (const s of re.subs) n += this.calcSize(s, false);
        if (re.subs.length > 1) n += re.subs.length - 1;
        break;
      case OP_REPEAT: {
        const sub = this.calcSize(re.subs[0]!, false);
        if (re.max === -1) n = re.min === 0 ? 2 + sub : 1 + re.min * sub;
        else n = re.max * sub + (re.max - re.min);
        break;
      }
    }
    n = Math.max(1, n);
    re.size = n;
    return n;
  }

  private checkHeight(re: Node): void {
    // A tree this high needs this many nodes.
    if (this.numRegexp < MAX_HEIGHT) return;
    if (!this.trackHeight) {
      this.trackHeight = true;
      for (const s of this.stack) this.checkHeight(s);
    }
    if (this.calcHeight(re, true) > MAX_HEIGHT) throw new GoLimitError("expression nests too deeply");
  }

  private calcHeight(re: Node, force: boolean): number {
    if (!force && re.height >= 0) return re.height;
    let h = 1;
    for (const s of re.subs) h = Math.max(h, 1 + this.calcHeight(s, false));
    re.height = h;
    return h;
  }

  /** Go's push: a one-rune class (or a case pair such as [Aa]) becomes a literal, joined to the one before. */
  private push(re: Node): Node | null {
    this.numRunes += re.runes.length;
    const r = re.runes;
    if (re.op === OP_CHAR_CLASS && r.length === 2 && r[0] === r[1]) {
      if (this.maybeConcat(r[0]!, this.flags & ~FOLD_CASE)) return null;
      re.op = OP_LITERAL;
      re.runes = [r[0]!];
      re.flags = this.flags & ~FOLD_CASE;
    } else if (
      re.op === OP_CHAR_CLASS &&
      ((r.length === 4 &&
        r[0] === r[1] &&
        r[2] === r[3] &&
        simpleFold(r[0]!) === r[2] &&
        simpleFold(r[2]!) === r[0]) ||
        (r.length === 2 && r[0]! + 1 === r[1] && simpleFold(r[0]!) === r[1] && simpleFold(r[1]!) === r[0]))
    ) {
      if (this.maybeConcat(r[0]!, this.flags | FOLD_CASE)) return null;
      re.op = OP_LITERAL;
      re.runes = [r[0]!];
      re.flags = this.flags | FOLD_CASE;
    } else {
      this.maybeConcat(-1, 0);
    }
    this.stack.push(re);
    this.checkLimits(re);
    return re;
  }

  /**
   * Go's maybeConcat: joins the top two literals (same case folding) into one. With r ≥ 0 the
   * freed top node becomes the literal r instead, and true says r was pushed.
   */
  private maybeConcat(r: number, flags: number): boolean {
    const n = this.stack.length;
    if (n < 2) return false;
    const re1 = this.stack[n - 1]!;
    const re2 = this.stack[n - 2]!;
    if (
      re1.op !== OP_LITERAL ||
      re2.op !== OP_LITERAL ||
      (re1.flags & FOLD_CASE) !== (re2.flags & FOLD_CASE)
    ) {
      return false;
    }
    for (const x of re1.runes) re2.runes.push(x);
    if (r >= 0) {
      re1.runes = [r];
      re1.flags = flags;
      return true;
    }
    this.stack.pop();
    this.reuse(re1);
    return false;
  }

  private literal(r: number): void {
    const re = this.newRegexp(OP_LITERAL);
    re.flags = this.flags;
    re.runes = [this.flags & FOLD_CASE ? minFoldRune(r) : r];
    this.push(re);
  }

  private op(op: number): Node {
    const re = this.newRegexp(op);
    re.flags = this.flags;
    // push() only swallows a class node; these are never one.
    return this.push(re)!;
  }

  private repeat(op: number, min: number, max: number, lazySuffix: boolean): void {
    const n = this.stack.length;
    const re = this.newRegexp(op);
    re.min = min;
    re.max = max;
    re.flags = lazySuffix ? this.flags ^ NON_GREEDY : this.flags;
    re.subs = [this.stack[n - 1]!];
    this.stack[n - 1] = re;
    this.checkLimits(re);
  }

  /** The items above the last `(` or `|`. */
  private popOperands(): Node[] {
    let i = this.stack.length;
    while (i > 0 && this.stack[i - 1]!.op < OP_PSEUDO) i--;
    return this.stack.splice(i);
  }

  private concat(): void {
    this.maybeConcat(-1, 0);
    const subs = this.popOperands();
    if (subs.length === 0) this.push(this.newRegexp(OP_EMPTY_MATCH));
    else this.push(this.collapse(subs, OP_CONCAT));
  }

  private alternate(): void {
    const subs = this.popOperands();
    if (subs.length > 0) cleanAlt(subs[subs.length - 1]!);
    if (subs.length === 0) this.push(this.newRegexp(OP_NO_MATCH));
    else this.push(this.collapse(subs, OP_ALTERNATE));
  }

  /** Go's collapse: subs under one op, nested nodes of the same op flattened; alternatives factored. */
  private collapse(subs: Node[], op: number): Node {
    if (subs.length === 1) return subs[0]!;
    let re = this.newRegexp(op);
    for (const sub of subs) {
      if (sub.op === op) {
        for (const s of sub.subs) re.subs.push(s);
        this.reuse(sub);
      } else re.subs.push(sub);
    }
    if (op === OP_ALTERNATE) {
      re.subs = this.factor(re.subs);
      if (re.subs.length === 1) {
        const old = re;
        re = re.subs[0]!;
        this.reuse(old);
      }
    }
    return re;
  }

  /**
   * Go's factor: common literal prefixes of neighbouring alternatives taken out (abc|abd →
   * ab(?:c|d)), then common leading classes, then runs of single characters and classes merged
   * into one class, then runs of empty alternatives into one.
   */
  private factor(sub: Node[]): Node[] {
    if (sub.length < 2) return sub;

    // Round 1: common literal prefixes.
    let out: Node[] = [];
    let str: number[] | null = null;
    let strflags = 0;
    let start = 0;
    for (let i = 0; i <= sub.length; i++) {
      let istr: number[] | null = null;
      let iflags = 0;
      if (i < sub.length) {
        [istr, iflags] = this.leadingString(sub[i]!);
        if (iflags === strflags) {
          let same = 0;
          while (
            str !== null &&
            istr !== null &&
            same < str.length &&
            same < istr.length &&
            str[same] === istr[same]
          )
            same++;
          if (same > 0) {
            str = str!.slice(0, same);
            continue;
          }
        }
      }
      if (i === start + 1) out.push(sub[start]!);
      else if (i > start + 1) {
        const prefix = this.newRegexp(OP_LITERAL);
        prefix.flags = strflags;
        prefix.runes = str!.slice();
        for (let j = start; j < i; j++) {
          sub[j] = this.removeLeadingString(sub[j]!, str!.length);
          this.checkLimits(sub[j]!);
        }
        const suffix = this.collapse(sub.slice(start, i), OP_ALTERNATE);
        const re = this.newRegexp(OP_CONCAT);
        re.subs = [prefix, suffix];
        out.push(re);
      }
      start = i;
      str = istr;
      strflags = iflags;
    }
    sub = out;

    // Round 2: a common leading class (or fixed repetition of one).
    out = [];
    start = 0;
    let first: Node | null = null;
    for (let i = 0; i <= sub.length; i++) {
      let ifirst: Node | null = null;
      if (i < sub.length) {
        ifirst = this.leadingRegexp(sub[i]!);
        if (
          first !== null &&
          equal(first, ifirst) &&
          (isCharClass(first) ||
            (first.op === OP_REPEAT && first.min === first.max && isCharClass(first.subs[0]!)))
        ) {
          continue;
        }
      }
      if (i === start + 1) out.push(sub[start]!);
      else if (i > start + 1) {
        const prefix = first!;
        for (let j = start; j < i; j++) {
          sub[j] = this.removeLeadingRegexp(sub[j]!, j !== start);
          this.checkLimits(sub[j]!);
        }
        const suffix = this.collapse(sub.slice(start, i), OP_ALTERNATE);
        const re = this.newRegexp(OP_CONCAT);
        re.subs = [prefix, suffix];
        out.push(re);
      }
      start = i;
      first = ifirst;
    }
    sub = out;

    // Round 3: runs of single characters and classes become one class.
    out = [];
    start = 0;
    for (let i = 0; i <= sub.length; i++) {
      if (i < sub.length && isCharClass(sub[i]!)) continue;
      if (i === start + 1) out.push(sub[start]!);
      else if (i > start + 1) {
        // Into the most complex of them.
        let max = start;
        for (let j = start + 1; j < i; j++) {
          const a = sub[max]!;
          const b = sub[j]!;
          if (a.op < b.op || (a.op === b.op && a.runes.length < b.runes.length)) max = j;
        }
        [sub[start], sub[max]] = [sub[max]!, sub[start]!];
        for (let j = start + 1; j < i; j++) {
          mergeCharClass(sub[start]!, sub[j]!);
          this.reuse(sub[j]!);
        }
        cleanAlt(sub[start]!);
        out.push(sub[start]!);
      }
      if (i < sub.length) out.push(sub[i]!);
      start = i + 1;
    }
    sub = out;

    // Round 4: runs of empty matches become one.
    return sub.filter((s, i) => !(s.op === OP_EMPTY_MATCH && sub[i + 1]?.op === OP_EMPTY_MATCH));
  }

  private leadingString(re: Node): [number[] | null, number] {
    if (re.op === OP_CONCAT && re.subs.length > 0) re = re.subs[0]!;
    if (re.op !== OP_LITERAL) return [null, 0];
    return [re.runes, re.flags & FOLD_CASE];
  }

  private removeLeadingString(re: Node, n: number): Node {
    if (re.op === OP_CONCAT && re.subs.length > 0) {
      const sub = this.removeLeadingString(re.subs[0]!, n);
      re.subs[0] = sub;
      if (sub.op === OP_EMPTY_MATCH) {
        this.reuse(sub);
        if (re.subs.length <= 1) {
          re.op = OP_EMPTY_MATCH;
          re.subs = [];
        } else if (re.subs.length === 2) {
          const old = re;
          re = re.subs[1]!;
          this.reuse(old);
        } else re.subs.shift();
      }
      return re;
    }
    if (re.op === OP_LITERAL) {
      re.runes = re.runes.slice(n);
      if (re.runes.length === 0) re.op = OP_EMPTY_MATCH;
    }
    return re;
  }

  private leadingRegexp(re: Node): Node | null {
    if (re.op === OP_EMPTY_MATCH) return null;
    if (re.op === OP_CONCAT && re.subs.length > 0) {
      const sub = re.subs[0]!;
      return sub.op === OP_EMPTY_MATCH ? null : sub;
    }
    return re;
  }

  private removeLeadingRegexp(re: Node, reuse: boolean): Node {
    if (re.op === OP_CONCAT && re.subs.length > 0) {
      if (reuse) this.reuse(re.subs[0]!);
      re.subs.shift();
      if (re.subs.length === 0) {
        re.op = OP_EMPTY_MATCH;
        re.subs = [];
      } else if (re.subs.length === 1) {
        const old = re;
        re = re.subs[0]!;
        this.reuse(old);
      }
      return re;
    }
    if (reuse) this.reuse(re);
    return this.newRegexp(OP_EMPTY_MATCH);
  }

  /** Go's swapVerticalBar: the item above a `|` goes below it (two classes around it merge). */
  private swapVerticalBar(): boolean {
    const st = this.stack;
    const n = st.length;
    if (n >= 3 && st[n - 2]!.op === OP_VERTICAL_BAR && isCharClass(st[n - 1]!) && isCharClass(st[n - 3]!)) {
      let re1 = st[n - 1]!;
      let re3 = st[n - 3]!;
      if (re1.op > re3.op) {
        [re1, re3] = [re3, re1];
        st[n - 3] = re3;
      }
      mergeCharClass(re3, re1);
      this.reuse(re1);
      st.pop();
      return true;
    }
    if (n >= 2) {
      const re1 = st[n - 1]!;
      const re2 = st[n - 2]!;
      if (re2.op === OP_VERTICAL_BAR) {
        if (n >= 3) cleanAlt(st[n - 3]!);
        st[n - 2] = re1;
        st[n - 1] = re2;
        return true;
      }
    }
    return false;
  }

  /** Go's parseRightParen; false where it reports "unexpected )". */
  private rightParen(): boolean {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const n = this.stack.length;
    if (n < 2) return false;
    const re1 = this.stack[n - 1]!;
    const re2 = this.stack[n - 2]!;
    this.stack.length = n - 2;
    if (re2.op !== OP_LEFT_PAREN) return false;
    this.flags = re2.flags;
    if (re2.cap === 0) this.push(re1);
    else {
      re2.op = OP_CAPTURE;
      re2.subs = [re1];
      this.push(re2);
    }
    return true;
  }
}
