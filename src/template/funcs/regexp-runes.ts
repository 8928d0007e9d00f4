/**
 * Character classes as Go's regexp/syntax holds them: a flat list of inclusive ranges
 * [lo0, hi0, lo1, hi1, …] ("rune slices"), with Go's case folding (unicode.SimpleFold, from the
 * generated regexp-fold-table.ts). regexp-limits.ts needs them exactly as Go builds them, because
 * their length counts towards Go's rune limit and their shape decides how Go's parser merges and
 * factors alternatives; regexp-linear.ts uses them to tell whether two items can match the same
 * character.
 */
import { FOLD_ORBITS } from "./regexp-fold-table.ts";

export const MAX_RUNE = 0x10ffff;

/** The smallest and largest code points that fold to another (Go's minFold, maxFold). */
export const MIN_FOLD = 0x41;
export const MAX_FOLD = 0x1e943;

let orbitOf: Map<number, number[]> | null = null;
/** Every code point that folds to another, ascending (for folding large ranges). */
let foldingRunes: Int32Array | null = null;

function loadOrbits(): Map<number, number[]> {
  if (orbitOf) return orbitOf;
  orbitOf = new Map();
  let base = 0;
  for (const entry of FOLD_ORBITS.split(",")) {
    const parts = entry.split(":").map((p) => Number.parseInt(p, 36));
    base += parts[0]!;
    const orbit = [base, ...parts.slice(1).map((d) => base + d)];
    for (const r of orbit) orbitOf.set(r, orbit);
  }
  foldingRunes = Int32Array.from([...orbitOf.keys()].sort((a, b) => a - b));
  return orbitOf;
}

/** unicode.SimpleFold: the next larger code point of r's orbit, wrapping round to the smallest. */
export function simpleFold(r: number): number {
  const orbit = loadOrbits().get(r);
  if (!orbit) return r;
  const i = orbit.indexOf(r);
  return orbit[(i + 1) % orbit.length]!;
}

/** The smallest code point that folds to r (Go's minFoldRune, which (?i) literals are kept as). */
export function minFoldRune(r: number): number {
  if (r < MIN_FOLD || r > MAX_FOLD) return r;
  return loadOrbits().get(r)?.[0] ?? r;
}

/**
 * Go's appendRange: adds lo-hi to r, widening the last or next-to-last range when they overlap
 * or touch (so appending a folded alphabet keeps two ranges growing). Returns r.
 */
export function appendRange(r: number[], lo: number, hi: number): number[] {
  const n = r.length;
  for (let i = 2; i <= 4; i += 2) {
    if (n >= i) {
      const rlo = r[n - i]!;
      const rhi = r[n - i + 1]!;
      if (lo <= rhi + 1 && rlo <= hi + 1) {
        if (lo < rlo) r[n - i] = lo;
        if (hi > rhi) r[n - i + 1] = hi;
        return r;
      }
    }
  }
  r.push(lo, hi);
  return r;
}

/**
 * Go's appendFoldedRange: lo-hi and everything that folds to it. A short range is walked code
 * point by code point as Go does (the order of what is appended shows in uncleaned classes); a
 * long one is only ever cleaned afterwards, so its fold partners are appended in any order.
 */
