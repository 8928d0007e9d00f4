/**
 * Which engine runs a pattern: its JS RegExp translation, or Go's own program (regexp-vm.ts,
 * searched by regexp-dfa.ts). The program always gives Go's results in time linear in the input;
 * JS RegExp is faster for most patterns but must be left for two reasons.
 *
 * Results (sameResultsInJs): JS clears the captures inside a repetition at each round where Go keeps
 * the last value, and refuses an empty round that Go takes in priority order.
 *
 * Time (backtrackingIsLinear): JS RegExp backtracks. A search tries each start position in turn
 * and, from each, explores the pattern's paths depth first; `(a|a)*c`, `(a+)+b`, `(.*a){12}` on a
 * long run of a's take exponential or high-polynomial time (in JSC past a step budget the search
 * silently reports no match), and even `\s+$` or `(\d+)\.x` take quadratic time, re-reading the
 * same run of characters from every start inside it. A pattern stays on JS RegExp only when both
 * costs are provably linear:
 *
 *  1. One start costs O(characters read × pattern): the pattern is LL(1) over characters. At every
 *     choice (an alternation, and for a repetition: another round or leave) the characters each
 *     option can begin with — through whatever it can match empty, into what follows — are
 *     disjoint, and at most one option can reach the end of the pattern through an assertion.
 *     Then at most one path can read a given character from a given start: the others die at
 *     their first character, and when the live path fails, going back costs no more than going
 *     forward did.
 *  2. The starts together read O(input) characters. Either the pattern is anchored at the start
 *     of the text (every other start fails at once), or at the start of a line with no item
 *     that can read a line break (each start reads its own line); or every unbounded repetition
 *     is a commit point — what may follow it can match empty with no assertion, so a path that
 *     gets there succeeds and only bounded prefixes are ever re-read; or the pattern opens with a
 *     repeated single-character class C (`\d+`, `[^/]*`) and every other unbounded repetition
 *     commits: a start just after a C character can only succeed if the start before it does,
 *     so the search (regexp.ts) tries the first position and then only positions not preceded
 *     by a C character, and each run of C is read by one start.
 *
 * A pattern with no unbounded repetition and few paths through it (`^(dev|development)$`, at
 * most 64) needs neither: a start explores each path at most once, so it costs at most 64 times
 * the pattern's length.
 * The top-level alternatives are judged one by one: each start tries each of them once.
 *
 * Classes whose members take Unicode tables to know (\pL) count as any character, which only
 * sends more patterns to the program.
 */
import { classesIntersect, inClass, unionClasses } from "./regexp-runes.ts";
import { EMPTY_BEGIN_LINE, EMPTY_BEGIN_TEXT, type ReNode, type RuneNode } from "./regexp-vm.ts";

/**
 * Whether JS RegExp gives Go's results for this pattern: not when a repetition that can run
 * twice or more holds a capturing group (JS clears it each round, Go keeps the last value), or an
 * optional repetition holds something that can match empty (JS refuses an empty round, Go takes
 * it in priority order).
 */
