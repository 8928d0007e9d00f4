/**
 * HCL1 tokens as hashicorp/hcl v1's scanner produces them (the parser Vault reads agent configs
 * with): identifiers (letters, digits, `_`, `-`, `.`), strings with Go escapes and `${…}` kept
 * literally, heredocs (`<<EOF`, `<<-EOF`), integers (decimal, octal `0655`, hex), floats,
 * booleans, `#`/`//`/`/* *\/` comments. Positions are 1-based line:column, columns counted in
 * code points as hcl counts runes. Like hcl, "\r\n" is read as "\n" before scanning.
 *
 * The scanner is pull-based (the parser asks for one token at a time) so that, as in hcl, a
 * syntax error stops at the first problem the parser actually reaches. It walks char codes, with
 * no per-character regexes, so a 1 MB config scans in milliseconds.
 */

export type TokenType =
  | "IDENT"
  | "STRING"
  | "HEREDOC"
  | "NUMBER"
  | "FLOAT"
  | "BOOL"
  | "ASSIGN"
  | "LBRACE"
  | "RBRACE"
  | "LBRACK"
  | "RBRACK"
  | "COMMA"
  | "PERIOD"
  | "ADD"
  | "SUB"
  | "EOF";

export interface Pos {
  line: number;
  column: number;
}

export interface Token {
  type: TokenType;
  text: string;
  pos: Pos;
}

