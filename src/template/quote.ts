/**
 * Go string helpers: strconv.Quote/QuoteToASCII/Unquote/UnquoteChar and byte views of JS strings
 * (Go strings are bytes; len/index/slice and %x work on their bytes — see bytes.ts for how bytes
 * that are not UTF-8 are carried in a JS string).
 */
import { canonicalGoString, decodeGoBytes, encodeGoString, goByteLength, RUNE_ERROR } from "./bytes.ts";

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** IsPrint answers for the BMP, filled in as runes are met: 0 unknown, 1 printable, 2 not. */
const printableBmp = new Uint8Array(0x10000);

/** Go's unicode.IsPrint (letters, marks, numbers, punctuation, symbols and U+0020). */
export function isPrintRune(r: number): boolean {
  if (r < 128) return r >= 32 && r < 127;
  if (r < 0x10000) {
    let known = printableBmp[r]!;
    if (known === 0) {
      known = PRINTABLE.test(String.fromCharCode(r)) ? 1 : 2;
      printableBmp[r] = known;
    }
    return known === 1;
  }
  return PRINTABLE.test(String.fromCodePoint(r));
}

/**
 * Go's %#U: "U+00A7 '§'" (the quoted rune only when printable). A lone surrogate is an invalid
 * byte the lexer read: Go decoded it as U+FFFD.
 */
export function formatRuneU(r: number): string {
  if (r >= 0xd800 && r <= 0xdfff) r = RUNE_ERROR;
  const hex = r.toString(16).toUpperCase().padStart(4, "0");
  return isPrintRune(r) ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

/** []byte(s) */
export function utf8Bytes(s: string): Uint8Array {
  return encodeGoString(s);
}

/** string(b) */
export function fromUtf8(b: Uint8Array): string {
  return decodeGoBytes(b);
}

/** len() of a Go string: its byte count. */
export function utf8Len(s: string): number {
  return goByteLength(s);
}

const HEX = "0123456789abcdef";

function escapeRune(r: number, ascii: boolean, quote: number): string {
  if (r === quote || r === 92) return `\\${String.fromCharCode(r)}`;
  if (ascii ? r < 128 && isPrintRune(r) : isPrintRune(r)) return String.fromCodePoint(r);
  switch (r) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (r < 32 || r === 127) return `\\x${HEX[r >> 4]}${HEX[r & 15]}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, "0")}`;
  return `\\U${r.toString(16).padStart(8, "0")}`;
}

/** Printable ASCII other than `"` and `\\`: quoted as is. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** strconv.Quote (ascii=false) / QuoteToASCII (ascii=true); an invalid byte is \\xNN. */
export function quoteGo(s: string, ascii = false): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  if (!s.isWellFormed()) s = canonicalGoString(s);
  let out = '"';
  let run = 0; // start of the current run of characters copied as they are
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) continue;
    if (!ascii && c >= 0xa0 && (c < 0xd800 || c > 0xdfff) && isPrintRune(c)) continue;
    if (i > run) out += s.slice(run, i);
    if (c >= 0xd800 && c <= 0xdbff) {
      // Canonical strings hold high surrogates only in pairs.
      out += escapeRune(s.codePointAt(i) as number, ascii, 34);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      const b = c - 0xdc00;
      out += `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
    } else out += escapeRune(c, ascii, 34);
    run = i + 1;
  }
  if (run < s.length) out += s.slice(run);
  return `${out}"`;
}

/** strconv.QuoteRune / QuoteRuneToASCII. */
export function quoteRune(r: number, ascii = false): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) || r < 0) r = 0xfffd;
  return `'${escapeRune(r, ascii, 39)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  if (!s.isWellFormed()) {
    // Go refuses a raw string holding an invalid byte (a lone surrogate once canonical).
    if (!canonicalGoString(s).isWellFormed()) return false;
  }
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    if (r === 96 || r === 0xfeff) return false;
    if (r < 32 && r !== 9) return false;
    if (r === 127) return false;
  }
  return true;
}

export class SyntaxError_ extends Error {
  constructor() {
    super("invalid syntax");
  }
}

/**
 * strconv.UnquoteChar: decodes one (possibly escaped) character from s at i. Returns the code
 * point or byte, whether it is a single byte (\x, octal), and the next index.
 */
export function unquoteChar(s: string, i: number, quote: number): [number, boolean, number] {
  const c = s.codePointAt(i);
  if (c === undefined) throw new SyntaxError_();
  if (c === quote && (quote === 39 || quote === 34)) throw new SyntaxError_();
  // A raw invalid byte (an escaped byte, or any lone surrogate) decodes as U+FFFD, as in Go.
  if (c >= 0xd800 && c <= 0xdfff) return [RUNE_ERROR, false, i + 1];
  if (c !== 92) return [c, false, i + (c > 0xffff ? 2 : 1)];
  const e = s.charCodeAt(i + 1);
  i += 2;
  switch (e) {
    case 97:
      return [7, false, i];
    case 98:
      return [8, false, i];
    case 102:
      return [12, false, i];
    case 110:
      return [10, false, i];
    case 114:
      return [13, false, i];
    case 116:
      return [9, false, i];
    case 118:
      return [11, false, i];
    case 92:
      return [92, false, i];
    case 39:
    case 34:
      if (e !== quote) throw new SyntaxError_();
      return [e, false, i];
    case 120:
    case 117:
    case 85: {
      const n = e === 120 ? 2 : e === 117 ? 4 : 8;
      const hex = s.slice(i, i + n);
      if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError_();
      const v = Number.parseInt(hex, 16);
      if (e === 120) return [v, true, i + n];
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_();
      return [v, false, i + n];
    }
    default:
      if (e >= 48 && e <= 55) {
        const oct = s.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError_();
        const v = Number.parseInt(oct, 8);
        if (v > 255) throw new SyntaxError_();
        return [v, true, i + 2];
      }
      throw new SyntaxError_();
  }
}

/** strconv.Unquote for "..." and `...` literals (template strings). Throws SyntaxError_. */
export function unquoteGo(lit: string): string {
  const q = lit.charCodeAt(0);
  if (lit.length < 2 || lit.charCodeAt(lit.length - 1) !== q) throw new SyntaxError_();
  const body = lit.slice(1, -1);
  if (q === 96) {
    if (body.includes("`")) throw new SyntaxError_();
    return body.replaceAll("\r", "");
  }
  if (q !== 34) throw new SyntaxError_();
  if (!body.includes("\\")) {
    if (body.includes('"') || body.includes("\n")) throw new SyntaxError_();
    // Go keeps a valid literal as is and rewrites each invalid byte of any other as U+FFFD.
    return body.isWellFormed() ? body : canonicalGoString(body).toWellFormed();
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const [r, isByte, next] = unquoteChar(body, i, 34);
    if (r === 10 && body.charCodeAt(i) === 10) throw new SyntaxError_();
    if (isByte) bytes.push(r);
    else for (const b of utf8Bytes(String.fromCodePoint(r))) bytes.push(b);
    i = next;
  }
  return fromUtf8(Uint8Array.from(bytes));
}