export function appendFoldedRange(r: number[], lo: number, hi: number): number[] {
  if (lo <= MIN_FOLD && hi >= MAX_FOLD) return appendRange(r, lo, hi);
  if (hi < MIN_FOLD || lo > MAX_FOLD) return appendRange(r, lo, hi);
  if (lo < MIN_FOLD) {
    appendRange(r, lo, MIN_FOLD - 1);
    lo = MIN_FOLD;
  }
  if (hi > MAX_FOLD) {
    appendRange(r, MAX_FOLD + 1, hi);
    hi = MAX_FOLD;
  }
  const orbits = loadOrbits();
  if (hi - lo < 64) {
    for (let c = lo; c <= hi; c++) {
      appendRange(r, c, c);
      for (let f = simpleFold(c); f !== c; f = simpleFold(f)) appendRange(r, f, f);
    }
    return r;
  }
  appendRange(r, lo, hi);
  const runes = foldingRunes!;
  for (let i = lowerBound(runes, lo); i < runes.length && runes[i]! <= hi; i++) {
    for (const f of orbits.get(runes[i]!)!) if (f < lo || f > hi) appendRange(r, f, f);
  }
  return r;
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Go's appendLiteral: one code point, with its fold partners under (?i). */
export function appendLiteral(r: number[], x: number, fold: boolean): number[] {
  return fold ? appendFoldedRange(r, x, x) : appendRange(r, x, x);
}

/** Go's appendClass (x clean). */
export function appendClass(r: number[], x: readonly number[]): number[] {
  for (let i = 0; i < x.length; i += 2) appendRange(r, x[i]!, x[i + 1]!);
  return r;
}

/** Go's appendFoldedClass. */
export function appendFoldedClass(r: number[], x: readonly number[]): number[] {
  for (let i = 0; i < x.length; i += 2) appendFoldedRange(r, x[i]!, x[i + 1]!);
  return r;
}

/** Go's appendNegatedClass (x clean): everything x leaves out. */
export function appendNegatedClass(r: number[], x: readonly number[]): number[] {
  let next = 0;
  for (let i = 0; i < x.length; i += 2) {
    if (next <= x[i]! - 1) appendRange(r, next, x[i]! - 1);
    next = x[i + 1]! + 1;
  }
  if (next <= MAX_RUNE) appendRange(r, next, MAX_RUNE);
  return r;
}

/** Go's cleanClass: ranges sorted (lo ascending, hi descending) and merged. Returns r, shortened. */
export function cleanClass(r: number[]): number[] {
  if (r.length < 4) return r;
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let w = 0;
  for (const [lo, hi] of pairs) {
    if (w > 0 && lo <= r[w - 1]! + 1) {
      if (hi > r[w - 1]!) r[w - 1] = hi;
      continue;
    }
    r[w] = lo;
    r[w + 1] = hi;
    w += 2;
  }
  r.length = w;
  return r;
}

/** Go's negateClass (r clean). */
export function negateClass(r: readonly number[]): number[] {
  return appendNegatedClass([], r);
}

/** Whether two clean classes share a code point. */
export function classesIntersect(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2;
    else if (b[j + 1]! < a[i]!) j += 2;
    else return true;
  }
  return false;
}

/** Whether code point c is in the clean class r. */
export function inClass(c: number, r: readonly number[]): boolean {
  let lo = 0;
  let hi = r.length >> 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (c > r[2 * m + 1]!) lo = m + 1;
    else if (c < r[2 * m]!) hi = m;
    else return true;
  }
  return false;
}

/** The union of two clean classes, clean. */
export function unionClasses(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  return cleanClass([...a, ...b]);
}

// ---- the classes a pattern names ------------------------------------------------------------

/** Go's perl_groups.go: \d \s \w, and the POSIX classes of [[:name:]]. */
export const PERL_GROUPS: Record<string, readonly number[]> = {
  d: [0x30, 0x39],
  s: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};

export const POSIX_GROUPS: Record<string, readonly number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

/**
 * One piece of a character class as the pattern wrote it: a range, a Perl or POSIX group, or a
 * Unicode class (`\pL`, `\p{Greek}`; `js` is the JS RegExp class that stands for it), each of
 * the last two possibly negated.
 */
export type ClassPart =
  | { kind: "range"; lo: number; hi: number }
  | { kind: "group"; ranges: readonly number[]; negated: boolean }
  | { kind: "unicode"; js: string; negated: boolean };

/** A class item of the pattern: `[…]`, or an escape such as `\d` or `\pL` outside brackets. */
export interface ClassSpec {
  parts: ClassPart[];
  /** Written as [^…]. */
  negated: boolean;
  /** Under (?i). */
  fold: boolean;
}

