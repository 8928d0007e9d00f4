/**
 * The lexer of Go's text/template. The parser's error messages and line numbers depend on exactly
 * which token the lexer produced and where, so this follows Go's token rules (trim markers,
 * comments, number syntax, terminators) rather than a tidier design.
 *
 * Go's lexer is a state machine the parser pulls one token at a time. Nothing the parser does
 * changes what the lexer produces (break/continue are decided before parsing starts), so here the
 * whole input is lexed up front by one loop into parallel typed arrays: a 1 MB template has ~450k
 * tokens, and per-token objects, substrings or method calls were most of its compile time.
 *
 * Positions are JS string indexes. Lines are not tracked: a token's line is always 1 + the
 * newlines before its position (tokenLine), and it is only needed when an error is formatted.
 */
import { formatRuneU, isPrintRune, quoteGo as goQuote } from "./quote.ts";

export const enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords follow; their order matters only for `> Keyword`.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

const EOF = -1;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

function isAsciiAlphaNumeric(r: number): boolean {
  return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
}

export function isAlphaNumeric(r: number): boolean {
  if (r < 128) return r >= 0 && isAsciiAlphaNumeric(r);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

/** ASCII character sets for the number scanner, as lookup tables (one per Go `accept` string). */
function charSet(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}
const SIGNS = charSet("+-");
const ZERO = charSet("0");
const HEX_PREFIX = charSet("xX");
const OCT_PREFIX = charSet("oO");
const BIN_PREFIX = charSet("bB");
const DEC_DIGITS = charSet("0123456789_");
const HEX_DIGITS = charSet("0123456789abcdefABCDEF_");
const OCT_DIGITS = charSet("01234567_");
const BIN_DIGITS = charSet("01_");
const DOT = charSet(".");
const DEC_EXP = charSet("eE");
const HEX_EXP = charSet("pP");
const IMAG = charSet("i");

/**
 * The lexed input: token i has type typs[i] and text input[poss[i], ends[i]). The last token is
 * EOF; an error token (at most one, lexing stops there) is followed by the EOF Go's lexer would
 * produce next. Reading past the end keeps returning that EOF, as Go's lexer does.
 */
export class Tokens {
  typs: Uint8Array;
  poss: Int32Array;
  ends: Int32Array;
  count = 0;
  /** The error token's message, if lexing stopped at an error. */
  errorMsg = "";
  /** The parsers' shared read position (parsers of define/block bodies continue the stream). */
  cursor = 0;
  /** Newline index for tokenLine, built on the first error. */
  private newlines: Int32Array | null = null;

  constructor(readonly input: string) {
    // Roughly one token per 2–3 characters in dense templates; the arrays grow if that is too few.
    const cap = Math.max(64, Math.min((input.length >> 1) + 8, 1 << 20));
    this.typs = new Uint8Array(cap);
    this.poss = new Int32Array(cap);
    this.ends = new Int32Array(cap);
  }

  /** A token's text (an error token's message). */
  val(i: number): string {
    if (this.typs[i] === T.Error) return this.errorMsg;
    return this.input.slice(this.poss[i], this.ends[i]);
  }

  /** A field token's name, without its leading dot. */
  fieldName(i: number): string {
    return this.input.slice(this.poss[i] + 1, this.ends[i]);
  }

  /** The line of the token at i (1-based; 0 for "no token yet", i < 0). */
  line(i: number): number {
    if (i < 0) return 0;
    return lineAt(this.poss[i], this);
  }

  /** Newline offsets of the input, for binary search (built once, only when an error needs a line). */
  newlineIndex(): Int32Array {
    if (this.newlines) return this.newlines;
    const s = this.input;
    let n = 0;
    for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
    const nl = new Int32Array(n);
    n = 0;
    for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) nl[n++] = i;
    this.newlines = nl;
    return nl;
  }

  grow(): void {
    const cap = this.typs.length * 2;
    const typs = new Uint8Array(cap);
    typs.set(this.typs);
    this.typs = typs;
    const poss = new Int32Array(cap);
    poss.set(this.poss);
    this.poss = poss;
    const ends = new Int32Array(cap);
    ends.set(this.ends);
    this.ends = ends;
  }
}

