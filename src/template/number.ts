/**
 * Number literals of Go's text/template (parse.NumberNode's value fields): which Go kinds a
 * literal can be (int, uint, float, complex) and its value in each. The parser shares one
 * NumberInfo between all literals with the same text.
 */
import { underscoreOK } from "./funcs/strconv.ts";
import { T } from "./lex.ts";
import { quoteGo, unquoteChar } from "./quote.ts";

export interface NumberInfo {
  /** The token type it was lexed as (Number, CharConstant or Complex). */
  typ: T;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: [number, number];
  /** The executor's cached value of the constant (set on first use). */
  ideal: bigint | number | undefined;
}

/** A literal the parser rejects; the message is the parse error Go reports. */
export class NumberError extends Error {}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseInt/ParseUint with base 0 (Go literal syntax); null on any failure. */
const DECIMAL_DIGITS = /^[0-9]+$/;

function parseGoInteger(text: string): bigint | null {
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (s.length > 1 && s[0] === "0") {
    const p = s[1].toLowerCase();
    if (p === "x" || p === "o" || p === "b") {
      base = p === "x" ? 16 : p === "o" ? 8 : 2;
      s = s.slice(2);
      prefixed = true;
    } else {
      base = 8;
      s = s.slice(1);
      prefixed = true;
    }
  }
  if (s.includes("_")) {
    // Underscores only between digits, or after a base prefix.
    if (!/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(s) || (s[0] === "_" && !prefixed)) return null;
    s = s.replaceAll("_", "");
  }
  if (s === "") return null;
  // Short decimal literals (the usual case) are exact as doubles: skip the per-digit BigInt loop.
  if (base === 10 && s.length <= 15 && DECIMAL_DIGITS.test(s)) {
    const small = BigInt(Number(s));
    return neg ? -small : small;
  }
  const digits = "0123456789abcdef".slice(0, base);
  let v = 0n;
  const b = BigInt(base);
  for (const c of s.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) return null;
    v = v * b + BigInt(d);
  }
  return neg ? -v : v;
}

/** strconv.ParseFloat(s, 64) for template literals (decimal and hex floats, underscores). */
function parseGoFloat(text: string): number | null {
  const v = goParseFloat(text);
  return typeof v === "number" ? v : null;
}

/**
 * strconv.ParseFloat(text, 64): the value, or which of its errors it returns ("syntax" for
 * ErrSyntax; "range" for ErrRange, a finite literal too large for a float64).
 */
function goParseFloat(text: string): number | "syntax" | "range" {
  // strconv: underscores only as digit separators ("1__0", "1_" are syntax errors).
  if (text.includes("_") && !underscoreOK(text)) return "syntax";
  let s = text.replaceAll("_", "");
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  let v: number;
  if (/^0[xX]/.test(s)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
    if (!m || (m[1] === "" && !m[2])) return "syntax";
    const frac = m[2] ?? "";
    v = ldexp(Number.parseInt(m[1] + frac || "0", 16), Number(m[3]) - 4 * frac.length);
  } else {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return "syntax";
    v = Number(s);
  }
  return Number.isFinite(v) ? sign * v : "range";
}

/**
 * m × 2^e (math.Ldexp) for an integer m ≥ 0: 2^e alone leaves the float64 range long before
 * the product does (0x1p-1074 is 1 × 2^-1074; 0x10p-1078 must not be 16 × 0).
 */
function ldexp(m: number, e: number): number {
  if (m === 0) return 0;
  while (e > 1023 && Number.isFinite(m)) {
    m *= 2 ** 1023;
    e -= 1023;
  }
  // m ≥ 1, so one step down stays a normal float (exact); only the last step can round.
  while (e < -1022 && m !== 0) {
    m *= 2 ** -1022;
    e += 1022;
  }
  return m * 2 ** e;
}

/**
 * fmt.Sscan(text, &complex128), which Go's parser uses for a complex literal (1+2i): the pair, or
 * a NumberError with fmt's or strconv's message. Reads the text as fmt's scanner does
 * (complexTokens, floatToken, convertFloat), so a malformed pair fails the way it does in Go.
 */
