/**
 * Go's regexp (RE2) for the template functions, with Go's results, errors and limits; whatever the
 * pattern and subject, a search takes time linear in the subject, as Go's does.
 *
 * regexp-syntax.ts parses a pattern with Go's grammar into a JS RegExp translation, a tree and a
 * record of Go's parser actions; regexp-limits.ts replays that record, for patterns large enough
 * to meet them, to apply Go's size and nesting limits exactly. regexp-route.ts then chooses the
 * engine: the JS translation where it gives Go's results and a backtracking search provably takes
 * linear time, else Go's own program (regexp-vm.ts), whose matches regexp-dfa.ts finds and whose
 * Pike VM then fills in the groups of each match found.
 *
 * Subjects are Go byte strings in this project's canonical JS form (bytes.ts): a byte that is not
 * valid UTF-8 is a lone surrogate. Go reads each such byte as U+FFFD, one byte wide; the engines
 * read a copy with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed keeps
 * every index), and matches are cut from the original, so results keep the bytes. Positions are
 * UTF-16 indexes into the canonical string; each character boundary there is one in Go's bytes.
 * Replacement follows Go's ReplaceAllString (no empty match right after a previous match) and
 * Regexp.Expand (`$1x` names the group "1x").
 */

import { canonicalGoString } from "../bytes.ts";
import { dfaFor } from "./regexp-dfa.ts";
import { GoLimitError, GoTreeModel } from "./regexp-limits.ts";
import { backtrackingIsLinear, sameResultsInJs } from "./regexp-route.ts";
import { GoRegexpError, Translator } from "./regexp-syntax.ts";
import { compileProgram, type ReNode, type RuneNode, type VmProgram, vmExec } from "./regexp-vm.ts";

export { GoRegexpError };

/** Why a pattern runs where it does. */
export type GoRegexpRoute =
  /** The JS translation. */
  | "js"
  /** The JS translation, skipping starts inside a run of the class the pattern opens with. */
  | "js-skip"
  /** Go's program: JS RegExp would give other results. */
  | "vm-results"
  /** Go's program: a backtracking search could take more than linear time. */
  | "vm-time"
  /** Go's program: JS's regexp compiler refuses the translation (too large). */
  | "vm-compile"
  /** Go's program, by request. */
  | "vm-forced";

export interface GoRegexp {
  /** The JS translation (flags gu); what runs the pattern unless `vm` is set. */
  re: RegExp;
  /** Capture group names by index (index 0 unused; "" for unnamed groups). */
  names: string[];
  /** Go's program, for a pattern the JS translation may not run (see regexp-route.ts). */
  vm: VmProgram | null;
  route: GoRegexpRoute;
  /** The JS searches (see JsSearch); null when `vm` runs the pattern. */
  js: JsSearch | null;
}

/** A match as RegExp.exec gives it: where it starts, its text, and each group's (or undefined). */
export interface GoMatch {
  index: number;
  length: number;
  0: string;
  readonly [group: number]: string | undefined;
}

/** Which engine runs a pattern: "auto" as compileGoRegexp chooses; "vm"/"js" force one (fuzzing). */
export type GoRegexpEngine = "auto" | "vm" | "js";

// ---- compiling ---------------------------------------------------------------------------------

/**
 * Parser actions below which Go's parser has allocated fewer than 1,000 nodes (so it never checks
 * heights) and its size and rune counts stay far below the limits, unless counted repetitions
 * multiply the size (then the tree's size bound decides).
 */
const REPLAY_EVENTS = 100;
/** Go's maxSize: 128 MB of 40-byte instructions. */
const MAX_PROGRAM = Math.floor((128 << 20) / 40);

