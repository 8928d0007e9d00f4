/**
 * Go's strings package semantics where JS differs: case mapping rune by rune with Unicode's
 * simple mappings (no "ß" → "SS", no final-sigma rule, "İ" → "i"), unicode.IsSpace, Trim with a
 * cutset of runes, ReplaceAll with an empty pattern, and x/text's Title (NoLower).
 *
 * Bytes that are not UTF-8 (escaped as lone surrogates, see ../bytes.ts) behave as in Go: the
 * strings.Map family (ToUpper, ToLower) writes U+FFFD for each, Trim/Title pass them through,
 * and searching (Split, ReplaceAll) works on bytes.
 */
import { canonicalGoString, fromByteString, RUNE_ERROR, toByteString } from "../bytes.ts";
import { CLASS_RUNS, TITLE_EXCEPTIONS } from "./titlecase-table.ts";

const REPLACEMENT = String.fromCharCode(RUNE_ERROR);

/** unicode.IsSpace (not U+FEFF, not U+200B). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function goTrimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** A rune as Go sees it: an invalid byte (a lone surrogate in canonical form) is U+FFFD. */
function runeKey(ch: string): string {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && c >= 0xd800 && c <= 0xdfff ? REPLACEMENT : ch;
}

/**
 * strings.Trim: drop leading and trailing runes that appear in cutset. An invalid byte is the
 * rune U+FFFD on both sides (Go's IndexRune), so it matches any invalid byte or U+FFFD.
 */
export function goTrim(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set<string>();
  for (const ch of canonicalGoString(cutset)) set.add(runeKey(ch));
  const chars = [...canonicalGoString(s)].map((ch) => [ch, runeKey(ch)] as const);
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]![1])) a++;
  while (b > a && set.has(chars[b - 1]![1])) b--;
  let out = "";
  for (let i = a; i < b; i++) out += chars[i]![0];
  return out;
}

/** Whether JS string search agrees with Go's byte search: both strings hold only valid UTF-8. */
function wellFormed(a: string, b: string): boolean {
  return a.isWellFormed() && b.isWellFormed();
}

/**
 * strings.Split(s, sep); an empty sep splits into runes, an invalid byte on its own (Go ≥ 1.20;
 * 1.19 wrote U+FFFD for all but the last).
 */
export function goSplit(s: string, sep: string): string[] {
  if (sep === "") return [...canonicalGoString(s)];
  if (wellFormed(s, sep)) return s.split(sep);
  return toByteString(s).split(toByteString(sep)).map(fromByteString);
}

/** strings.Contains */
export function goContains(s: string, sub: string): boolean {
  if (wellFormed(s, sub)) return s.includes(sub);
  return toByteString(s).includes(toByteString(sub));
}

/** strings.HasPrefix / TrimPrefix */
export function goTrimPrefix(s: string, prefix: string): string {
  if (wellFormed(s, prefix)) return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  const b = toByteString(s);
  const p = toByteString(prefix);
  return b.startsWith(p) ? fromByteString(b.slice(p.length)) : s;
}

/** strings.TrimSuffix */
export function goTrimSuffix(s: string, suffix: string): string {
  if (wellFormed(s, suffix)) return suffix !== "" && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  const b = toByteString(s);
  const x = toByteString(suffix);
  return x !== "" && b.endsWith(x) ? fromByteString(b.slice(0, -x.length)) : s;
}

/** strings.ReplaceAll; an empty `from` inserts `to` around every rune (an invalid byte is one). */
export function goReplaceAll(s: string, from: string, to: string): string {
  if (from === "") {
    const runes = [...canonicalGoString(s)];
    return to + runes.join(to) + (runes.length === 0 ? "" : to);
  }
  if (wellFormed(s, from)) return s.split(from).join(to);
  return fromByteString(toByteString(s).split(toByteString(from)).join(toByteString(to)));
}

/** Simple uppercase mappings JS expresses only through multi-rune special casing. */
function greekUpper(c: number): number | null {
  if ((c >= 0x1f80 && c <= 0x1f87) || (c >= 0x1f90 && c <= 0x1f97) || (c >= 0x1fa0 && c <= 0x1fa7))
    return c + 8;
  if (c === 0x1fb3) return 0x1fbc;
  if (c === 0x1fc3) return 0x1fcc;
  if (c === 0x1ff3) return 0x1ffc;
  return null;
}