/** 1 + the number of newlines in input before pos. */
function lineAt(pos: number, tk: Tokens): number {
  const nl = tk.newlineIndex();
  let lo = 0;
  let hi = nl.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nl[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function push(tk: Tokens, typ: T, pos: number, end: number): void {
  const i = tk.count;
  if (i === tk.typs.length) tk.grow();
  tk.typs[i] = typ;
  tk.poss[i] = pos;
  tk.ends[i] = end;
  tk.count = i + 1;
}

/** Ends lexing with an error token at `start`, then the EOF Go's lexer returns after it (at `pos`). */
function fail(tk: Tokens, msg: string, start: number, pos: number): Tokens {
  tk.errorMsg = msg;
  push(tk, T.Error, start, start);
  push(tk, T.EOF, pos, pos);
  return tk;
}

/** Width in UTF-16 units of the rune at p (2 for a surrogate pair). */
function runeWidth(s: string, p: number): number {
  const c = s.charCodeAt(p);
  return c >= 0xd800 && c <= 0xdbff && (s.codePointAt(p) as number) > 0xffff ? 2 : 1;
}

/** The rune at p, EOF past the end. */
function runeAt(s: string, p: number): number {
  if (p >= s.length) return EOF;
  const c = s.charCodeAt(p);
  if (c >= 0xd800 && c <= 0xdbff) return s.codePointAt(p) as number;
  return c;
}

/** Go's atTerminator: space, end, one of `.,|:)(`, or the first rune of the right delimiter. */
function atTerminator(s: string, p: number, rightDelimFirst: number): boolean {
  if (p >= s.length) return true;
  const c = s.charCodeAt(p);
  switch (c) {
    case 32:
    case 9:
    case 13:
    case 10:
    case 46:
    case 44:
    case 124:
    case 58:
    case 41:
    case 40:
      return true;
  }
  if (c < 0xd800 || c > 0xdbff) return c === rightDelimFirst;
  return runeAt(s, p) === rightDelimFirst;
}

/** Advances over alphanumeric runes from p; returns the end (the first rune that is not one). */
function scanAlphaNumeric(s: string, p: number): number {
  const n = s.length;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c < 128) {
      if (!isAsciiAlphaNumeric(c)) return p;
      p++;
      continue;
    }
    const r = runeAt(s, p);
    if (!isAlphaNumeric(r)) return p;
    p += r > 0xffff ? 2 : 1;
  }
  return p;
}

function keyword(s: string, start: number, end: number, breakOK: boolean, continueOK: boolean): T {
  const len = end - start;
  if (len < 2 || len > 8) return T.Identifier;
  switch (s.charCodeAt(start)) {
    case 98: // b
      if (len === 5 && s.startsWith("block", start)) return T.Block;
      if (len === 5 && s.startsWith("break", start)) return breakOK ? T.Break : T.Identifier;
      break;
    case 99: // c
      if (len === 8 && s.startsWith("continue", start)) return continueOK ? T.Continue : T.Identifier;
      break;
    case 100: // d
      if (len === 6 && s.startsWith("define", start)) return T.Define;
      break;
    case 101: // e
      if (len === 4 && s.startsWith("else", start)) return T.Else;
      if (len === 3 && s.startsWith("end", start)) return T.End;
      break;
    case 102: // f
      if (len === 5 && s.startsWith("false", start)) return T.Bool;
      break;
    case 105: // i
      if (len === 2 && s.charCodeAt(start + 1) === 102) return T.If;
      break;
    case 110: // n
      if (len === 3 && s.startsWith("nil", start)) return T.Nil;
      break;
    case 114: // r
      if (len === 5 && s.startsWith("range", start)) return T.Range;
      break;
    case 116: // t
      if (len === 8 && s.startsWith("template", start)) return T.Template;
      if (len === 4 && s.startsWith("true", start)) return T.Bool;
      break;
    case 119: // w
      if (len === 4 && s.startsWith("with", start)) return T.With;
      break;
  }
  return T.Identifier;
}

/**
 * Go's scanNumber from p; returns the end position, negated minus one when the syntax is bad
 * (the end then includes the offending rune, as Go's error text shows it).
 */
function scanNumber(s: string, p: number): number {
  p = accept(s, p, SIGNS);
  let digits = DEC_DIGITS;
  let q = accept(s, p, ZERO);
  if (q !== p) {
    p = q;
    q = accept(s, p, HEX_PREFIX);
    if (q !== p) digits = HEX_DIGITS;
    else {
      q = accept(s, p, OCT_PREFIX);
      if (q !== p) digits = OCT_DIGITS;
      else {
        q = accept(s, p, BIN_PREFIX);
        if (q !== p) digits = BIN_DIGITS;
      }
    }
    p = q;
  }
  p = acceptRun(s, p, digits);
  q = accept(s, p, DOT);
  if (q !== p) p = acceptRun(s, q, digits);
  if (digits === DEC_DIGITS) {
    q = accept(s, p, DEC_EXP);
    if (q !== p) p = acceptRun(s, accept(s, q, SIGNS), DEC_DIGITS);
  }
  if (digits === HEX_DIGITS) {
    q = accept(s, p, HEX_EXP);
    if (q !== p) p = acceptRun(s, accept(s, q, SIGNS), DEC_DIGITS);
  }
  p = accept(s, p, IMAG);
  if (p < s.length && isAlphaNumeric(runeAt(s, p))) return -(p + runeWidth(s, p)) - 1;
  return p;
}