/** An upper bound of the size Go's calcSize gives the pattern's tree (Go's factoring only shrinks it). */
function sizeBound(n: ReNode): number {
  let size: number;
  switch (n.op) {
    case "capture":
      size = 2 + sizeBound(n.sub);
      break;
    case "concat":
      size = n.subs.reduce((a, s) => a + sizeBound(s), 0);
      break;
    case "alternate":
      size = n.subs.reduce((a, s) => a + sizeBound(s), 0) + n.subs.length - 1;
      break;
    case "repeat": {
      const sub = sizeBound(n.sub);
      if (n.max === -1) size = n.min === 0 ? 2 + sub : 1 + n.min * sub;
      else size = n.max * sub + (n.max - n.min);
      break;
    }
    default:
      size = 1;
  }
  return Math.max(1, size);
}

/**
 * Go's size and nesting limits: replays the parser actions on Go's tree (regexp-limits.ts) when
 * the pattern could be near them. `parsed`: the translation got to the end (else it failed
 * after the recorded actions, and a limit Go meets first wins).
 */
function checkGoLimits(t: Translator, pattern: string, parsed: boolean): void {
  const near =
    t.events.length >= REPLAY_EVENTS || (t.sawCount && (!parsed || sizeBound(t.tree) * 4 >= MAX_PROGRAM));
  if (!near) return;
  try {
    GoTreeModel.replay(t.events);
  } catch (e) {
    if (e instanceof GoLimitError)
      throw new GoRegexpError(`error parsing regexp: ${e.message}: \`${pattern}\``);
    throw e;
  }
}

/** Go's program for a parsed pattern, or null when the tree is too deep to walk recursively. */
function programFor(t: Translator): VmProgram | null {
  try {
    return compileProgram(t.tree, t.names.length - 1);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Whether every one-character item's JS source compiles (forcing the items' lazy RegExps). */
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
    } else if (n.op === "concat" || n.op === "alternate") for (const x of n.subs) todo.push(x);
    else if (n.op === "capture" || n.op === "repeat") todo.push(n.sub);
  }
  return true;
}

/** Stands in for the JS RegExp of a pattern that only the program runs. */
const NEVER = /(?!)/gu;

/** Compiles a Go (RE2) pattern, uncached; throws GoRegexpError with Go's message on bad syntax. */
export function buildGoRegexp(pattern: string, engine: GoRegexpEngine = "auto"): GoRegexp {
  // Bytes built up by concatenation may spell valid UTF-8: Go reads the bytes.
  const p = pattern.isWellFormed() ? pattern : canonicalGoString(pattern);
  const t = new Translator(p);
  let src: string;
  try {
    src = t.translate();
  } catch (e) {
    if (e instanceof GoRegexpError) checkGoLimits(t, p, false);
    throw e;
  }
  checkGoLimits(t, p, true);
  let re: RegExp | null = null;
  let jsError: unknown = null;
  try {
    re = new RegExp(src, "gu");
  } catch (e) {
    jsError = e;
  }
  let route: GoRegexpRoute = "js";
  let skips: (RuneNode | null)[] | null = null;
  if (re === null) route = "vm-compile";
  else if (engine === "vm") route = "vm-forced";
  else if (engine === "auto" && !sameResultsInJs(t.tree)) route = "vm-results";
  else {
    const time = backtrackingIsLinear(t.branches.map((b) => b.tree));
    if (time.linear) {
      skips = time.skips;
      if (skips) route = "js-skip";
    } else if (engine === "auto") route = "vm-time";
  }
  let vm: VmProgram | null = null;
  if (route !== "js" && route !== "js-skip") {
    vm = programFor(t);
    if (vm === null && re !== null) route = "js";
  }
  if (re === null) {
    // JS's regexp compiler refuses patterns Go takes when they are too large for it (200,000
    // optional items); Go's algorithm runs them. Anything else our translation let through but
    // JS rejects is reported as Go would a bad class.
    if (vm === null || !itemsCompile(t.tree)) {
      throw new GoRegexpError(`error parsing regexp: invalid character class range: \`${p}\``, {
        cause: jsError,
      });
    }
    re = NEVER;
  }
  let js: JsSearch | null = null;
  if (vm === null) {
    js = new JsSearch(re, skips && t.branches.map((b, i) => ({ js: b.js, skip: skips[i]! })));
    if (!js.compiles()) {
      // The skipping form is too large for JS's compiler: Go's program runs the pattern.
      js = null;
      route = "vm-compile";
      vm = programFor(t);
      if (vm === null)
        throw new GoRegexpError(`error parsing regexp: invalid character class range: \`${p}\``);
    }
  }
  return { re, names: t.names, vm, route, js };
}

