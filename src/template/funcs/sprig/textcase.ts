/**
 * The text helpers Sprig takes from Masterminds/goutils (abbreviate, initials, wrap, swapcase,
 * uncapitalize, delete-whitespace), huandu/xstrings (snake/kebab case, Pascal case as xstrings
 * 1.5 has it, shuffle) and strings.Title. Several goutils helpers walk the string byte by byte and
 * treat each byte as a Latin-1 rune; that is reproduced (it garbles non-ASCII text in Go too).
 */
import { forEachGoRune, fromByteString, goRunes, RUNE_ERROR, toByteString } from "../../bytes.ts";
import {
  isDigit,
  isLetter,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  toLower,
  toTitle,
  toUpper,
} from "./unicode.ts";

const fromRunes = (rs: number[]) => rs.map((r) => String.fromCodePoint(r)).join("");

/** A byte as goutils sees it: rune(b), so bytes ≥ 0x80 are Latin-1 letters (and 0x85/0xA0 spaces). */
const byteIsSpace = (b: number) => isSpace(b);
/** string(rune(b)): the Latin-1 character for a byte. */
const byteAsRune = (b: number) => String.fromCharCode(b);

/** goutils.AbbreviateFull; null when Go returns an error (Sprig then returns ""). */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string | null {
  if (str === "") return "";
  if (maxWidth < 4) return null;
  const b = toByteString(str);
  if (b.length <= maxWidth) return str;
  if (offset > b.length) offset = b.length;
  if (b.length - offset < maxWidth - 3) offset = b.length - (maxWidth - 3);
  if (offset <= 4) return `${fromByteString(b.slice(0, maxWidth - 3))}...`;
  if (maxWidth < 7) return null;
  if (offset + maxWidth - 3 < b.length) {
    const rest = abbreviateFull(fromByteString(b.slice(offset)), 0, maxWidth - 3);
    return `...${rest ?? ""}`;
  }
  return `...${fromByteString(b.slice(b.length - (maxWidth - 3)))}`;
}

/** goutils.Initials (whitespace delimiters), byte by byte. */
export function initials(str: string): string {
  const b = toByteString(str);
  let out = "";
  let lastWasGap = true;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (byteIsSpace(c)) lastWasGap = true;
    else if (lastWasGap) {
      out += byteAsRune(c);
      lastWasGap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace, byte by byte; the input itself when nothing was deleted. */
export function deleteWhiteSpace(str: string): string {
  const b = toByteString(str);
  let out = "";
  let kept = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (!byteIsSpace(c)) {
      out += byteAsRune(c);
      kept++;
    }
  }
  return kept === b.length ? str : out;
}

/** goutils.WrapCustom: wraps at spaces, counting bytes; long words split only when asked. */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === "") return "";
  const nl = toByteString(newLine === "" ? "\n" : newLine);
  if (wrapLength < 1) wrapLength = 1;
  const s = toByteString(str);
  const len = s.length;
  let offset = 0;
  let out = "";
  while (len - offset > wrapLength) {
    if (s[offset] === " ") {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceToWrapAt = s.slice(offset, end).lastIndexOf(" ") + offset;
    if (spaceToWrapAt >= offset) {
      out += s.slice(offset, spaceToWrapAt) + nl;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += s.slice(offset, wrapLength + offset) + nl;
      offset += wrapLength;
    } else {
      const from = wrapLength + offset;
      const index = s.slice(from).indexOf(" ");
      if (index === -1) {
        out += s.slice(offset);
        offset = len;
      } else {
        out += s.slice(offset, index + from) + nl;
        offset = index + from + 1;
      }
    }
  }
  out += s.slice(offset);
  return fromByteString(out);
}

