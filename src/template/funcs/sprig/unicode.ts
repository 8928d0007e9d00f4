/**
 * Go's unicode package for single runes, as the ports of goutils and xstrings need them:
 * IsUpper/IsLower/IsTitle/IsLetter/IsDigit/IsNumber/IsPunct/IsSpace and the simple case
 * mappings ToUpper/ToLower/ToTitle. Invalid bytes reach these as RUNE_ERROR (U+FFFD).
 */
import { RUNE_ERROR } from "../../bytes.ts";
import { goToLower, goToUpper, isGoSpace } from "../gostrings.ts";

export { isGoSpace as isSpace };

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const TITLE_CASE = /^\p{Lt}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const NUMBER = /^\p{N}$/u;
const PUNCT = /^\p{P}$/u;

const ch = (r: number) => String.fromCodePoint(r);

export const isUpper = (r: number): boolean =>
  r < 0x80 ? r >= 0x41 && r <= 0x5a : r !== RUNE_ERROR && UPPER.test(ch(r));
export const isLower = (r: number): boolean =>
  r < 0x80 ? r >= 0x61 && r <= 0x7a : r !== RUNE_ERROR && LOWER.test(ch(r));
export const isTitle = (r: number): boolean => r >= 0x80 && TITLE_CASE.test(ch(r));
export const isLetter = (r: number): boolean =>
  r < 0x80 ? (r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a : LETTER.test(ch(r));
export const isDigit = (r: number): boolean => (r < 0x80 ? r >= 0x30 && r <= 0x39 : DIGIT.test(ch(r)));
export const isNumber = (r: number): boolean => (r < 0x80 ? r >= 0x30 && r <= 0x39 : NUMBER.test(ch(r)));
export const isPunct = (r: number): boolean => PUNCT.test(ch(r));

export function toUpper(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  return goToUpper(ch(r)).codePointAt(0)!;
}

export function toLower(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  return goToLower(ch(r)).codePointAt(0)!;
}

/** The digraphs whose title case differs from their upper case (DŽ → Dž, …). */
const TITLE_OF: Record<number, number> = {
  452: 0x1c5,
  453: 0x1c5,
  454: 0x1c5,
  455: 0x1c8,
  456: 0x1c8,
  457: 0x1c8,
  458: 0x1cb,
  459: 0x1cb,
  460: 0x1cb,
  497: 0x1f2,
  498: 0x1f2,
  499: 0x1f2,
};

/** unicode.ToTitle. Georgian Mkhedruli letters have an upper case (Mtavruli) but no title case. */
export function toTitle(r: number): number {
  const t = TITLE_OF[r];
  if (t !== undefined) return t;
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return toUpper(r);
}