function sscanComplex(text: string): [number, number] {
  let i = 0;
  let buf = "";
  const accept = (chars: string): boolean => {
    if (i < text.length && chars.includes(text[i])) {
      buf += text[i++];
      return true;
    }
    return false;
  };
  const floatToken = (): string => {
    buf = "";
    if (accept("nN") && accept("aA") && accept("nN")) return buf;
    accept("+-");
    if (accept("iI") && accept("nN") && accept("fF")) return buf;
    let digits = "0123456789_";
    let exp = "eEpP";
    if (accept("0") && accept("xX")) {
      digits = "0123456789aAbBcCdDeEfF_";
      exp = "pP";
    }
    while (accept(digits));
    if (accept(".")) while (accept(digits));
    if (accept(exp)) {
      accept("+-");
      while (accept("0123456789_"));
    }
    return buf;
  };
  const syntax = "syntax error scanning complex number";
  const parens = accept("(");
  const real = floatToken();
  buf = "";
  if (!accept("+-")) throw new NumberError(syntax);
  const imagSign = buf;
  const imag = imagSign + floatToken();
  if (!accept("i") || (parens && !accept(")"))) throw new NumberError(syntax);
  const convert = (str: string): number => {
    const v = goParseFloat(str);
    if (typeof v === "number") return v;
    const why = v === "range" ? "value out of range" : "invalid syntax";
    throw new NumberError(`strconv.ParseFloat: parsing ${quoteGo(str)}: ${why}`);
  };
  return [convert(real), convert(imag)];
}

/** Shared by every non-complex literal (never mutated; complex literals get their own pair). */
const NO_COMPLEX: [number, number] = [0, 0];

/** A plain decimal literal without a leading zero, short enough to be exact as a double. */
function isSmallDecimal(text: string): boolean {
  const len = text.length;
  if (len === 0 || len > 15) return false;
  const first = text.charCodeAt(0);
  if (first < 49 || first > 57) return len === 1 && first === 48;
  for (let i = 1; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseNumber(typ: T, text: string): NumberInfo {
  if (typ === T.Number && isSmallDecimal(text)) {
    // The usual literal (42, 0, 1000): every kind fits, no regex or BigInt parsing needed.
    const f = Number(text);
    const b = BigInt(f);
    return {
      typ,
      text,
      isInt: true,
      isUint: true,
      isFloat: true,
      isComplex: false,
      int64: b,
      uint64: b,
      float64: f,
      complex: NO_COMPLEX,
      ideal: undefined,
    };
  }
  const n: NumberInfo = {
    typ,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: NO_COMPLEX,
    ideal: undefined,
  };
  if (typ === T.CharConstant) {
    const q = text.charCodeAt(0);
    const [r, , next] = unquoteChar(text, 1, q);
    if (next !== text.length - 1 || text.charCodeAt(next) !== 39) {
      throw new NumberError(`malformed character constant: ${text}`);
    }
    n.isInt = n.isUint = n.isFloat = true;
    n.int64 = n.uint64 = BigInt(r);
    n.float64 = r;
    return n;
  }
  if (typ === T.Complex) {
    n.isComplex = true;
    n.complex = sscanComplex(text);
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith("i")) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const iv = parseGoInteger(text);
  if (iv !== null) {
    if (iv >= 0n && iv <= MAX_UINT64 && text[0] !== "-" && text[0] !== "+") {
      n.isUint = true;
      n.uint64 = iv;
    }
    if (iv >= MIN_INT64 && iv <= MAX_INT64) {
      n.isInt = true;
      n.int64 = iv;
      if (iv === 0n) {
        n.isUint = true;
        n.uint64 = 0n;
      }
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) throw new NumberError(`integer overflow: ${quoteGo(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f)) {
        const b = BigInt(f);
        if (b >= MIN_INT64 && b <= MAX_INT64) {
          n.isInt = true;
          n.int64 = b;
        }
        if (b >= 0n && b <= MAX_UINT64) {
          n.isUint = true;
          n.uint64 = b;
        }
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new NumberError(`illegal number syntax: ${quoteGo(text)}`);
  return n;
}

function simplifyComplex(n: NumberInfo): void {
  if (n.complex[1] === 0) {
    n.isFloat = true;
    n.float64 = n.complex[0];
    if (Number.isInteger(n.float64)) {
      const b = BigInt(n.float64);
      if (b >= MIN_INT64 && b <= MAX_INT64) {
        n.isInt = true;
        n.int64 = b;
      }
      if (b >= 0n && b <= MAX_UINT64) {
        n.isUint = true;
        n.uint64 = b;
      }
    }
  }
}

/** The ints 0–1023, made once: templates produce and print small ints the most. */
const SMALL_INTS: bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** A Go int of the non-negative integer n (shared for small ones instead of made each time). */
export function goInt(n: number): bigint {
  return n < SMALL_INTS.length ? SMALL_INTS[n] : BigInt(n);
}