/** goutils.SwapCase (word based: a lower-case letter after whitespace becomes title case). */
export function swapCase(str: string): string {
  if (str === "") return str;
  const rs = goRunes(str);
  let whitespace = true;
  for (let i = 0; i < rs.length; i++) {
    const c = rs[i]!;
    if (isUpper(c) || isTitle(c)) {
      rs[i] = toLower(c);
      whitespace = false;
    } else if (isLower(c)) {
      rs[i] = whitespace ? toTitle(c) : toUpper(c);
      whitespace = false;
    } else whitespace = isSpace(c);
  }
  return fromRunes(rs);
}

/** goutils.Uncapitalize: the first rune of each whitespace-separated word lower-cased. */
export function uncapitalize(str: string): string {
  if (str === "") return str;
  const rs = goRunes(str);
  let next = true;
  for (let i = 0; i < rs.length; i++) {
    const c = rs[i]!;
    if (isSpace(c)) next = true;
    else if (next) {
      rs[i] = toLower(c);
      next = false;
    }
  }
  return fromRunes(rs);
}

/** strings.Title: title-case the first letter of each word; invalid bytes become U+FFFD. */
export function stringsTitle(s: string): string {
  let prev = 0x20;
  let out = "";
  forEachGoRune(s, (r) => {
    out += String.fromCodePoint(isSeparator(prev) ? toTitle(r) : r);
    prev = r;
  });
  return out;
}

function isSeparator(r: number): boolean {
  if (r <= 0x7f) {
    if ((r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f)
      return false;
    return true;
  }
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

// --- huandu/xstrings ---------------------------------------------------------------------------

const isConnector = (r: number) => r === 0x2d || r === 0x5f || isSpace(r);

/** xstrings' isAlphabet: a letter that is not a CJK ideograph. */
function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** xstrings.Shuffle: the runes in random order. */
export function shuffle(str: string): string {
  if (str === "") return str;
  const rs = goRunes(str);
  for (let i = rs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [rs[i], rs[j]] = [rs[j]!, rs[i]!];
  }
  return fromRunes(rs);
}

/** xstrings 1.5 ToPascalCase (Sprig 3.3.0's camelcase). */
export function toPascalCase(str: string): string {
  if (str === "") return "";
  const rs = goRunes(str);
  let out = "";
  let i = 0;
  let r0 = 0;
  let firstUpper = false;
  while (i < rs.length) {
    r0 = rs[i++]!;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
      break;
    }
    out += String.fromCodePoint(r0);
  }
  // Go writes the last rune read once more here, so "_" becomes "__".
  if (i >= rs.length) return out + String.fromCodePoint(r0);
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += String.fromCodePoint(r1);
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = toUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = toLower(r0);
        else firstUpper = false;
      }
      out += String.fromCodePoint(r1);
    }
  }
  return out + String.fromCodePoint(r0);
}