/** Go's simple-folding closure of a clean class, clean. */
function foldClean(r: readonly number[]): number[] {
  return cleanClass(appendFoldedClass([], r));
}

/**
 * The class as Go's parser pushes it: clean (Go cleans bracket classes and builds the others
 * clean), folded under (?i) before any negation, as parseClass, appendGroup and
 * parseUnicodeClass do. Unicode classes are read from the JS engine's tables.
 */
export function goClassRunes(spec: ClassSpec): number[] {
  const out: number[] = [];
  for (const part of spec.parts) {
    let r: readonly number[];
    if (part.kind === "range") {
      if (spec.fold) appendFoldedRange(out, part.lo, part.hi);
      else appendRange(out, part.lo, part.hi);
      continue;
    }
    if (part.kind === "group") r = spec.fold ? foldClean(part.ranges) : part.ranges;
    else r = spec.fold ? foldClean(unicodeRanges(part.js)) : unicodeRanges(part.js);
    if (part.negated) appendNegatedClass(out, r);
    else appendClass(out, r);
  }
  cleanClass(out);
  return spec.negated ? negateClass(out) : out;
}

/** The class when it can be known without reading Unicode tables (no \p part), else null. */
export function knownClassRunes(spec: ClassSpec): number[] | null {
  if (spec.parts.some((p) => p.kind === "unicode")) return null;
  return goClassRunes(spec);
}

const unicodeCache = new Map<string, number[]>();
/** The string unicodeRanges scans (4 MB): rebuilt when needed rather than kept alive. */
let everyCodePoint: WeakRef<{ text: string }> | null = null;

/**
 * The code points of a JS Unicode class (`\p{L}`, `\P{Script=Greek}`), as a clean class,
 * enumerated with the JS engine. Costly once per class (a scan of all 1.1 million code points),
 * so only regexp-limits.ts asks, for patterns large enough to reach Go's limits.
 */
export function unicodeRanges(js: string): number[] {
  const hit = unicodeCache.get(js);
  if (hit) return hit;
  const out: number[] = [];
  if (js === "\\u{0}-\\u{10ffff}") out.push(0, MAX_RUNE);
  else {
    let all = everyCodePoint?.deref();
    if (!all) {
      all = { text: buildEveryCodePoint() };
      everyCodePoint = new WeakRef(all);
    }
    const re = new RegExp(`[${js}]+`, "gu");
    for (const m of all.text.matchAll(re)) {
      const lo = indexToCodePoint(m.index);
      const hi = indexToCodePoint(m.index + m[0].length - 1);
      appendRange(out, lo, hi);
    }
    // Surrogates are left out of the scan (a JS string cannot hold them as code points).
    const sur = new RegExp(`^[${js}]$`, "u").test("\ud800");
    if (sur) cleanClass(appendRange(out, 0xd800, 0xdfff));
  }
  if (unicodeCache.size > 200) unicodeCache.clear();
  unicodeCache.set(js, out);
  return out;
}

/** All code points but the surrogates, in order: BMP ones one unit each, then the astral pairs. */
function buildEveryCodePoint(): string {
  const units = new Uint16Array(0xd800 + 0x2000 + 0x100000 * 2);
  let u = 0;
  for (let c = 0; c < 0xd800; c++) units[u++] = c;
  for (let c = 0xe000; c < 0x10000; c++) units[u++] = c;
  for (let c = 0x10000; c <= MAX_RUNE; c++) {
    const v = c - 0x10000;
    units[u++] = 0xd800 + (v >> 10);
    units[u++] = 0xdc00 + (v & 0x3ff);
  }
  return new TextDecoder("utf-16le").decode(units);
}

function indexToCodePoint(i: number): number {
  if (i < 0xd800) return i;
  if (i < 0xd800 + 0x2000) return i + 0x800;
  return 0x10000 + ((i - 0xd800 - 0x2000) >> 1);
}