const ASCII = /^[\x00-\x7f]*$/;

/** strings.Map: every invalid byte comes out as U+FFFD. */
function mapRunes(s: string, f: (ch: string, cp: number) => string): string {
  let out = "";
  if (s.isWellFormed()) {
    for (const ch of s) out += f(ch, ch.codePointAt(0)!);
    return out;
  }
  for (const ch of canonicalGoString(s)) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0xd800 && cp <= 0xdfff ? REPLACEMENT : f(ch, cp);
  }
  return out;
}

export function goToUpper(s: string): string {
  if (ASCII.test(s)) return s.toUpperCase();
  return mapRunes(s, (ch, cp) => {
    const u = ch.toUpperCase();
    if ([...u].length === 1) return u;
    const g = greekUpper(cp);
    return g === null ? ch : String.fromCodePoint(g);
  });
}

export function goToLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  return mapRunes(s, (ch, cp) => {
    if (cp === 0x130) return "i";
    const l = ch.toLowerCase();
    return [...l].length === 1 ? l : ch;
  });
}

const enum WordClass {
  Break,
  Letter,
  Mid,
  Cased,
}

/** CLASS_RUNS decoded on first use: run starts (ascending) and their classes; ASCII directly. */
let runStarts: Uint32Array | null = null;
let runClasses = new Uint8Array(0);
const asciiClasses = new Uint8Array(128);

function loadWordClasses(): Uint32Array {
  const runs = CLASS_RUNS.split(",");
  const starts = new Uint32Array(runs.length);
  runClasses = new Uint8Array(runs.length);
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as string;
    at += Number.parseInt(run.slice(0, -1), 36);
    starts[i] = at;
    runClasses[i] = run.charCodeAt(run.length - 1) - 48;
  }
  runStarts = starts;
  for (let c = 0; c < 128; c++) asciiClasses[c] = wordClassOf(c);
  return starts;
}

/** The class of a code point: the last run starting at or before it. */
function wordClassOf(cp: number): WordClass {
  const starts = runStarts ?? loadWordClasses();
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= cp) lo = mid;
    else hi = mid - 1;
  }
  return runClasses[lo] as WordClass;
}

/**
 * cases.Title(language.Und, cases.NoLower), Consul Template's toTitle. x/text approximates
 * Unicode word breaking with a class per code point (titlecase-table.ts): a cased letter that
 * starts a word is title-cased and the rest is left alone; letters, digits, "_" and marks
 * continue a word; "mid" punctuation (' . : · …) continues it unless two come in a row; every
 * other character (spaces, most punctuation, an invalid byte) ends it. So "exp:1e3" is one word
 * (Exp:1e3) and "a,b" two (A,B).
 */
export function goTitle(s: string): string {
  if (!s.isWellFormed()) s = canonicalGoString(s);
  if (runStarts === null) loadWordClasses();
  let out = "";
  let copied = 0; // s[copied:] is not in out yet
  let inWord = false;
  let prevMid = false;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    let width = 1;
    let k: WordClass;
    if (cp < 0x80) k = asciiClasses[cp] as WordClass;
    else if (cp >= 0xd800 && cp <= 0xdbff) {
      // Canonical strings hold high surrogates only in pairs.
      cp = s.codePointAt(i) as number;
      width = 2;
      k = wordClassOf(cp);
    } else if (cp >= 0xdc00 && cp <= 0xdfff)
      k = WordClass.Break; // a byte that is not UTF-8
    else k = wordClassOf(cp);
    if (prevMid && k === WordClass.Mid) inWord = false;
    if (k === WordClass.Cased) {
      if (!inWord) {
        const t = TITLE_EXCEPTIONS.get(cp) ?? goToUpper(s.slice(i, i + width));
        if (t !== s.slice(i, i + width)) {
          out += s.slice(copied, i) + t;
          copied = i + width;
        }
        inWord = true;
      }
    } else if (k === WordClass.Break) inWord = false;
    prevMid = k === WordClass.Mid;
    i += width - 1;
  }
  return copied === 0 ? s : out + s.slice(copied);
}