const enum W {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

interface Unit {
  r: number;
  text: string;
}

function unitsOf(s: string): Unit[] {
  const spans: [number, number, number][] = [];
  const c = forEachGoRune(s, (r, _b, a, e) => {
    spans.push([r, a, e]);
  });
  return spans.map(([r, a, e]) => ({ r, text: c.slice(a, e) }));
}

/** xstrings' nextValidRune: skips invalid runes; [rune, units consumed]. */
function nextValidRune(u: Unit[], p: number, prev: number): [number, number] {
  let size = 0;
  for (; p < u.length; p++) {
    size++;
    if (u[p]!.r !== RUNE_ERROR) return [u[p]!.r, size];
  }
  return [prev, size];
}

/** xstrings' nextWord over units: [word type, start, end] (end is where the rest starts). */
function nextWord(u: Unit[], start: number): [W, number, number] {
  if (start >= u.length) return [W.Invalid, start, start];
  let rem = start;
  let [r, size] = nextValidRune(u, rem, RUNE_ERROR);
  let offset = size;
  if (r === RUNE_ERROR) return [W.Invalid, start, start + offset];
  const more = (stop: (r: number) => boolean): void => {
    while (rem < u.length) {
      [r, size] = nextValidRune(u, rem, r);
      if (stop(r)) break;
      offset += size;
      rem += size;
    }
  };
  let wt: W;
  if (isConnector(r)) {
    wt = W.Connector;
    rem += size;
    more((x) => !isConnector(x));
  } else if (isPunct(r)) {
    wt = W.Punct;
    rem += size;
    more((x) => !isPunct(x));
  } else if (isUpper(r)) {
    wt = W.Upper;
    rem += size;
    if (rem < u.length) {
      [r, size] = nextValidRune(u, rem, r);
      if (isUpper(r)) {
        let prevSize = size;
        offset += size;
        rem += size;
        while (rem < u.length) {
          [r, size] = nextValidRune(u, rem, r);
          if (!isUpper(r)) break;
          prevSize = size;
          offset += size;
          rem += size;
        }
        // "HTTPStatus" splits into "HTTP" and "Status": the S belongs to the next word.
        if (rem < u.length && isAlphabet(r)) offset -= prevSize;
      } else if (isAlphabet(r)) {
        offset += size;
        rem += size;
        more((x) => !isAlphabet(x) || isUpper(x));
      }
    }
  } else if (isAlphabet(r)) {
    wt = W.Alphabet;
    rem += size;
    more((x) => !isAlphabet(x) || isUpper(x));
  } else if (isNumber(r)) {
    wt = W.Number;
    rem += size;
    more((x) => !isNumber(x));
  } else {
    wt = W.Other;
    rem += size;
    more((x) => isConnector(x) || isAlphabet(x) || isNumber(x) || isPunct(x));
  }
  return [wt, start, start + offset];
}

function lowerWord(u: Unit[], wt: W, a: number, b: number, connector: string): string {
  let out = "";
  if (wt !== W.Upper && wt !== W.Connector) {
    for (let i = a; i < b; i++) out += u[i]!.text;
    return out;
  }
  for (let i = a; i < b; i++) {
    const r = u[i]!.r;
    out += isConnector(r) ? connector : String.fromCodePoint(isUpper(r) ? toLower(r) : r);
  }
  return out;
}

/** xstrings' camelCaseToLowerCase (ToSnakeCase with "_", ToKebabCase with "-"). */
export function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === "") return "";
  const u = unitsOf(str);
  let out = "";
  let [wt, ws, we] = nextWord(u, 0);
  let pos = we;
  while (pos < u.length) {
    if (wt !== W.Connector) out += lowerWord(u, wt, ws, we, connector);
    const prev = wt;
    const lastStart = ws;
    const lastEnd = we;
    [wt, ws, we] = nextWord(u, pos);
    pos = we;
    switch (prev) {
      case W.Number:
        while (wt === W.Alphabet || wt === W.Number) {
          out += lowerWord(u, wt, ws, we, connector);
          [wt, ws, we] = nextWord(u, pos);
          pos = we;
        }
        if (wt !== W.Invalid && wt !== W.Punct && wt !== W.Connector) out += connector;
        break;
      case W.Connector:
        out += lowerWord(u, prev, lastStart, lastEnd, connector);
        break;
      case W.Punct:
        break;
      default: {
        if (wt !== W.Number) {
          if (wt !== W.Connector && wt !== W.Punct) out += connector;
          break;
        }
        if (pos >= u.length) break;
        const numStart = ws;
        const numEnd = we;
        [wt, ws, we] = nextWord(u, pos);
        pos = we;
        // A number belongs to the word before it ("Bld4Floor") unless letters follow it ("HTTP2xx").
        if (wt !== W.Alphabet) {
          out += lowerWord(u, W.Number, numStart, numEnd, connector);
          if (wt !== W.Connector && wt !== W.Punct) out += connector;
          break;
        }
        out += connector + lowerWord(u, W.Number, numStart, numEnd, connector);
        while (wt === W.Alphabet || wt === W.Number) {
          out += lowerWord(u, wt, ws, we, connector);
          [wt, ws, we] = nextWord(u, pos);
          pos = we;
        }
        if (wt !== W.Invalid && wt !== W.Connector && wt !== W.Punct) out += connector;
      }
    }
  }
  return out + lowerWord(u, wt, ws, we, connector);
}