export class HclSyntaxError extends Error {
  constructor(
    readonly pos: Pos,
    readonly detail: string,
  ) {
    super(`${pos.line}:${pos.column}: ${detail}`);
    this.name = "HclSyntaxError";
  }
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const isDecimal = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDecimal(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAsciiLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const UNICODE_LETTER = /^\p{L}$/u;
const UNICODE_DIGIT = /^\p{Nd}$/u;

/** A scanner over one source text; `next()` returns the following token. */
export class Scanner {
  private readonly src: string;
  private i = 0;
  private line = 1;
  private col = 1;
  /**
   * hcl's scanner moves its column on every read past the end, so the EOF token's column grows
   * each time the parser asks again and after tokens that run into the end; kept so error
   * positions at the end of a file match hcl's.
   */
  private eofDrift = 0;

  constructor(text: string) {
    let src = text.includes("\r\n") ? text.replaceAll("\r\n", "\n") : text;
    // A leading byte-order mark is skipped (hcl would reject it; editors on Windows add it).
    if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
    this.src = src;
  }

  private fail(pos: Pos, msg: string): never {
    throw new HclSyntaxError(pos, msg);
  }

  private here(): Pos {
    return { line: this.line, column: this.col };
  }

  /** Consumes one UTF-16 unit, keeping line/column (a surrogate pair counts as one column). */
  private step(): void {
    const c = this.src.charCodeAt(this.i++);
    if (c === LF) {
      this.line++;
      this.col = 1;
    } else if ((c & 0xfc00) !== 0xdc00) this.col++;
  }

  /** Consumes up to (not including) offset `end`. */
  private skipTo(end: number): void {
    while (this.i < end) this.step();
  }

  /** The code point at offset `at` (NaN at the end). */
  private cp(at: number): number {
    return this.src.codePointAt(at) ?? Number.NaN;
  }

  private isLetterAt(at: number): boolean {
    const c = this.src.charCodeAt(at);
    if (c < 0x80) return isAsciiLetter(c);
    if (Number.isNaN(c)) return false;
    return UNICODE_LETTER.test(String.fromCodePoint(this.cp(at)));
  }

  private isDigitAt(at: number): boolean {
    const c = this.src.charCodeAt(at);
    if (c < 0x80) return isDecimal(c);
    if (Number.isNaN(c)) return false;
    return UNICODE_DIGIT.test(String.fromCodePoint(this.cp(at)));
  }

  /** Width in UTF-16 units of the code point at `at`. */
  private width(at: number): number {
    const c = this.src.charCodeAt(at);
    return (c & 0xfc00) === 0xd800 ? 2 : 1;
  }

  next(): Token {
    const s = this.src;
    const n = s.length;
    for (;;) {
      // Whitespace
      while (this.i < n) {
        const c = s.charCodeAt(this.i);
        if (c === SPACE || c === TAB || c === LF || c === CR) this.step();
        else break;
      }
      if (this.i >= n)
        return { type: "EOF", text: "", pos: { line: this.line, column: this.col + this.eofDrift++ } };
      const c = s.charCodeAt(this.i);
      const start = this.i;
      const pos = this.here();
      // Comments
      if (c === 35 /* # */ || (c === 47 /* / */ && s.charCodeAt(this.i + 1) === 47)) {
        const nl = s.indexOf("\n", this.i);
        this.skipTo(nl < 0 ? n : nl);
        this.readsEnd(1);
        continue;
      }
      if (c === 47) {
        if (s.charCodeAt(this.i + 1) !== 42 /* * */) this.fail(pos, "expected '/' for comment");
        const end = s.indexOf("*/", this.i + 2);
        if (end < 0) {
          this.skipTo(n);
          this.fail(this.here(), "comment not terminated");
        }
        this.skipTo(end + 2);
        continue;
      }
      const single = SINGLE[c];
      if (single !== undefined) {
        this.step();
        return { type: single, text: s[start]!, pos };
      }
      if (c === 34 /* " */) {
        this.scanString();
        return { type: "STRING", text: s.slice(start, this.i), pos };
      }
      if (c === 60 /* < */) {
        this.scanHeredoc();
        return { type: "HEREDOC", text: s.slice(start, this.i), pos };
      }
      if (isDecimal(c)) {
        const type = this.scanNumber();
        return { type, text: s.slice(start, this.i), pos };
      }
      if (c === 45 /* - */) {
        this.step();
        if (isDecimal(s.charCodeAt(this.i))) {
          const type = this.scanNumber();
          return { type, text: s.slice(start, this.i), pos };
        }
        return { type: "SUB", text: "-", pos };
      }
      if (c === 46 /* . */) {
        this.step();
        if (!isDecimal(s.charCodeAt(this.i))) return { type: "PERIOD", text: ".", pos };
        this.digits();
        const e = s.charCodeAt(this.i);
        // hcl's scanner mangles an exponent after a leading-dot fraction (".5e3"); reject it.
        if (e === 101 || e === 69) this.fail(this.here(), "illegal floating-point exponent");
        this.readsEnd(1);
        return { type: "FLOAT", text: s.slice(start, this.i), pos };
      }
      if (this.isLetterAt(this.i)) {
        this.i += this.width(this.i);
        this.col++;
        for (;;) {
          const d = s.charCodeAt(this.i);
          if (d === 45 || d === 46 || this.isLetterAt(this.i) || this.isDigitAt(this.i)) {
            this.i += this.width(this.i);
            this.col++;
          } else break;
        }
        this.readsEnd(1);
        const text = s.slice(start, this.i);
        return { type: text === "true" || text === "false" ? "BOOL" : "IDENT", text, pos };
      }
      if (c === 0) this.fail(pos, "unexpected null character (0x00)");
      this.fail(pos, `illegal char ${JSON.stringify(String.fromCodePoint(this.cp(this.i)))}`);
    }
  }

  private digits(): void {
    while (isDecimal(this.src.charCodeAt(this.i))) this.step();
  }

  /** A scan loop of hcl's that stops on end of input reads past it `reads` times. */
  private readsEnd(reads: number): void {
    if (this.i >= this.src.length) this.eofDrift += reads;
  }

  /** Numbers as hcl scans them; the first digit is at the cursor. */
  private scanNumber(): "NUMBER" | "FLOAT" {
    const s = this.src;
    if (s.charCodeAt(this.i) === 48 /* 0 */) {
      const x = s.charCodeAt(this.i + 1);
      if (x === 120 || x === 88) {
        this.step();
        this.step();
        if (!isHex(s.charCodeAt(this.i))) this.fail(this.here(), "illegal hexadecimal number");
        while (isHex(s.charCodeAt(this.i))) this.step();
        this.readsEnd(1);
        return "NUMBER";
      }
    }
    const leadingZero = s.charCodeAt(this.i) === 48;
    const first = this.i;
    this.digits();
    const c = s.charCodeAt(this.i);
    if (c === 101 || c === 69) {
      this.exponent();
      this.readsEnd(1);
      return "FLOAT";
    }
    if (c === 46 /* . */) {
      this.step();
      this.digits();
      const e = s.charCodeAt(this.i);
      if (e === 101 || e === 69) this.exponent();
      this.readsEnd(1);
      return "FLOAT";
    }
    if (leadingZero) {
      for (let k = first + 1; k < this.i; k++) {
        if (s.charCodeAt(k) > 55) this.fail(this.here(), "illegal octal number");
      }
    }
    this.readsEnd(leadingZero ? 1 : 2);
    return "NUMBER";
  }

  private exponent(): void {
    this.step(); // e
    const sign = this.src.charCodeAt(this.i);
    if (sign === 43 || sign === 45) this.step();
    if (!isDecimal(this.src.charCodeAt(this.i))) this.fail(this.here(), "illegal floating-point exponent");
    this.digits();
  }

  /** A quoted string: Go escapes are checked here; inside `${…}` quotes do not end the string. */
  private scanString(): void {
    const s = this.src;
    this.step(); // opening quote
    let braces = 0;
    for (;;) {
      if (this.i >= s.length) this.fail(this.here(), "literal not terminated");
      const c = s.charCodeAt(this.i);
      if (c === LF && braces === 0) this.fail(this.here(), "literal not terminated");
      if (c === 0) this.fail(this.here(), "unexpected null character (0x00)");
      this.step();
      if (c === 34 && braces === 0) return;
      if (braces === 0 && c === 36 /* $ */ && s.charCodeAt(this.i) === 123 /* { */) {
        braces++;
        this.step();
      } else if (braces > 0 && c === 123) braces++;
      else if (braces > 0 && c === 125) braces--;
      if (c === 92 /* \ */) this.scanEscape();
    }
  }

  private scanEscape(): void {
    const s = this.src;
    const c = s.charCodeAt(this.i);
    const bad = (): never => this.fail(this.here(), "illegal char escape");
    if (Number.isNaN(c)) bad();
    const count = (test: (d: number) => boolean, len: number) => {
      for (let k = 0; k < len; k++) {
        if (!test(s.charCodeAt(this.i))) bad();
        this.step();
      }
    };
    switch (c) {
      case 97: // a b f n r t v \ "
      case 98:
      case 102:
      case 110:
      case 114:
      case 116:
      case 118:
      case 92:
      case 34:
        this.step();
        return;
      case 120: // x
        this.step();
        count(isHex, 2);
        return;
      case 117: // u
        this.step();
        count(isHex, 4);
        return;
      case 85: // U
        this.step();
        count(isHex, 8);
        return;
      default:
        if (c >= 48 && c <= 55) count((d) => d >= 48 && d <= 55, 3);
        else bad();
    }
  }

  /**
   * `<<ANCHOR` or `<<-ANCHOR`, a newline, then lines up to one that is the anchor with optional
   * surrounding whitespace — followed by a newline (hcl requires it). hcl quirk kept: with `<<-`
   * the closing line must be longer than the anchor (so it needs some indentation).
   */
  private scanHeredoc(): void {
    const s = this.src;
    this.step(); // <
    if (s.charCodeAt(this.i) !== 60) this.fail(this.here(), "heredoc expected second '<', didn't see it");
    this.step();
    let indented = false;
    if (s.charCodeAt(this.i) === 45) {
      indented = true;
      this.step();
    }
    const anchorStart = this.i;
    while (this.isLetterAt(this.i) || this.isDigitAt(this.i)) {
      this.i += this.width(this.i);
      this.col++;
    }
    const anchor = s.slice(anchorStart, this.i);
    if (this.i >= s.length) this.fail(this.here(), "heredoc not terminated");
    if (s.charCodeAt(this.i) === CR && s.charCodeAt(this.i + 1) === LF) this.step();
    if (s.charCodeAt(this.i) !== LF) this.fail(this.here(), "invalid characters in heredoc anchor");
    if (anchor === "") this.fail(this.here(), "zero-length heredoc anchor");
    this.step(); // newline after the anchor
    let lineStart = this.i;
    for (;;) {
      const nl = s.indexOf("\n", lineStart);
      if (nl < 0) {
        this.skipTo(s.length);
        this.fail(this.here(), "heredoc not terminated");
      }
      if (isClosingLine(s, lineStart, nl, anchor, indented)) {
        this.skipTo(nl + 1);
        return;
      }
      lineStart = nl + 1;
    }
  }
}

const SINGLE: Record<number, TokenType> = {
  61: "ASSIGN",
  123: "LBRACE",
  125: "RBRACE",
  91: "LBRACK",
  93: "RBRACK",
  44: "COMMA",
  43: "ADD",
};

const isSpace = (c: number) => c === SPACE || (c >= 9 && c <= 13);

/** hcl: the line matches ^[[:space:]]*ANCHOR\r*$ and is at least as long as the anchor spec. */
function isClosingLine(s: string, from: number, to: number, anchor: string, indented: boolean): boolean {
  if (to - from < anchor.length) return false;
  let a = from;
  while (a < to && isSpace(s.charCodeAt(a))) a++;
  let b = to;
  while (b > a && s.charCodeAt(b - 1) === CR) b--;
  if (b - a !== anchor.length || !s.startsWith(anchor, a)) return false;
  return !indented || to - from > anchor.length;
}

/** Tokenizes a whole text (tests and tools; the parser pulls tokens one at a time). */
export function tokenize(src: string): Token[] {
  const sc = new Scanner(src);
  const out: Token[] = [];
  for (;;) {
    const t = sc.next();
    out.push(t);
    if (t.type === "EOF") return out;
  }
}

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};

/**
 * Decodes a STRING token's text (quoted, Go escapes; `${…}` kept literally, escapes inside it
 * too). `\x` and octal escapes are bytes, as in Go: runs of them are decoded as UTF-8, invalid
 * sequences becoming U+FFFD (what hcl's output shows once encoded as JSON).
 */
export function unquote(text: string, pos: Pos): string {
  const body = text.slice(1, -1);
  if (!body.includes("\\") && !body.includes("$")) return body;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) {
      out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes = [];
    }
  };
  const bad = (): never => {
    throw new HclSyntaxError(pos, "illegal char escape");
  };
  let k = 0;
  while (k < body.length) {
    const ch = body[k]!;
    if (ch === "$" && body[k + 1] === "{") {
      flush();
      let braces = 1;
      let j = k + 2;
      while (j < body.length && braces > 0) {
        const d = body[j]!;
        if (d === "{") braces++;
        else if (d === "}") braces--;
        j++;
      }
      if (braces !== 0) bad();
      out += body.slice(k, j);
      k = j;
      continue;
    }
    if (ch !== "\\") {
      flush();
      out += ch;
      k++;
      continue;
    }
    const e = body[k + 1];
    if (e === undefined) bad();
    const simple = ESCAPES[e!];
    if (simple !== undefined) {
      flush();
      out += simple;
      k += 2;
      continue;
    }
    if (e === "x" || (e! >= "0" && e! <= "7")) {
      const hex = e === "x";
      const digits = body.slice(k + (hex ? 2 : 1), k + (hex ? 4 : 4));
      const v = Number.parseInt(digits, hex ? 16 : 8);
      if (digits.length !== (hex ? 2 : 3) || Number.isNaN(v) || v > 255) bad();
      bytes.push(v);
      k += hex ? 4 : 4;
      continue;
    }
    if (e === "u" || e === "U") {
      const len = e === "u" ? 4 : 8;
      const digits = body.slice(k + 2, k + 2 + len);
      if (digits.length !== len || !/^[0-9a-fA-F]+$/.test(digits)) bad();
      const v = Number.parseInt(digits, 16);
      flush();
      out += v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(v);
      k += 2 + len;
      continue;
    }
    bad();
  }
  flush();
  return out;
}

/** A heredoc token's value, as hcl computes it (`<<-` removes the closing line's indentation). */
export function heredocValue(text: string): string {
  const nl = text.indexOf("\n");
  const indented = text.charCodeAt(2) === 45;
  const anchorLen = nl - (indented ? 3 : 2);
  // The body runs to just before the anchor and its newline; for `<<-` it ends with the closing
  // line's indentation, which is the prefix every line must share to be unindented.
  const body = text.slice(nl + 1, text.length - anchorLen - 1);
  if (!indented) return body;
  const lines = body.split("\n");
  const prefix = lines[lines.length - 1]!;
  if (lines.every((l) => l.startsWith(prefix))) {
    return lines.map((l, idx) => (idx === lines.length - 1 ? "" : l.slice(prefix.length))).join("\n");
  }
  return text.slice(nl + 1, text.length - anchorLen - 2).replace(/[ \t]+$/, "");
}
