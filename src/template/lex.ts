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

const KEYWORDS: Record<string, T> = {
  ".": T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

export interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

const EOF = -1;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

export function isAlphaNumeric(r: number): boolean {
  if (r < 128) {
    return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  }
  return r !== EOF && LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.charCodeAt(at) === 45 && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 45;
}

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

export class Lexer {
  private pos = 0;
  private start = 0;
  private width = 0;
  private line = 1;
  private startLine = 1;
  private parenDepth = 0;
  private state = S.Text;
  private readonly rightDelimFirst: number;
  breakOK = true;
  continueOK = true;

  constructor(
    private readonly input: string,
    private readonly leftDelim: string,
    private readonly rightDelim: string,
  ) {
    this.rightDelimFirst = rightDelim.codePointAt(0) ?? EOF;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    if (r === 10) this.line++;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
    if (this.width === 1 && this.input.charCodeAt(this.pos) === 10) this.line--;
  }

  private emit(typ: T): Item {
    const it: Item = {
      typ,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    };
    this.start = this.pos;
    this.startLine = this.line;
    return it;
  }

  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private errorf(msg: string): Item {
    this.state = S.Done;
    return { typ: T.Error, pos: this.start, val: msg, line: this.startLine };
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r >= 0 && r < 128 && valid.includes(String.fromCharCode(r))) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r < 0 || r >= 128 || !valid.includes(String.fromCharCode(r))) break;
    }
    this.backup();
  }

  /** The next token; after EOF or an error, EOF forever. */
  nextItem(): Item {
    for (;;) {
      const it = this.step();
      if (it) return it;
    }
  }

  private step(): Item | null {
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
        return { typ: T.EOF, pos: this.pos, val: "", line: this.line };
    }
  }

  private lexText(): Item | null {
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
      let ret: Item | null = null;
      if (this.pos > this.start) {
        this.line += countNewlines(this.input, this.start, this.pos);
        ret = this.emit(T.Text);
      }
      this.pos += trim;
      this.ignore();
      this.state = S.LeftDelim;
      return ret;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input, this.start, this.pos);
      return this.emit(T.Text);
    }
    this.state = S.Done;
    return this.emit(T.EOF);
  }

  /** 0: not at the right delimiter; 1: at it; 2: at it, after a trim marker " -". */
  private atRightDelim(): number {
    const s = this.input;
    if (hasRightTrimMarker(s, this.pos) && s.startsWith(this.rightDelim, this.pos + 2)) return 2;
    if (s.startsWith(this.rightDelim, this.pos)) return 1;
    return 0;
  }

  private lexLeftDelim(): Item | null {
    this.pos += this.leftDelim.length;
    const trim = hasLeftTrimMarker(this.input, this.pos);
    const after = trim ? 2 : 0;
    if (this.input.startsWith("/*", this.pos + after)) {
      this.pos += after;
      this.ignore();
      this.state = S.Comment;
      return null;
    }
    const ret = this.emit(T.LeftDelim);
    this.pos += after;
    this.ignore();
    this.parenDepth = 0;
    this.state = S.Inside;
    return ret;
  }

  private lexComment(): Item | null {
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
    return null;
  }

  private lexRightDelim(): Item | null {
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

  private lexInsideAction(): Item | null {
    if (this.atRightDelim() !== 0) {
      if (this.parenDepth === 0) {
        this.state = S.RightDelim;
        return null;
      }
      return this.errorf("unclosed left paren");
    }
    const r = this.next();
    if (r === EOF) return this.errorf("unclosed action");
    if (isSpace(r)) {
      this.backup();
      this.state = S.Space;
      return null;
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
        return null;
      case 96:
        this.state = S.RawQuote;
        return null;
      case 36:
        this.state = S.Variable;
        return null;
      case 39:
        this.state = S.Char;
        return null;
      case 40:
        this.parenDepth++;
        return this.emit(T.LeftParen);
      case 41: {
        const it = this.emit(T.RightParen);
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf(`unexpected right paren ${formatRuneU(r)}`);
        return it;
      }
    }
    if (r === 46) {
      // ".field" unless a digit follows ('.5' is a number).
      if (this.pos < this.input.length) {
        const c = this.input.charCodeAt(this.pos);
        if (c < 48 || c > 57) {
          this.state = S.Field;
          return null;
        }
      }
      this.backup();
      this.state = S.Number;
      return null;
    }
    if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
      this.backup();
      this.state = S.Number;
      return null;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      this.state = S.Identifier;
      return null;
    }
    if (r < 128 && isPrintRune(r)) return this.emit(T.Char);
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  private lexSpace(): Item | null {
    let n = 0;
    while (isSpace(this.peek())) {
      this.next();
      n++;
    }
    // A space may belong to a trim-marked right delimiter " -}}".
    if (
      hasRightTrimMarker(this.input, this.pos - 1) &&
      this.input.startsWith(this.rightDelim, this.pos + 1)
    ) {
      this.backup();
      if (n === 1) {
        this.state = S.RightDelim;
        return null;
      }
    }
    this.state = S.Inside;
    return this.emit(T.Space);
  }

  private lexIdentifier(): Item | null {
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) break;
    }
    this.backup();
    const word = this.input.slice(this.start, this.pos);
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    this.state = S.Inside;
    const kw = KEYWORDS[word];
    if (kw !== undefined && Object.hasOwn(KEYWORDS, word)) {
      if ((kw === T.Break && !this.breakOK) || (kw === T.Continue && !this.continueOK)) {
        return this.emit(T.Identifier);
      }
      return this.emit(kw);
    }
    if (word === "true" || word === "false") return this.emit(T.Bool);
    return this.emit(T.Identifier);
  }

  private lexFieldOrVariable(typ: T): Item | null {
    this.state = S.Inside;
    if (this.atTerminator()) return this.emit(typ === T.Variable ? T.Variable : T.Dot);
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
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

  private lexQuoted(quote: number, typ: T, unterminated: string): Item | null {
    for (;;) {
      let r = this.next();
      if (r === 92) {
        r = this.next();
        if (r !== EOF && r !== 10) continue;
        return this.errorf(unterminated);
      }
      if (r === EOF || r === 10) return this.errorf(unterminated);
      if (r === quote) break;
    }
    this.state = S.Inside;
    return this.emit(typ);
  }

  private lexRawQuote(): Item | null {
    const end = this.input.indexOf("`", this.pos);
    if (end < 0) {
      this.pos = this.input.length;
      return this.errorf("unterminated raw quoted string");
    }
    this.line += countNewlines(this.input, this.pos, end + 1);
    this.pos = end + 1;
    this.state = S.Inside;
    return this.emit(T.RawString);
  }

  private lexNumber(): Item | null {
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
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function skipSpaces(s: string, p: number): number {
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  return p;
}