function accept(s: string, p: number, valid: Uint8Array): number {
  const c = p < s.length ? s.charCodeAt(p) : 128;
  return c < 128 && valid[c] === 1 ? p + 1 : p;
}

function acceptRun(s: string, p: number, valid: Uint8Array): number {
  const n = s.length;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c >= 128 || valid[c] !== 1) break;
    p++;
  }
  return p;
}

/** Lexes all of input. `breakOK`/`continueOK`: whether break/continue are keywords (no such function). */
export function lex(
  input: string,
  leftDelim: string,
  rightDelim: string,
  breakOK: boolean,
  continueOK: boolean,
): Tokens {
  const tk = new Tokens(input);
  const s = input;
  const len = s.length;
  const ldn = leftDelim.length;
  const rdn = rightDelim.length;
  const rightDelimFirst = rightDelim.codePointAt(0) ?? EOF;
  const rightDelimUnit = rightDelim.charCodeAt(0);
  let pos = 0;
  let start = 0;

  for (;;) {
    // --- text, up to the next left delimiter (Go's lexText) ---
    const x = s.indexOf(leftDelim, pos);
    if (x < 0) {
      if (len > start) push(tk, T.Text, start, len);
      push(tk, T.EOF, len, len);
      return tk;
    }
    let trim = 0;
    if (s.charCodeAt(x + ldn) === 45 && isSpace(s.charCodeAt(x + ldn + 1))) {
      let j = x;
      while (j > start && isSpace(s.charCodeAt(j - 1))) j--;
      trim = x - j;
    }
    if (x - trim > start) push(tk, T.Text, start, x - trim);
    start = x;

    // --- the left delimiter, or a comment (lexLeftDelim, lexComment) ---
    pos = x + ldn;
    const after = s.charCodeAt(pos) === 45 && isSpace(s.charCodeAt(pos + 1)) ? 2 : 0;
    if (s.charCodeAt(pos + after) === 47 && s.charCodeAt(pos + after + 1) === 42) {
      pos += after;
      start = pos;
      const i = s.indexOf("*/", pos + 2);
      if (i < 0) return fail(tk, "unclosed comment", start, pos + 2);
      pos = i + 2;
      const c = s.charCodeAt(pos);
      if (isSpace(c) && s.charCodeAt(pos + 1) === 45 && s.startsWith(rightDelim, pos + 2)) {
        pos += 2 + rdn;
        while (pos < len && isSpace(s.charCodeAt(pos))) pos++;
      } else if (c === rightDelimUnit && s.startsWith(rightDelim, pos)) {
        pos += rdn;
      } else {
        return fail(tk, "comment ends before closing delimiter", start, pos);
      }
      start = pos;
      continue;
    }
    push(tk, T.LeftDelim, start, pos);
    pos += after;
    start = pos;
    let parenDepth = 0;

    // --- inside the action (lexInsideAction and the states it hands over to) ---
    for (;;) {
      let c = s.charCodeAt(pos);
      // At the right delimiter, possibly after a trim marker " -"?
      const atDelim =
        isSpace(c) && s.charCodeAt(pos + 1) === 45 && s.startsWith(rightDelim, pos + 2)
          ? 2
          : c === rightDelimUnit && s.startsWith(rightDelim, pos)
            ? 1
            : 0;
      if (atDelim !== 0) {
        if (parenDepth !== 0) return fail(tk, "unclosed left paren", start, pos);
        break;
      }
      if (pos >= len) return fail(tk, "unclosed action", start, pos);
      if (isSpace(c)) {
        // lexSpace: a run of spaces, unless its last one starts a trim-marked right delimiter.
        let n = 0;
        while (isSpace(c)) {
          pos++;
          n++;
          c = s.charCodeAt(pos);
        }
        if (c === 45 && s.startsWith(rightDelim, pos + 1)) {
          pos--;
          if (n === 1) break;
        }
        push(tk, T.Space, start, pos);
        start = pos;
        continue;
      }
      const r = c >= 0xd800 && c <= 0xdbff ? (s.codePointAt(pos) as number) : c;
      const w = r > 0xffff ? 2 : 1;
      pos += w;
      switch (r) {
        case 61: // =
          push(tk, T.Assign, start, pos);
          start = pos;
          continue;
        case 58: // :
          if (runeAt(s, pos) !== 61) {
            if (pos < len) pos += runeWidth(s, pos);
            return fail(tk, "expected :=", start, pos);
          }
          pos++;
          push(tk, T.Declare, start, pos);
          start = pos;
          continue;
        case 124: // |
          push(tk, T.Pipe, start, pos);
          start = pos;
          continue;
        case 34: // "
        case 39: {
          // ' — lexQuote, lexChar: UTF-16 units suffice, the quote, backslash and newline are ASCII.
          const typ = r === 34 ? T.String : T.CharConstant;
          for (;;) {
            if (pos >= len) return fail(tk, unterminated(r), start, pos);
            let q = s.charCodeAt(pos++);
            if (q === 92) {
              if (pos >= len) return fail(tk, unterminated(r), start, pos);
              q = s.charCodeAt(pos++);
              if (q !== 10) continue;
              return fail(tk, unterminated(r), start, pos);
            }
            if (q === 10) return fail(tk, unterminated(r), start, pos);
            if (q === r) break;
          }
          push(tk, typ, start, pos);
          start = pos;
          continue;
        }
        case 96: {
          // ` — lexRawQuote
          const end = s.indexOf("`", pos);
          if (end < 0) return fail(tk, "unterminated raw quoted string", start, len);
          pos = end + 1;
          push(tk, T.RawString, start, pos);
          start = pos;
          continue;
        }
        case 36: {
          // $ — lexVariable
          if (!atTerminator(s, pos, rightDelimFirst)) {
            pos = scanAlphaNumeric(s, pos);
            if (!atTerminator(s, pos, rightDelimFirst)) return fail(tk, badCharacter(s, pos), start, pos);
          }
          push(tk, T.Variable, start, pos);
          start = pos;
          continue;
        }
        case 40: // (
          parenDepth++;
          push(tk, T.LeftParen, start, pos);
          start = pos;
          continue;
        case 41: // )
          parenDepth--;
          start = pos;
          if (parenDepth < 0) return fail(tk, `unexpected right paren ${formatRuneU(r)}`, start, pos);
          push(tk, T.RightParen, pos - 1, pos);
          continue;
        case 46: // .
          // ".field" unless a digit follows ('.5' is a number).
          if (pos < len) {
            const d = s.charCodeAt(pos);
            if (d < 48 || d > 57) {
              // lexField
              if (atTerminator(s, pos, rightDelimFirst)) {
                push(tk, T.Dot, start, pos);
                start = pos;
                continue;
              }
              pos = scanAlphaNumeric(s, pos);
              if (!atTerminator(s, pos, rightDelimFirst)) return fail(tk, badCharacter(s, pos), start, pos);
              push(tk, T.Field, start, pos);
              start = pos;
              continue;
            }
          }
          pos--;
          break;
      }
      if (r === 46 || r === 43 || r === 45 || (r >= 48 && r <= 57)) {
        // lexNumber (the sign or digit is scanned again by scanNumber)
        if (r !== 46) pos -= w;
        const end = scanNumber(s, pos);
        if (end >= 0) {
          const sign = end < len ? s.charCodeAt(end) : 0;
          if (sign === 43 || sign === 45) {
            const cend = scanNumber(s, end);
            if (cend < 0) {
              pos = -cend - 1;
              return fail(tk, `bad number syntax: ${goQuote(s.slice(start, pos))}`, start, pos);
            }
            pos = cend;
            if (s.charCodeAt(pos - 1) !== 105)
              return fail(tk, `bad number syntax: ${goQuote(s.slice(start, pos))}`, start, pos);
            push(tk, T.Complex, start, pos);
            start = pos;
            continue;
          }
        }
        if (end < 0) {
          pos = -end - 1;
          return fail(tk, `bad number syntax: ${goQuote(s.slice(start, pos))}`, start, pos);
        }
        pos = end;
        push(tk, T.Number, start, pos);
        start = pos;
        continue;
      }
      if (isAlphaNumeric(r)) {
        // lexIdentifier
        pos = scanAlphaNumeric(s, pos);
        if (!atTerminator(s, pos, rightDelimFirst)) return fail(tk, badCharacter(s, pos), start, pos);
        push(tk, keyword(s, start, pos, breakOK, continueOK), start, pos);
        start = pos;
        continue;
      }
      if (r < 128 && isPrintRune(r)) {
        push(tk, T.Char, start, pos);
        start = pos;
        continue;
      }
      return fail(tk, `unrecognized character in action: ${formatRuneU(r)}`, start, pos);
    }

    // --- the right delimiter (lexRightDelim) ---
    const trimRight = isSpace(s.charCodeAt(pos)) && s.charCodeAt(pos + 1) === 45;
    if (trimRight) {
      pos += 2;
      start = pos;
    }
    pos += rdn;
    push(tk, T.RightDelim, start, pos);
    if (trimRight) while (pos < len && isSpace(s.charCodeAt(pos))) pos++;
    start = pos;
  }
}

function unterminated(quote: number): string {
  return quote === 34 ? "unterminated quoted string" : "unterminated character constant";
}

/** Go's "bad character" error for the rune at p (the one that is neither alphanumeric nor a terminator). */
function badCharacter(s: string, p: number): string {
  return `bad character ${formatRuneU(runeAt(s, p))}`;
}