export function sameResultsInJs(root: ReNode): boolean {
  try {
    return resultsWalk(root) !== null;
  } catch (e) {
    // Deeper than the call stack: leave it to the program.
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/** Bit 1: can match empty; bit 2: holds a capture. Null when JS would part from Go. */
function resultsWalk(n: ReNode): number | null {
  switch (n.op) {
    case "rune":
      return 0;
    case "empty":
    case "assert":
      return 1;
    case "capture": {
      const sub = resultsWalk(n.sub);
      return sub === null ? null : sub | 2;
    }
    case "concat":
    case "alternate": {
      let nul = n.op === "concat";
      let cap = 0;
      for (const x of n.subs) {
        const sub = resultsWalk(x);
        if (sub === null) return null;
        nul = n.op === "concat" ? nul && (sub & 1) !== 0 : nul || (sub & 1) !== 0;
        cap |= sub & 2;
      }
      return (nul ? 1 : 0) | cap;
    }
    case "repeat": {
      const sub = resultsWalk(n.sub);
      if (sub === null) return null;
      if ((n.max === -1 || n.max >= 2) && sub & 2) return null;
      if (n.min !== n.max && sub & 1) return null;
      return (n.min === 0 || sub & 1 ? 1 : 0) | (sub & 2);
    }
  }
}

/** A set of characters: a clean class, or any character at all. */
type Chars = readonly number[] | "any";

const NONE: Chars = [];

function union(a: Chars, b: Chars): Chars {
  if (a === "any" || b === "any") return "any";
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return unionClasses(a, b);
}

function intersect(a: Chars, b: Chars): boolean {
  if (a !== "any" && a.length === 0) return false;
  if (b !== "any" && b.length === 0) return false;
  if (a === "any" || b === "any") return true;
  return classesIntersect(a, b);
}

/** What a node can begin with. */
interface First {
  chars: Chars;
  /** Can match empty (perhaps through assertions). */
  nul: boolean;
  /** Can match empty through no assertion. */
  nulU: boolean;
  /** Holds an assertion. */
  asserts: boolean;
}

const EMPTY_FIRST: First = { chars: NONE, nul: true, nulU: true, asserts: false };
const ASSERT_FIRST: First = { chars: NONE, nul: true, nulU: false, asserts: true };

/** What can happen next at a point of the pattern: read one of `chars`, or reach the end. */
interface Next {
  chars: Chars;
  /** The end can be reached through no assertion: a path here will succeed. */
  endU: boolean;
  /** The end can be reached through an assertion, which may fail. */
  endC: boolean;
}

/** x, then what `after` says. */
function seq(x: First, after: Next): Next {
  return {
    chars: x.nul ? union(x.chars, after.chars) : x.chars,
    endU: x.nulU && after.endU,
    endC: x.nul && (after.endC || (after.endU && x.asserts)),
  };
}

function either(a: Next, b: Next): Next {
  return { chars: union(a.chars, b.chars), endU: a.endU || b.endU, endC: a.endC || b.endC };
}

/** The route for a pattern JS RegExp runs with Go's results. */
export interface TimeRoute {
  /** A backtracking search takes linear time (see the header). */
  linear: boolean;
  /**
   * For each top-level alternative, the item whose runs the search must skip (rule 2) or null;
   * null when no alternative needs skipping.
   */
  skips: (RuneNode | null)[] | null;
}

/**
 * Whether a backtracking engine searches with this pattern, given as its top-level alternatives,
 * in linear time (see the header). The top-level choice is made once per start, whatever the
 * alternatives begin with, so it costs the sum of the alternatives' costs: each alternative is
 * judged on its own, and each may have its own runs to skip (`^\s+|\s+$`).
 */
export function backtrackingIsLinear(branches: readonly ReNode[]): TimeRoute {
  try {
    const routes = branches.map(analyse);
    if (!routes.every((r) => r.linear)) return { linear: false, skips: null };
    return { linear: true, skips: routes.some((r) => r.skip) ? routes.map((r) => r.skip) : null };
  } catch (e) {
    // Deeper than the call stack: leave it to the program.
    if (e instanceof RangeError) return { linear: false, skips: null };
    throw e;
  }
}

/** Paths through a pattern with no unbounded repetition, past which it counts as unbounded. */
const MAX_PATHS = 64;

/** The number of paths through n (MAX_PATHS + 1 when more, or when a repetition is unbounded). */
function paths(n: ReNode): number {
  const cap = (x: number) => Math.min(x, MAX_PATHS + 1);
  switch (n.op) {
    case "rune":
    case "empty":
    case "assert":
      return 1;
    case "capture":
      return paths(n.sub);
    case "concat":
      return n.subs.reduce((a, s) => cap(a * paths(s)), 1);
    case "alternate":
      return n.subs.reduce((a, s) => cap(a + paths(s)), 0);
    case "repeat": {
      if (n.max === -1) return MAX_PATHS + 1;
      // k rounds for each k from min to max.
      const p = paths(n.sub);
      let total = 0;
      let rounds = 1;
      for (let k = 0; k <= n.max && total <= MAX_PATHS; k++) {
        if (k >= n.min) total = cap(total + rounds);
        rounds = cap(rounds * p);
      }
      return total;
    }
  }
}

function analyse(root: ReNode): { linear: boolean; skip: RuneNode | null } {
  if (paths(root) <= MAX_PATHS) return { linear: true, skip: null };
  const firsts = new Map<ReNode, First>();
  const first = (n: ReNode): First => {
    if (n.op === "rune") return { chars: n.set ?? "any", nul: false, nulU: false, asserts: false };
    if (n.op === "empty") return EMPTY_FIRST;
    if (n.op === "assert") return ASSERT_FIRST;
    let f = firsts.get(n);
    if (f) return f;
    switch (n.op) {
      case "capture":
        f = first(n.sub);
        break;
      case "concat": {
        let chars: Chars = NONE;
        let nul = true;
        let nulU = true;
        let asserts = false;
        for (const s of n.subs) {
          const fs = first(s);
          if (nul) chars = union(chars, fs.chars);
          nul &&= fs.nul;
          nulU &&= fs.nulU;
          asserts ||= fs.asserts;
        }
        f = { chars, nul, nulU, asserts };
        break;
      }
      case "alternate": {
        let chars: Chars = NONE;
        let nul = false;
        let nulU = false;
        let asserts = false;
        for (const s of n.subs) {
          const fs = first(s);
          chars = union(chars, fs.chars);
          nul ||= fs.nul;
          nulU ||= fs.nulU;
          asserts ||= fs.asserts;
        }
        f = { chars, nul, nulU, asserts };
        break;
      }
      case "repeat": {
        if (n.max === 0) f = { chars: NONE, nul: true, nulU: true, asserts: false };
        else {
          const fs = first(n.sub);
          f = {
            chars: fs.chars,
            nul: n.min === 0 || fs.nul,
            nulU: n.min === 0 || fs.nulU,
            asserts: fs.asserts,
          };
        }
        break;
      }
    }
    firsts.set(n, f);
    return f;
  };

  let ll1 = true;
  /** The unbounded repetitions, and whether each commits (what follows can match empty freely). */
  const loops: { node: ReNode; commits: boolean }[] = [];

  /** Checks the choices in n, which `after` follows. */
  const walk = (n: ReNode, after: Next): void => {
    if (!ll1) return;
    switch (n.op) {
      case "capture":
        walk(n.sub, after);
        return;
      case "concat": {
        let next = after;
        for (let i = n.subs.length - 1; i >= 0; i--) {
          walk(n.subs[i]!, next);
          next = seq(first(n.subs[i]!), next);
        }
        return;
      }
      case "alternate": {
        let seen: Chars = NONE;
        let conditionalEnds = 0;
        for (const s of n.subs) {
          const opt = seq(first(s), after);
          if (intersect(seen, opt.chars)) ll1 = false;
          seen = union(seen, opt.chars);
          if (opt.endC) conditionalEnds++;
          walk(s, after);
        }
        if (conditionalEnds > 1) ll1 = false;
        return;
      }
      case "repeat": {
        if (n.max === 0) return;
        const fs = first(n.sub);
        // After a round: another round (when there can be one), or what follows. While more
        // rounds are required the end is out of reach unless they can all be empty: a loop in
        // the operand only commits if it does so in every round.
        let subAfter = n.max === 1 ? after : either(after, seq(fs, after));
        if (n.min >= 2) subAfter = { ...subAfter, endU: fs.nulU && after.endU };
        if (n.min !== n.max) {
          const again = seq(fs, subAfter);
          if (intersect(again.chars, after.chars) || (again.endC && after.endC)) ll1 = false;
        }
        if (n.max === -1) loops.push({ node: n, commits: after.endU });
        walk(n.sub, subAfter);
        return;
      }
      default:
        return;
    }
  };
  walk(root, { chars: NONE, endU: true, endC: false });
  if (!ll1) return { linear: false, skip: null };
  if (anchoredAt(root, EMPTY_BEGIN_TEXT)) return { linear: true, skip: null };
  // Anchored at line starts, and no path reads a line break: each start reads its own line.
  if (anchoredAt(root, EMPTY_BEGIN_TEXT | EMPTY_BEGIN_LINE) && !readsNewline(root))
    return { linear: true, skip: null };
  const open = leadingRepeat(root);
  const others = loops.filter((l) => l.node !== open?.node);
  if (!others.every((l) => l.commits)) return { linear: false, skip: null };
  if (loops.every((l) => l.commits)) return { linear: true, skip: null };
  return { linear: true, skip: open!.item };
}

/**
 * Whether every path through n passes one of the assertions in `conds` (\A, or ^ with or
 * without (?m)) before reading a character.
 */
function anchoredAt(n: ReNode, conds: number): boolean {
  switch (n.op) {
    case "assert":
      return (n.cond & conds) !== 0;
    case "capture":
      return anchoredAt(n.sub, conds);
    case "alternate":
      return n.subs.every((s) => anchoredAt(s, conds));
    case "repeat":
      return n.min >= 1 && anchoredAt(n.sub, conds);
    case "concat":
      for (const s of n.subs) {
        if (anchoredAt(s, conds)) return true;
        if (!zeroWidth(s)) return false;
      }
      return false;
    default:
      return false;
  }
}

/** Whether some item of n can read "\n" (an item whose class is not known may). */
function readsNewline(n: ReNode): boolean {
  switch (n.op) {
    case "rune":
      return n.set === null || inClass(0x0a, n.set);
    case "capture":
    case "repeat":
      return readsNewline(n.sub);
    case "concat":
    case "alternate":
      return n.subs.some(readsNewline);
    default:
      return false;
  }
}

/** Whether n can only match the empty string. */
function zeroWidth(n: ReNode): boolean {
  switch (n.op) {
    case "empty":
    case "assert":
      return true;
    case "rune":
      return false;
    case "capture":
      return zeroWidth(n.sub);
    case "repeat":
      return n.max === 0 || zeroWidth(n.sub);
    default:
      return n.subs.every(zeroWidth);
  }
}

/** The unbounded repetition of one character item the pattern opens with (`\d+…`, `([^/]*)…`), if any. */
function leadingRepeat(root: ReNode): { node: ReNode; item: RuneNode } | null {
  let n = root;
  for (;;) {
    if (n.op === "capture") n = n.sub;
    else if (n.op === "concat") n = n.subs[0]!;
    else break;
  }
  if (n.op === "repeat" && n.max === -1 && n.min <= 1 && n.sub.op === "rune") return { node: n, item: n.sub };
  return null;
}
