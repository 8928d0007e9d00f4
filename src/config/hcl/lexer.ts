/**
 * HCL1 tokens as hashicorp/hcl v1's scanner produces them (the parser Vault reads agent configs
 * with): identifiers (letters, digits, `_`, `-`, `.`), strings with Go escapes and `${…}` kept
 * literally, heredocs (`<<EOF`, `<<-EOF`), integers (decimal, octal `0655`, hex), floats,
 * booleans, `#`/`//`/`/* *\/` comments. Positions are 1-based line:column (characters).
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

const isLetter = (c: string) => /[\p{L}_]/u.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";
const isIdentChar = (c: string) => isLetter(c) || isDigit(c) || c === "-" || c === ".";

export function tokenize(src: string): Token[] {
  const chars = Array.from(src); // code points, so columns count characters
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const peek = (o = 0) => chars[i + o] ?? "";
  const advance = () => {
    const c = chars[i++]!;
    if (c === "\n") {
      line++;
      col = 1;
    } else col++;
    return c;
  };
  const fail = (pos: Pos, msg: string): never => {
    throw new HclSyntaxError(pos, msg);
  };

  while (i < chars.length) {
    const c = peek();
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\uFEFF") {
      advance();
      continue;
    }
    const pos = { line, column: col };
    if (c === "#" || (c === "/" && peek(1) === "/")) {
      while (i < chars.length && peek() !== "\n") advance();
      continue;
    }
    if (c === "/" && peek(1) === "*") {
      advance();
      advance();
      while (!(peek() === "*" && peek(1) === "/")) {
        if (i >= chars.length) fail(pos, "comment not terminated");
        advance();
      }
      advance();
      advance();
      continue;
    }
    const single: Record<string, TokenType> = {
      "=": "ASSIGN",
      "{": "LBRACE",
      "}": "RBRACE",
      "[": "LBRACK",
      "]": "RBRACK",
      ",": "COMMA",
    };
    if (single[c]) {
      advance();
      out.push({ type: single[c]!, text: c, pos });
      continue;
    }
    if (c === '"') {
      out.push({ type: "STRING", text: scanString(), pos });
      continue;
    }
    if (c === "<" && peek(1) === "<") {
      out.push({ type: "HEREDOC", text: scanHeredoc(pos), pos });
      continue;
    }
    if (isDigit(c) || ((c === "-" || c === "+") && isDigit(peek(1)))) {
      const start = i;
      advance();
      let isFloat = false;
      if (c === "0" && (peek() === "x" || peek() === "X")) {
        advance();
        while (/[0-9a-fA-F]/.test(peek())) advance();
      } else {
        while (isDigit(peek())) advance();
        if (peek() === "." && isDigit(peek(1))) {
          isFloat = true;
          advance();
          while (isDigit(peek())) advance();
        }
        if (peek() === "e" || peek() === "E") {
          isFloat = true;
          advance();
          if (peek() === "+" || peek() === "-") advance();
          if (!isDigit(peek())) fail({ line, column: col }, "illegal floating-point exponent");
          while (isDigit(peek())) advance();
        }
      }
      const text = chars.slice(start, i).join("");
      out.push({ type: isFloat ? "FLOAT" : "NUMBER", text, pos });
      continue;
    }
    if (isLetter(c)) {
      const start = i;
      while (i < chars.length && isIdentChar(peek())) advance();
      const text = chars.slice(start, i).join("");
      out.push({ type: text === "true" || text === "false" ? "BOOL" : "IDENT", text, pos });
      continue;
    }
    if (c === ".") {
      advance();
      out.push({ type: "PERIOD", text: ".", pos });
      continue;
    }
    fail(pos, `illegal char ${JSON.stringify(c)}`);
  }
  out.push({ type: "EOF", text: "", pos: { line, column: col } });
  return out;

  function scanString(): string {
    const start = i;
    const pos = { line, column: col };
    advance(); // opening quote
    let braces = 0;
    for (;;) {
      if (i >= chars.length) fail(pos, "literal not terminated");
      const ch = advance();
      if (ch === "\n" && braces === 0) fail(pos, "literal not terminated");
      if (ch === '"' && braces === 0) break;
      if (ch === "\\") {
        if (i >= chars.length) fail(pos, "literal not terminated");
        advance();
        continue;
      }
      if (ch === "$" && peek() === "{") {
        advance();
        braces++;
        continue;
      }
      if (ch === "}" && braces > 0) braces--;
    }
    return chars.slice(start, i).join("");
  }

  function scanHeredoc(pos: Pos): string {
    const start = i;
    advance();
    advance();
    if (peek() === "-") advance();
    const anchorStart = i;
    while (i < chars.length && isIdentChar(peek())) advance();
    const anchor = chars.slice(anchorStart, i).join("");
    if (anchor === "") fail(pos, "zero-length heredoc anchor");
    if (peek() === "\r") advance();
    if (peek() !== "\n") fail(pos, "invalid characters in heredoc anchor");
    advance();
    // Read lines until one whose trimmed content is the anchor.
    for (;;) {
      if (i >= chars.length) fail(pos, "heredoc not terminated");
      let lineEnd = i;
      while (lineEnd < chars.length && chars[lineEnd] !== "\n") lineEnd++;
      const lineText = chars.slice(i, lineEnd).join("").replace(/\r$/, "");
      const isEnd = lineText.trim() === anchor;
      while (i < lineEnd) advance();
      if (isEnd) break;
      if (i >= chars.length) fail(pos, "heredoc not terminated");
      advance(); // newline
    }
    return chars.slice(start, i).join("");
  }
}

/** Decodes a STRING token's text (quoted, Go escapes; `${…}` kept literally). */
export function unquote(text: string, pos: Pos): string {
  const body = text.slice(1, -1);
  let out = "";
  let braces = 0;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    if (ch === "$" && body[k + 1] === "{") {
      braces++;
      out += "${";
      k++;
      continue;
    }
    if (braces > 0) {
      if (ch === "}") braces--;
      out += ch;
      continue;
    }
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const n = body[++k];
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
        out += "\\";
        break;
      case '"':
        out += '"';
        break;
      case "'":
        out += "'";
        break;
      case "x": {
        const hex = body.slice(k + 1, k + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new HclSyntaxError(pos, "invalid escape sequence");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        k += 2;
        break;
      }
      case "u":
      case "U": {
        const len = n === "u" ? 4 : 8;
        const hex = body.slice(k + 1, k + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new HclSyntaxError(pos, "invalid escape sequence");
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        k += len;
        break;
      }
      default:
        if (n !== undefined && n >= "0" && n <= "7") {
          const oct = body.slice(k, k + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new HclSyntaxError(pos, "invalid escape sequence");
          out += String.fromCharCode(Number.parseInt(oct, 8));
          k += 2;
          break;
        }
        throw new HclSyntaxError(pos, "invalid escape sequence");
    }
  }
  return out;
}

/** A heredoc token's value: the body lines; `<<-` strips the closing marker line's indentation. */
export function heredocValue(text: string): string {
  const nl = text.indexOf("\n");
  const header = text.slice(0, nl);
  const indented = header.startsWith("<<-");
  const lines = text.slice(nl + 1).split("\n");
  const last = lines.pop() ?? "";
  if (lines.length === 0) return "";
  if (!indented) return `${lines.join("\n")}\n`;
  const indent = /^[ \t]*/.exec(last)![0];
  if (lines.every((l) => l.startsWith(indent) || l.trim() === "")) {
    return `${lines.map((l) => l.slice(Math.min(indent.length, l.length))).join("\n")}\n`;
  }
  return `${lines.join("\n")}\n`;
}