const cache = new Map<string, GoRegexp>();
/** What the cache holds, in pattern characters plus program instructions. */
let cacheWeight = 0;
/**
 * The cache's bound: a pattern Go takes can compile to 3.3 million instructions (~200 MB once its
 * matchers are built), so the cache is bounded by size as well as by count; past the bound it
 * starts again (keeping the newest entry, however large).
 */
const CACHE_WEIGHT = 1 << 22;

/** Compiles a Go (RE2) pattern; throws GoRegexpError with Go's message on bad syntax. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const compiled = buildGoRegexp(pattern);
  const weight = pattern.length + (compiled.vm?.op.length ?? 0);
  if (cache.size > 500 || cacheWeight + weight > CACHE_WEIGHT) {
    cache.clear();
    cacheWeight = 0;
  }
  cache.set(pattern, compiled);
  cacheWeight += weight;
  return compiled;
}

// ---- searching ---------------------------------------------------------------------------------

/**
 * How a pattern's JS translation searches. Plainly, or, for a pattern with a top-level alternative
 * that opens with a repeated class C (regexp-route.ts, rule 2): one attempt at the search's first
 * position, then that alternative only at positions not preceded by a C character (a lookbehind
 * in front of it), so a run of C is read by one attempt and not by one per position in it. An
 * alternative skipped at such a position could only match there if it matched one position
 * earlier, where the search would have stopped.
 */
export class JsSearch {
  private withIndices: RegExp | null = null;
  private readonly filteredSource: string;
  private filtered: (RegExp | null)[] = [null, null];
  private sticky: (RegExp | null)[] = [null, null];

  constructor(
    readonly re: RegExp,
    /** Each top-level alternative's source and the item to skip runs of (null: plain search). */
    branches: { js: string; skip: RuneNode | null }[] | null,
  ) {
    this.filteredSource =
      branches === null
        ? ""
        : branches
            .map(({ js, skip }) =>
              skip ? `(?<!${skip.fold ? `(?i:${skip.js})` : skip.js})(?:${js})` : `(?:${js})`,
            )
            .join("|");
  }

  private get skips(): boolean {
    return this.filteredSource !== "";
  }

