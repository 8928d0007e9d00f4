/**
 * The lexer of Go's text/template, state for state: the parser's error messages and line numbers
 * depend on exactly which token the lexer produced and where, so this follows Go's token rules
 * (trim markers, comments, number syntax, terminators) rather than a tidier design.
 *
 * Positions are JS string indexes; they are converted to Go's byte columns only when an error is
 * formatted (see position.ts).
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

const KEYWORDS = new Map<string, T>([
  [".", T.Dot],
  ["block", T.Block],
  ["break", T.Break],
  ["continue", T.Continue],
  ["define", T.Define],
  ["else", T.Else],
  ["end", T.End],
  ["if", T.If],
  ["range", T.Range],
  ["nil", T.Nil],
  ["template", T.Template],
  ["with", T.With],
]);

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

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.charCodeAt(at) === 45 && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 45;
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

const enum S {
  Text,
  LeftDelim,
  Comment,
  RightDelim,
  Inside,
  Space,
  Identifier,
  Field,
  Variable,
  Char,
  Number,
  Quote,
  RawQuote,
  Done,
}

/**
 * Tokens are stored in parallel typed arrays and named by index, not allocated as objects: a 1 MB
 * template has ~450k tokens, and an object plus a substring per token was half of compile time.
 * Index 0 is a placeholder (EOF at line 0) for a parser's look-ahead slots before it has read.
 */
export class Lexer {
  private pos = 0;
  private start = 0;
  private width = 0;
  private line = 1;
  private startLine = 1;
  private parenDepth = 0;
  private state = S.Text;
  /** The first newline at or after nlFrom (input.length: none; -1: not searched yet); see newlines(). */
  private nl = -1;
  private nlFrom = 0;
  private readonly rightDelimFirst: number;
  private readonly rightDelimUnit: number;
  breakOK = true;
  continueOK = true;

  /** Token columns: type, start offset, end offset, line. */
  typs: Uint8Array;
  poss: Int32Array;
  ends: Int32Array;
  lines: Int32Array;
  private count = 1;
  /** Error tokens carry a message instead of source text. */
  private readonly errors = new Map<number, string>();

  constructor(
    private readonly input: string,
    private readonly leftDelim: string,
    private readonly rightDelim: string,
  ) {
    this.rightDelimFirst = rightDelim.codePointAt(0) ?? EOF;
    this.rightDelimUnit = rightDelim.length > 0 ? rightDelim.charCodeAt(0) : EOF;
    // Roughly one token per 3 bytes in dense templates; the arrays grow if that is too few.
    const cap = Math.max(64, Math.min(input.length >> 1, 1 << 20));
    this.typs = new Uint8Array(cap);
    this.poss = new Int32Array(cap);
    this.ends = new Int32Array(cap);
    this.lines = new Int32Array(cap);
    this.typs[0] = T.EOF;
  }

  /** A token's text (an error token's message). */
  val(i: number): string {
    if (this.typs[i] === T.Error) return this.errors.get(i) as string;
    return this.input.slice(this.poss[i], this.ends[i]);
  }

  /** A field token's name, without its leading dot. */
  fieldName(i: number): string {
    return this.input.slice(this.poss[i] + 1, this.ends[i]);
  }

  private push(typ: T, pos: number, end: number, line: number): void {
    const i = this.count;
    if (i === this.typs.length) this.grow();
    this.typs[i] = typ;
    this.poss[i] = pos;
    this.ends[i] = end;
    this.lines[i] = line;
    this.count = i + 1;
  }

  private grow(): void {
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
    const lines = new Int32Array(cap);
    lines.set(this.lines);
    this.lines = lines;
  }

