/**
 * Go's strings package semantics where JS differs: case mapping rune by rune with Unicode's
 * simple mappings (no "ß" → "SS", no final-sigma rule, "İ" → "i"), unicode.IsSpace, Trim with a
 * cutset of runes, ReplaceAll with an empty pattern, and x/text's Title (NoLower).
 */

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

/** strings.Trim: drop leading and trailing runes that appear in cutset. */
export function goTrim(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set<string>(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join("");
}

/** strings.ReplaceAll; an empty `from` inserts `to` around every rune. */
export function goReplaceAll(s: string, from: string, to: string): string {
  if (from === "") return to + [...s].join(to) + (s === "" ? "" : to);
  return s.split(from).join(to);
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

function mapRunes(s: string, f: (ch: string, cp: number) => string): string {
  let out = "";
  for (const ch of s) out += f(ch, ch.codePointAt(0)!);
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

/** Title-case forms of the DŽ/LJ/NJ/DZ digraphs (the only letters whose title case ≠ upper case). */
const TITLE: Record<string, string> = {
  "\u01c4": "\u01c5",
  "\u01c5": "\u01c5",
  "\u01c6": "\u01c5",
  "\u01c7": "\u01c8",
  "\u01c8": "\u01c8",
  "\u01c9": "\u01c8",
  "\u01ca": "\u01cb",
  "\u01cb": "\u01cb",
  "\u01cc": "\u01cb",
  "\u01f1": "\u01f2",
  "\u01f2": "\u01f2",
  "\u01f3": "\u01f2",
};

const WORDS = new Intl.Segmenter("und", { granularity: "word" });

/**
 * cases.Title(language.Und, cases.NoLower): the first letter of each word (Unicode word
 * segmentation) is title-cased; everything else is left as is.
 */
export function goTitle(s: string): string {
  let out = "";
  for (const seg of WORDS.segment(s)) {
    const w = seg.segment;
    if (!seg.isWordLike) {
      out += w;
      continue;
    }
    const first = String.fromCodePoint(w.codePointAt(0)!);
    const t = TITLE[first] ?? goToUpper(first);
    out += t + w.slice(first.length);
  }
  return out;
}