  /** Whether JS's compiler takes the skipping form (built now, so no search can fail later). */
  compiles(): boolean {
    if (!this.skips) return true;
    try {
      this.filtered[0] = this.filteredRegExp(false);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether there is a match (from the start of s). */
  test(s: string): boolean {
    const re = this.skips ? (this.filtered[0] ??= this.filteredRegExp(false)) : this.re;
    re.lastIndex = 0;
    return re.test(s);
  }

  private filteredRegExp(indices: boolean): RegExp {
    return new RegExp(this.filteredSource, indices ? "gud" : "gu");
  }

  /** The leftmost match at or after pos (with `d` indices when asked). */
  exec(s: string, pos: number, indices: boolean): RegExpExecArray | null {
    if (!this.skips) {
      const re = indices ? (this.withIndices ??= new RegExp(this.re.source, "gud")) : this.re;
      re.lastIndex = pos;
      return re.exec(s);
    }
    const k = indices ? 1 : 0;
    if (pos > 0) {
      const sticky = (this.sticky[k] ??= new RegExp(this.re.source, indices ? "yud" : "yu"));
      sticky.lastIndex = pos;
      const m = sticky.exec(s);
      if (m) return m;
      const c = s.codePointAt(pos);
      if (c === undefined) return null;
      pos += c > 0xffff ? 2 : 1;
    }
    const filtered = (this.filtered[k] ??= this.filteredRegExp(indices));
    filtered.lastIndex = pos;
    return filtered.exec(s);
  }
}

/** The one-entry memo of readable(). */
let lastSubject = "";
let lastReadable = "";

/**
 * The subject as the engines read it: each invalid byte (a lone surrogate in canonical form) as
 * U+FFFD, at the same index. `s` must be canonical (callers use canonicalGoString).
 */
function readable(s: string): string {
  if (s === lastSubject) return lastReadable;
  const r = s.isWellFormed() ? s : s.toWellFormed();
  lastSubject = s;
  lastReadable = r;
  return r;
}

/** A GoMatch from slots [start, end, …] (-1 for groups that did not take part), cut from s. */
function matchFromSlots(s: string, slots: readonly number[]): GoMatch {
  const m = new Array<string | undefined>(slots.length >> 1) as (string | undefined)[] & { index: number };
  for (let i = 0; i < slots.length; i += 2)
    m[i >> 1] = slots[i]! < 0 ? undefined : s.slice(slots[i], slots[i + 1]);
  m.index = slots[0]!;
  return m as unknown as GoMatch;
}

/** The slots of a JS match with indices. */
function jsSlots(m: RegExpExecArray): number[] {
  const out: number[] = [];
  for (const span of m.indices!) out.push(span?.[0] ?? -1, span?.[1] ?? -1);
  return out;
}

/** [start, end] of the leftmost-first match of the program, or null. */
function vmBounds(p: VmProgram, text: string, pos: number): [number, number] | null {
  return dfaFor(p).search(text, pos, false) as [number, number] | null;
}

/**
 * The leftmost-first match of `r` in `s` (canonical) at or after UTF-16 index `pos`, or null.
 * Without `groups` only the match itself is needed (its groups may be left unset), which spares
 * the program's engine finding them, as Go does for the calls that do not look at groups.
 */
export function execGo(r: GoRegexp, s: string, pos: number, groups = true): GoMatch | null {
  const text = readable(s);
  if (r.vm === null) {
    if (text === s) return r.js!.exec(s, pos, false);
    const m = r.js!.exec(text, pos, true);
    return m ? matchFromSlots(s, jsSlots(m)) : null;
  }
  const slots = vmSlots(r.vm, text, pos, groups);
  return slots ? matchFromSlots(s, slots) : null;
}

/** The program's match at or after pos as slots: all groups, or (groups false) the match alone. */
function vmSlots(p: VmProgram, text: string, pos: number, groups: boolean): number[] | null {
  const bounds = vmBounds(p, text, pos);
  if (bounds === null) return null;
  if (!groups || p.numSlots <= 2) return bounds;
  // The groups of the match found: the Pike VM from its start only gives the same match.
  return vmExec(p, text, bounds[0], p.numSlots, true);
}

/** Whether `r` matches anywhere in `s` (Go's MatchString). Any form of s. */
export function testGo(r: GoRegexp, s: string): boolean {
  const text = readable(s.isWellFormed() ? s : canonicalGoString(s));
  if (r.vm === null) return r.js!.test(text);
  return dfaFor(r.vm).search(text, 0, true) === true;
}

/**
 * As execGo, as Go's submatch slots (UTF-16 indexes; -1 for a group that did not take part).
 * For tests and the differential fuzzer, which compare group positions too.
 */
export function execGoSlots(r: GoRegexp, s: string, pos: number): number[] | null {
  const text = readable(s);
  if (r.vm !== null) return vmSlots(r.vm, text, pos, true);
  const m = r.js!.exec(text, pos, true);
  return m ? jsSlots(m) : null;
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
  return replaceAllMatches(r, canonicalGoString(s), (m) => expandGo(repl, m, r.names), repl.includes("$"));
}

/**
 * Go's Regexp.replaceAll loop over `s` (canonical): every leftmost match replaced by
 * `replacement(match)`, except an empty match right after the previous match; after an empty
 * match the search moves on a rune (an invalid byte is one). `groups`: whether `replacement`
 * reads the groups' text (or only the match's).
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