  /** The rune at pos (EOF past the end), setting width as Go's next() would. */
  private runeAt(p: number): number {
    if (p >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const c = this.input.charCodeAt(p);
    if (c >= 0xd800 && c <= 0xdbff) {
      const r = this.input.codePointAt(p) as number;
      this.width = r > 0xffff ? 2 : 1;
      return r;
    }
    this.width = 1;
    return c;
  }

  private next(): number {
    const r = this.runeAt(this.pos);
    this.pos += this.width;
    if (r === 10) this.line++;
    return r;
  }

  private peek(): number {
    return this.runeAt(this.pos);
  }

  private backup(): void {
    this.pos -= this.width;
    if (this.width === 1 && this.input.charCodeAt(this.pos) === 10) this.line--;
  }

  private emit(typ: T): true {
    this.push(typ, this.start, this.pos, this.startLine);
    this.start = this.pos;
    this.startLine = this.line;
    return true;
  }

  /**
   * Newlines in input[from, to). Queries move forward through the input, so the next newline at
   * or after `nlFrom` is remembered: each stretch of text is searched once by native indexOf, and
   * a long single-line template does not rescan to its end on every query.
   */
  private newlines(from: number, to: number): number {
    if (from < this.nlFrom) return countNewlines(this.input, from, to);
    let nl = this.nl;
    if (nl < from) {
      nl = this.input.indexOf("\n", from);
      if (nl < 0) nl = this.input.length;
    }
    let n = 0;
    while (nl < to) {
      n++;
      nl = this.input.indexOf("\n", nl + 1);
      if (nl < 0) nl = this.input.length;
    }
    this.nl = nl;
    this.nlFrom = to > from ? to : from;
    return n;
  }

  private ignore(): void {
    this.line += this.newlines(this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private errorf(msg: string): true {
    this.state = S.Done;
    this.errors.set(this.count, msg);
    this.push(T.Error, this.start, this.start, this.startLine);
    return true;
  }

  private accept(valid: Uint8Array): boolean {
    const r = this.next();
    if (r >= 0 && r < 128 && valid[r] === 1) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: Uint8Array): void {
    for (;;) {
      const r = this.next();
      if (r < 0 || r >= 128 || valid[r] !== 1) break;
    }
    this.backup();
  }

  /** Lexes the next token and returns its index; after EOF or an error, EOF forever. */
  nextItem(): number {
    while (!this.step()) {}
    return this.count - 1;
  }

  /** One state of the machine; true when it produced a token. */
  private step(): boolean {
    switch (this.state) {
      case S.Text:
        return this.lexText();
      case S.LeftDelim:
        return this.lexLeftDelim();
      case S.Comment:
        return this.lexComment();
      case S.RightDelim:
        return this.lexRightDelim();
      case S.Inside:
        return this.lexInsideAction();
      case S.Space:
        return this.lexSpace();
      case S.Identifier:
        return this.lexIdentifier();
      case S.Field:
        return this.lexFieldOrVariable(T.Field);
      case S.Variable:
        if (this.atTerminator()) {
          this.state = S.Inside;
          return this.emit(T.Variable);
        }
        return this.lexFieldOrVariable(T.Variable);
      case S.Char:
        return this.lexQuoted(39, T.CharConstant, "unterminated character constant");
      case S.Number:
        return this.lexNumber();
      case S.Quote:
        return this.lexQuoted(34, T.String, "unterminated quoted string");
      case S.RawQuote:
        return this.lexRawQuote();
      default:
        this.push(T.EOF, this.pos, this.pos, this.line);
        return true;
    }
  }

  private lexText(): boolean {
    this.width = 0;
    const x = this.input.indexOf(this.leftDelim, this.pos);
    if (x >= 0) {
      const ldn = this.leftDelim.length;
      let trim = 0;
      if (hasLeftTrimMarker(this.input, x + ldn)) {
        let j = x;
        while (j > this.start && isSpace(this.input.charCodeAt(j - 1))) j--;
        trim = x - j;
      }
      this.pos = x - trim;
      let ret = false;
      if (this.pos > this.start) {
        this.line += this.newlines(this.start, this.pos);
        ret = this.emit(T.Text);
      }
      this.pos += trim;
      this.ignore();
      this.state = S.LeftDelim;
      return ret;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += this.newlines(this.start, this.pos);
      return this.emit(T.Text);
    }
    this.state = S.Done;
    return this.emit(T.EOF);
  }

  /** 0: not at the right delimiter; 1: at it; 2: at it, after a trim marker " -". */
  private atRightDelim(): number {
    const s = this.input;
    const c = s.charCodeAt(this.pos);
    if (isSpace(c) && s.charCodeAt(this.pos + 1) === 45 && s.startsWith(this.rightDelim, this.pos + 2))
      return 2;
    if (c === this.rightDelimUnit && s.startsWith(this.rightDelim, this.pos)) return 1;
    return 0;
  }

  private lexLeftDelim(): boolean {
    this.pos += this.leftDelim.length;
    const trim = hasLeftTrimMarker(this.input, this.pos);
    const after = trim ? 2 : 0;
    const c = this.pos + after;
    if (this.input.charCodeAt(c) === 47 && this.input.charCodeAt(c + 1) === 42) {
      this.pos += after;
      this.ignore();
      this.state = S.Comment;
      return false;
    }
    const ret = this.emit(T.LeftDelim);
    this.pos += after;
    this.ignore();
    this.parenDepth = 0;
    this.state = S.Inside;
    return ret;
  }

  private lexComment(): boolean {
    this.pos += 2;
    const i = this.input.indexOf("*/", this.pos);
    if (i < 0) return this.errorf("unclosed comment");
    this.pos = i + 2;
    const at = this.atRightDelim();
    if (at === 0) return this.errorf("comment ends before closing delimiter");
    const trim = at === 2;
    if (trim) this.pos += 2;
    this.pos += this.rightDelim.length;
    if (trim) this.pos = skipSpaces(this.input, this.pos);
    this.ignore();
    this.state = S.Text;
    return false;
  }

  private lexRightDelim(): boolean {
    const trim = hasRightTrimMarker(this.input, this.pos);
    if (trim) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += this.rightDelim.length;
    const ret = this.emit(T.RightDelim);
    if (trim) {
      this.pos = skipSpaces(this.input, this.pos);
      this.ignore();
    }
    this.state = S.Text;
    return ret;
  }

  private lexInsideAction(): boolean {
    if (this.atRightDelim() !== 0) {
      if (this.parenDepth === 0) {
        this.state = S.RightDelim;
        return false;
      }
      return this.errorf("unclosed left paren");
    }
    const r = this.next();
    if (r === EOF) return this.errorf("unclosed action");
    if (isSpace(r)) {
      this.backup();
      this.state = S.Space;
      return false;
    }
    switch (r) {
      case 61: // =
        return this.emit(T.Assign);
      case 58: // :
        if (this.next() !== 61) return this.errorf("expected :=");
        return this.emit(T.Declare);
      case 124:
        return this.emit(T.Pipe);
      case 34:
        this.state = S.Quote;
        return false;
      case 96:
        this.state = S.RawQuote;
        return false;
      case 36:
        this.state = S.Variable;
        return false;
      case 39:
        this.state = S.Char;
        return false;
      case 40:
        this.parenDepth++;
        return this.emit(T.LeftParen);
      case 41: {
        this.emit(T.RightParen);
        this.parenDepth--;
        if (this.parenDepth < 0) {
          // Go reports the error in place of the paren token.
          this.count--;
          return this.errorf(`unexpected right paren ${formatRuneU(r)}`);
        }
        return true;
      }
    }
    if (r === 46) {
      // ".field" unless a digit follows ('.5' is a number).
      if (this.pos < this.input.length) {
        const c = this.input.charCodeAt(this.pos);
        if (c < 48 || c > 57) {
          this.state = S.Field;
          return false;
        }
      }
      this.backup();
      this.state = S.Number;
      return false;
    }
    if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
      this.backup();
      this.state = S.Number;
      return false;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      this.state = S.Identifier;
      return false;
    }
    if (r < 128 && isPrintRune(r)) return this.emit(T.Char);
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  private lexSpace(): boolean {
    const s = this.input;
    let n = 0;
    let c = s.charCodeAt(this.pos);
    while (isSpace(c)) {
      if (c === 10) this.line++;
      this.pos++;
      n++;
      c = s.charCodeAt(this.pos);
    }
    // A space may belong to a trim-marked right delimiter " -}}".
    if (c === 45 && s.startsWith(this.rightDelim, this.pos + 1)) {
      this.width = 1;
      this.backup();
      if (n === 1) {
        this.state = S.RightDelim;
        return false;
      }
    }
    this.state = S.Inside;
    return this.emit(T.Space);
  }

  /** Advances over alphanumeric runes; returns the first rune that is not one (EOF at the end). */
  private scanAlphaNumeric(): number {
    const s = this.input;
    for (;;) {
      if (this.pos >= s.length) return EOF;
      const c = s.charCodeAt(this.pos);
      if (c < 128) {
        if (!isAsciiAlphaNumeric(c)) return c;
        this.pos++;
        continue;
      }
      const r = this.runeAt(this.pos);
      if (!isAlphaNumeric(r)) return r;
      this.pos += this.width;
    }
  }

  private lexIdentifier(): boolean {
    const r = this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    this.state = S.Inside;
    const word = this.input.slice(this.start, this.pos);
    const kw = KEYWORDS.get(word);
    if (kw !== undefined) {
      if ((kw === T.Break && !this.breakOK) || (kw === T.Continue && !this.continueOK)) {
        return this.emit(T.Identifier);
      }
      return this.emit(kw);
    }
    if (word === "true" || word === "false") return this.emit(T.Bool);
    return this.emit(T.Identifier);
  }

  private lexFieldOrVariable(typ: T): boolean {
    this.state = S.Inside;
    if (this.atTerminator()) return this.emit(typ === T.Variable ? T.Variable : T.Dot);
    const r = this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    return this.emit(typ);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46:
      case 44:
      case 124:
      case 58:
      case 41:
      case 40:
        return true;
    }
    return r === this.rightDelimFirst;
  }

  private lexQuoted(quote: number, typ: T, unterminated: string): boolean {
    const s = this.input;
    // UTF-16 units, not runes: the quote, backslash and newline are ASCII, never half a pair.
    for (;;) {
      if (this.pos >= s.length) return this.errorf(unterminated);
      let c = s.charCodeAt(this.pos++);
      if (c === 92) {
        if (this.pos >= s.length) return this.errorf(unterminated);
        c = s.charCodeAt(this.pos++);
        if (c !== 10) continue;
        this.line++;
        return this.errorf(unterminated);
      }
      if (c === 10) {
        this.line++;
        return this.errorf(unterminated);
      }
      if (c === quote) break;
    }
    this.state = S.Inside;
    return this.emit(typ);
  }

  private lexRawQuote(): boolean {
    const end = this.input.indexOf("`", this.pos);
    if (end < 0) {
      this.pos = this.input.length;
      return this.errorf("unterminated raw quoted string");
    }
    this.line += this.newlines(this.pos, end + 1);
    this.pos = end + 1;
    this.state = S.Inside;
    return this.emit(T.RawString);
  }

  private lexNumber(): boolean {
    if (!this.scanNumber())
      return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 43 || sign === 45) {
      if (!this.scanNumber() || this.input.charCodeAt(this.pos - 1) !== 105) {
        return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      this.state = S.Inside;
      return this.emit(T.Complex);
    }
    this.state = S.Inside;
    return this.emit(T.Number);
  }

  private scanNumber(): boolean {
    this.accept(SIGNS);
    let digits = DEC_DIGITS;
    if (this.accept(ZERO)) {
      if (this.accept(HEX_PREFIX)) digits = HEX_DIGITS;
      else if (this.accept(OCT_PREFIX)) digits = OCT_DIGITS;
      else if (this.accept(BIN_PREFIX)) digits = BIN_DIGITS;
    }
    this.acceptRun(digits);
    if (this.accept(DOT)) this.acceptRun(digits);
    if (digits === DEC_DIGITS && this.accept(DEC_EXP)) {
      this.accept(SIGNS);
      this.acceptRun(DEC_DIGITS);
    }
    if (digits === HEX_DIGITS && this.accept(HEX_EXP)) {
      this.accept(SIGNS);
      this.acceptRun(DEC_DIGITS);
    }
    this.accept(IMAG);
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

/** Newlines in s[from, to), by a bounded loop (for the rare backward query). */
function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function skipSpaces(s: string, p: number): number {
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  return p;
}
