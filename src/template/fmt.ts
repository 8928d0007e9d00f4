/**
 * Go's fmt package for template values: Sprint, Sprintln, Sprintf with every verb and flag the
 * templates can reach, including the in-band error forms (%!d(string=x), %!s(MISSING),
 * %!(EXTRA …)), which are output text in Go, not exceptions.
 */
import { JsonNumber } from "../common/json.ts";
import { floatOf, intOf, K, kindOf, SIZED_TYPES, sortedKeys, stringOf, typeName } from "./gotype.ts";
import { canonicalGoString, decodeGoBytes, encodeGoString } from "./bytes.ts";
import { canBackquote, isPrintRune, quoteGo, quoteRune } from "./quote.ts";
import {
  elemTypeOf,
  GoChan,
  GoComplex,
  type GoFunc,
  GoNil,
  GoStruct,
  GoTime,
  GoTyped,
  goMapKey,
  structFields,
} from "./value.ts";

const LDIGITS = "0123456789abcdefx";
const UDIGITS = "0123456789ABCDEFX";
const MASK64 = (1n << 64n) - 1n;

class Printer {
  buf = "";
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  widPresent = false;
  precPresent = false;
  erroring = false;
  /** The top-level argument (Go's p.arg) or, inside composites, undefined. */
  arg: unknown = undefined;
  argSet = false;

  clearFlags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }

  private padding(n: number, zero: boolean): string {
    return n > 0 ? (zero ? "0" : " ").repeat(n) : "";
  }

  /**
   * Pads to the width, counted in runes: with zeros on the left under the 0 flag, whatever the
   * value (Go 1.26 still pads "%05s" of "ab" as 000ab), unless the caller rules zeros out.
   */
  pad(s: string, zeroOK = true): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const n = this.wid - runeCount(s);
    if (n <= 0) {
      this.buf += s;
      return;
    }
    if (this.minus) this.buf += s + this.padding(n, false);
    else this.buf += this.padding(n, this.zero && zeroOK) + s;
  }

  truncate(s: string): string {
    if (this.precPresent) {
      const runes = [...s];
      if (runes.length > this.prec) return runes.slice(0, this.prec).join("");
    }
    return s;
  }

  badVerb(verb: string, value: unknown, top: boolean): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (value === undefined || (value === null && top)) this.buf += "<nil>";
    else {
      this.buf += typeName(value);
      this.buf += "=";
      this.printValue(value, "v", top ? 0 : 1);
    }
    this.buf += ")";
    this.erroring = false;
  }

  fmtString(s: string, verb: string, value: unknown, top: boolean): void {
    // Width and precision count runes: read escaped bytes in their one canonical form.
    if (!s.isWellFormed()) s = canonicalGoString(s);
    switch (verb) {
      case "v":
        if (this.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case "s":
        this.pad(this.truncate(s));
        return;
      case "x":
      case "X":
        this.fmtSx(s, verb === "x" ? LDIGITS : UDIGITS);
        return;
      case "q":
        this.fmtQ(s);
        return;
    }
    this.badVerb(verb, value, top);
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(quoteGo(s, this.plus));
  }

  fmtSx(s: string | Uint8Array, digits: string): void {
    const b = typeof s === "string" ? encodeGoString(s) : s;
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.buf += this.padding(this.wid, this.zero && !this.minus);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus)
      this.buf += this.padding(this.wid - width, this.zero);
    let out = this.sharp ? `0${digits[16]}` : "";
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += " ";
        if (this.sharp) out += `0${digits[16]}`;
      }
      out += digits[b[i] >> 4] + digits[b[i] & 15];
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.buf += this.padding(this.wid - width, false);
  }

  fmtInteger(v: bigint, signed: boolean, verb: string, value: unknown, top: boolean): void {
    switch (verb) {
      case "v":
        if (this.sharpV && !signed) this.fmtIntegerBase(v, 16, signed, "v", LDIGITS, true);
        else this.fmtIntegerBase(v, 10, signed, verb, LDIGITS);
        return;
      case "d":
        return this.fmtIntegerBase(v, 10, signed, verb, LDIGITS);
      case "b":
        return this.fmtIntegerBase(v, 2, signed, verb, LDIGITS);
      case "o":
      case "O":
        return this.fmtIntegerBase(v, 8, signed, verb, LDIGITS);
      case "x":
        return this.fmtIntegerBase(v, 16, signed, verb, LDIGITS);
      case "X":
        return this.fmtIntegerBase(v, 16, signed, verb, UDIGITS);
      case "c":
        this.pad(String.fromCodePoint(validRune(v)));
        return;
      case "q":
        this.pad(quoteRune(validRune(v), this.plus));
        return;
      case "U": {
        const r = Number(v & MASK64);
        // At least four hex digits; a larger precision asks for more.
        let s = `U+${(v & MASK64)
          .toString(16)
          .toUpperCase()
          .padStart(this.precPresent && this.prec > 4 ? this.prec : 4, "0")}`;
        if (this.sharp && r <= 0x10ffff && isPrintRune(r)) s += ` '${String.fromCodePoint(r)}'`;
        const oldZero = this.zero;
        this.zero = false;
        this.pad(s);
        this.zero = oldZero;
        return;
      }
    }
    this.badVerb(verb, value, top);
  }

  fmtIntegerBase(
    v: bigint,
    base: number,
    signed: boolean,
    verb: string,
    digits: string,
    force0x = false,
  ): void {
    const negative = signed && v < 0n;
    let u = negative ? -v : v;
    if (!signed) u &= MASK64;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        this.buf += this.padding(this.widPresent ? this.wid : 0, false);
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.sharp || force0x) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8) {
        if (s[0] !== "0") s = `0${s}`;
      } else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === "O") s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    // The 0 flag was the precision above, or is ignored beside an explicit one: spaces here.
    this.pad(s, false);
  }

  fmtFloat(v: number, size: number, verb: string, value: unknown, top: boolean): void {
    switch (verb) {
      case "v":
        return this.fmtFloatVerb(v, size, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return this.fmtFloatVerb(v, size, this.sharpV ? "g" : verb, -1);
      case "f":
      case "e":
      case "E":
      case "F":
        return this.fmtFloatVerb(v, size, verb, 6);
    }
    this.badVerb(verb, value, top);
  }

  fmtFloatVerb(v: number, size: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    const num = formatFloat(v, verb, prec, size);
    let sign = "+";
    let body = num;
    if (num[0] === "-" || num[0] === "+") {
      sign = num[0];
      body = num.slice(1);
    }
    if (this.space && sign === "+" && !this.plus) sign = " ";
    if (body[0] === "I" || body[0] === "N") {
      // Infinities and NaN are never zero-padded; NaN shows a sign only when asked for one.
      const oldZero = this.zero;
      this.zero = false;
      this.pad(body[0] === "N" && !this.space && !this.plus ? body : sign + body);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== "b") body = keepPointAndZeros(body, verb, prec);
    if (this.plus || sign !== "+") {
      const len = body.length + 1;
      if (this.zero && this.widPresent && this.wid > len) {
        // Zero padding goes between the sign and the digits.
        this.buf += sign + "0".repeat(this.wid - len) + body;
        return;
      }
      this.pad(sign + body);
      return;
    }
    this.pad(body, true);
  }

  fmtBool(b: boolean, verb: string, value: unknown, top: boolean): void {
    if (verb === "t" || verb === "v") this.pad(b ? "true" : "false");
    else this.badVerb(verb, value, top);
  }

  fmtComplex(c: GoComplex, verb: string, value: unknown, top: boolean): void {
    if (!"vbgGxXfFeE".includes(verb)) {
      this.badVerb(verb, value, top);
      return;
    }
    const oldPlus = this.plus;
    this.buf += "(";
    this.fmtFloat(c.re, 64, verb, c.re, false);
    this.plus = true;
    this.fmtFloat(c.im, 64, verb, c.im, false);
    this.buf += "i)";
    this.plus = oldPlus;
  }

  /** printArg: the top level of one operand. */
  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, null, true);
      return;
    }
    if (verb === "T") {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    if (verb === "p") {
      // Go's fmtPointer prints a pointer-like value's address: 0x0 for a nil one (an address of a
      // live value no two runs share, so there is nothing to match), anything else as a bad verb.
      if (arg instanceof GoNil) {
        const sharp = this.sharp;
        this.sharp = !sharp;
        this.fmtInteger(0n, false, "x", arg, true);
        this.sharp = sharp;
      } else this.badVerb(verb, arg, true);
      return;
    }
    // %w outside Errorf: Go's handleMethods rejects the whole operand, but the basic types it
    // formats without reflection (bool, numbers, string) reject it verb by verb instead.
    if (verb === "w" && !isBasicArg(arg)) {
      this.badVerb(verb, arg, true);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  printValue(v: unknown, verb: string, depth: number): void {
    const top = depth === 0;
    switch (kindOf(v)) {
      case K.Invalid:
        if (top) this.buf += "<invalid reflect.Value>";
        else if (verb === "v") this.buf += "<nil>";
        else this.badVerb(verb, undefined, false);
        return;
      case K.Nil:
        if (this.sharpV) this.buf += "interface {}(nil)";
        else this.pad("<nil>");
        return;
      case K.Bool:
        return this.fmtBool(v instanceof GoTyped ? Boolean(v.value) : (v as boolean), verb, v, top);
      case K.Int:
        return this.fmtInteger(intOf(v), true, verb, v, top);
      case K.Uint:
        return this.fmtInteger(intOf(v), false, verb, v, top);
      case K.Float:
        return this.fmtFloat(
          floatOf(v),
          v instanceof GoTyped && v.type === "float32" ? 32 : 64,
          verb,
          v,
          top,
        );
      case K.Complex:
        return this.fmtComplex(v as GoComplex, verb, v, top);
      case K.String:
        return this.fmtString(stringOf(v), verb, v, top);
      case K.Map:
        return this.printMap(v as Record<string, unknown> | GoNil, verb, depth);
      case K.Slice:
        if ((verb === "s" || verb === "q" || verb === "x" || verb === "X") && isByteSlice(v)) {
          return this.fmtBytes(byteSliceBytes(v as unknown[] | GoNil), verb);
        }
        return this.printSlice(v as unknown[] | GoNil, verb, depth);
      case K.Struct:
        return this.printStruct(v as GoStruct, verb, depth);
      case K.Ptr:
        if (v instanceof GoNil) {
          this.fmtNilPointer(v, verb, top);
          return;
        }
        if (this.printStringer(v as GoStruct, verb, top)) return;
        if (top) {
          this.buf += "&";
          this.printStruct(v as GoStruct, verb, depth + 1);
        } else if (this.sharpV) this.buf += `(${typeName(v)})(${FAKE_ADDRESS})`;
        else this.pad(FAKE_ADDRESS);
        return;
      case K.Chan:
      case K.Func:
        if (v instanceof GoNil) this.fmtNilPointer(v, verb, top);
        else if (verb === "v" || verb === "p")
          this.pad(this.sharpV ? `(${typeName(v)})(${FAKE_CHAN_ADDRESS})` : FAKE_CHAN_ADDRESS);
        else this.badVerb(verb, v, top);
        return;
      default:
        this.pad(String(v));
    }
  }

  /**
   * fmtPointer for a nil pointer, chan or func: <nil> for %v, its address (0) as an integer for
   * %b %o %d %x %X, a bad verb otherwise.
   */
  private fmtNilPointer(v: GoNil, verb: string, top: boolean): void {
    if (verb === "v") {
      if (this.sharpV) this.buf += `(${v.type})(nil)`;
      else this.pad("<nil>");
    } else if (verb === "b" || verb === "o" || verb === "d" || verb === "x" || verb === "X") {
      this.fmtInteger(0n, false, verb, v, top);
    } else this.badVerb(verb, v, top);
  }

  private printMap(m: Record<string, unknown> | GoNil, verb: string, depth: number): void {
    if (this.sharpV) {
      this.buf += typeName(m);
      if (m instanceof GoNil) {
        this.buf += "(nil)";
        return;
      }
      this.buf += "{";
    } else this.buf += "map[";
    if (!(m instanceof GoNil)) {
      let first = true;
      for (const k of sortedKeys(m)) {
        if (!first) this.buf += this.sharpV ? ", " : " ";
        first = false;
        this.printValue(goMapKey(m, k), verb, depth + 1);
        this.buf += ":";
        this.printElem(m[k], verb, depth + 1);
      }
    }
    this.buf += this.sharpV ? "}" : "]";
  }

  /** %s %q %x %X of a []byte: the bytes as a string. */
  private fmtBytes(b: Uint8Array, verb: string): void {
    if (verb === "x" || verb === "X") this.fmtSx(b, verb === "x" ? LDIGITS : UDIGITS);
    else this.fmtString(decodeGoBytes(b), verb, "", false);
  }

  private printSlice(a: unknown[] | GoNil, verb: string, depth: number): void {
    if (this.sharpV) {
      // A top-level []byte argument is caught by Go's type switch and named by its alias.
      this.buf += depth === 0 && isByteSlice(a) ? "[]byte" : typeName(a);
      if (a instanceof GoNil) {
        this.buf += "(nil)";
        return;
      }
      this.buf += "{";
      for (let i = 0; i < a.length; i++) {
        if (i > 0) this.buf += ", ";
        this.printElem(a[i], verb, depth + 1);
      }
      this.buf += "}";
      return;
    }
    this.buf += "[";
    if (!(a instanceof GoNil)) {
      for (let i = 0; i < a.length; i++) {
        if (i > 0) this.buf += " ";
        this.printElem(a[i], verb, depth + 1);
      }
    }
    this.buf += "]";
  }

  /** An element of a composite: a nil interface element prints <nil>, unpadded, for every verb. */
  private printElem(v: unknown, verb: string, depth: number): void {
    if (v === null || v === undefined) {
      this.buf += this.sharpV ? "interface {}(nil)" : "<nil>";
      return;
    }
    this.printValue(v, verb, depth);
  }

  /** fmt's handleMethods for Stringers: %v %s %q %x %X print String() (not with %#v). */
  printStringer(s: GoStruct, verb: string, top: boolean): boolean {
    if (this.sharpV || !"vsqxX".includes(verb)) return false;
    const str = stringMethod(s);
    if (str === null) return false;
    this.fmtString(String(str()), verb === "v" ? "s" : verb, s, top);
    return true;
  }

  printStruct(s: GoStruct, verb: string, depth: number): void {
    if (s instanceof GoTime && !this.sharpV) {
      this.fmtString(goTimeString(s), verb === "v" ? "s" : verb, s, depth === 0);
      return;
    }
    if (this.printStringer(s, verb, depth === 0)) return;
    if (this.sharpV) this.buf += s.goType.replace(/^\*/, "");
    this.buf += "{";
    const fields = structFields(s);
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) this.buf += this.sharpV ? ", " : " ";
      if (this.plusV || this.sharpV) this.buf += `${fields[i]}:`;
      this.printElem((s as unknown as Record<string, unknown>)[fields[i]], verb, depth + 1);
    }
    this.buf += "}";
  }
}

export { structFields };

/** A struct that declares a String method (fmt.Stringer) as one of its goMethods. */
function stringMethod(s: GoStruct): (() => unknown) | null {
  if (!s.goMethods?.includes("String")) return null;
  const m = (s as unknown as Record<string, unknown>).String;
  if (typeof m === "function") return () => m.call(s);
  const g = m as GoFunc | undefined;
  return g ? () => (g.fn as () => unknown).call(s) : null;
}

function isByteSlice(v: unknown): boolean {
  if (v instanceof GoNil) return v.type === "[]uint8" || v.type === "[]byte";
  const t = elemTypeOf(v as unknown[]);
  return t === "uint8" || t === "byte";
}

function byteSliceBytes(v: unknown[] | GoNil): Uint8Array {
  if (v instanceof GoNil) return new Uint8Array(0);
  return Uint8Array.from(v, (e) => Number(intOf(e) & 0xffn));
}

/**
 * The # flag on a float: always a decimal point, and for %g/%x the trailing zeros %g would drop,
 * up to the precision (6 by default) counted in significant digits. Go counts every character
 * after the first non-zero one as a digit (so the "x" of a hex float counts too), and %X gets
 * no zeros back; both are reproduced as they are.
 */
function keepPointAndZeros(body: string, verb: string, prec: number): string {
  let digits = verb === "g" || verb === "G" || verb === "x" ? (prec === -1 ? 6 : prec) : 0;
  let tail = "";
  let hasPoint = false;
  let sawNonZero = false;
  const hex = verb === "x" || verb === "X";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === ".") {
      hasPoint = true;
      continue;
    }
    if (c === "p" || c === "P" || (!hex && (c === "e" || c === "E"))) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    }
    if (c !== "0") sawNonZero = true;
    if (sawNonZero) digits--;
  }
  if (!hasPoint) {
    if (body === "0") digits--;
    body += ".";
  }
  if (digits > 0) body += "0".repeat(digits);
  return body + tail;
}

function validRune(v: bigint): number {
  if (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) return 0xfffd;
  return Number(v);
}

function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

// --- float formatting (strconv.FormatFloat) -----------------------------------------------

interface Digits {
  d: string;
  dp: number;
}

/** The exact decimal expansion of a positive finite double. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  const t = s.replace(/0+$/, "");
  const lead = t.length - t.replace(/^0+/, "").length;
  return { d: t.slice(lead), dp: dp - lead };
}

/** Shortest round-trip digits (what Go's strconv uses for precision -1). */
function shortestDigits(x: number): Digits {
  const e = x.toExponential();
  const i = e.indexOf("e");
  const d = e.slice(0, i).replace(".", "");
  return { d, dp: Number(e.slice(i + 1)) + 1 };
}

/** Rounds exact digits to nd digits, half to even. */
function roundDigits(g: Digits, nd: number): Digits {
  if (nd < 0) return { d: "", dp: g.dp };
  if (g.d.length <= nd) return g;
  const c = g.d.charCodeAt(nd);
  let up: boolean;
  if (c > 53) up = true;
  else if (c < 53) up = false;
  else if (nd + 1 < g.d.length) up = true;
  else up = nd > 0 && (g.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = g.d.slice(0, nd);
  let dp = g.dp;
  if (up) {
    let i = nd - 1;
    while (i >= 0 && d[i] === "9") i--;
    if (i < 0) {
      d = "1";
      dp++;
    } else d = d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1);
  }
  return { d: d.replace(/0+$/, ""), dp };
}

function digitAt(g: Digits, i: number): string {
  return i >= 0 && i < g.d.length ? g.d[i] : "0";
}

function fmtE(neg: boolean, g: Digits, prec: number, e: string): string {
  let s = neg ? "-" : "";
  s += g.d.length === 0 ? "0" : g.d[0];
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(g, i);
  }
  let exp = g.d.length === 0 ? 0 : g.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  if (exp < 0) exp = -exp;
  return `${s}${e}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

function fmtF(neg: boolean, g: Digits, prec: number): string {
  let s = neg ? "-" : "";
  if (g.dp > 0) {
    for (let i = 0; i < g.dp; i++) s += digitAt(g, i);
  } else s += "0";
  if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) s += digitAt(g, g.dp + i);
  }
  return s;
}

/** strconv.FormatFloat(v, fmt, prec, size) for fmt in b e E f F g G x X. */
export function formatFloat(v: number, verb: string, prec: number, size = 64): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  if (size === 32) v = Math.fround(v);
  if (verb === "b") return formatBinaryFloat(v, size);
  if (verb === "x" || verb === "X") return formatHexFloat(v, verb, prec, size);
  const neg = v < 0 || Object.is(v, -0);
  const x = Math.abs(v);
  let f = verb;
  if (f === "F") f = "f";
  const shortest = prec < 0;
  let g: Digits;
  if (x === 0) g = { d: "", dp: 0 };
  else if (shortest) g = shortestDigits(size === 32 ? Number(x.toPrecision(9)) : x);
  else {
    const exact = exactDigits(x);
    if (f === "e" || f === "E") g = roundDigits(exact, prec + 1);
    else if (f === "f") g = roundDigits(exact, exact.dp + prec);
    else g = roundDigits(exact, prec === 0 ? 1 : prec);
  }
  if (size === 32 && shortest && x !== 0) {
    // Shortest digits for float32: fewest digits that round-trip through float32.
    for (let n = 1; n <= 9; n++) {
      const t = Math.fround(Number(x.toPrecision(n)));
      if (t === x) {
        g = shortestDigits(Number(x.toPrecision(n)));
        break;
      }
    }
  }
  if (shortest) {
    if (f === "e" || f === "E") prec = Math.max(g.d.length - 1, 0);
    else if (f === "f") prec = Math.max(g.d.length - g.dp, 0);
    else prec = g.d.length;
  }
  switch (f) {
    case "e":
    case "E":
      return fmtE(neg, g, prec, f);
    case "f":
      return fmtF(neg, g, prec);
    default: {
      let p = prec;
      if (!shortest && p === 0) p = 1;
      let eprec = p;
      if (eprec > g.d.length && g.d.length >= g.dp) eprec = g.d.length;
      if (shortest) eprec = 6;
      const exp = g.dp - 1;
      if (g.d.length !== 0 && (exp < -4 || exp >= eprec)) {
        if (p > g.d.length) p = g.d.length;
        return fmtE(neg, g, p - 1, f === "G" ? "E" : "e");
      }
      if (g.d.length === 0) return neg ? "-0" : "0";
      if (p > g.dp) p = g.d.length;
      return fmtF(neg, g, Math.max(p - g.dp, 0));
    }
  }
}

interface FloatParts {
  neg: boolean;
  /** The significand as an integer, implicit leading bit included. */
  mant: bigint;
  /** The power of two of the significand's leading bit position (value = mant × 2^(exp − mantBits)). */
  exp: number;
  mantBits: number;
}

/** Sign, significand and exponent of a finite float64 (or of a float32 when size is 32). */
function floatParts(v: number, size: number): FloatParts {
  const view = new DataView(new ArrayBuffer(8));
  let mant: bigint;
  let biased: number;
  let neg: boolean;
  let mantBits: number;
  let bias: number;
  if (size === 32) {
    view.setFloat32(0, v);
    const bits = view.getUint32(0);
    neg = bits >>> 31 === 1;
    biased = (bits >>> 23) & 0xff;
    mant = BigInt(bits & 0x7fffff);
    mantBits = 23;
    bias = -127;
  } else {
    view.setFloat64(0, v);
    const hi = view.getUint32(0);
    neg = hi >>> 31 === 1;
    biased = (hi >>> 20) & 0x7ff;
    mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    mantBits = 52;
    bias = -1023;
  }
  // Subnormals have no implicit bit and the exponent of the smallest normal.
  if (biased === 0) biased = 1;
  else mant |= 1n << BigInt(mantBits);
  return { neg, mant, exp: biased + bias, mantBits };
}

/** %b: decimal significand, "p", signed power of two (4503599627370496p-52 for 1.0). */
function formatBinaryFloat(v: number, size: number): string {
  const { neg, mant, exp, mantBits } = floatParts(v, size);
  const e = exp - mantBits;
  return `${neg ? "-" : ""}${mant}p${e < 0 ? "-" : "+"}${Math.abs(e)}`;
}

const BIT60 = 1n << 60n;
const LOW60 = BIT60 - 1n;
const MASK64N = (1n << 64n) - 1n;

/**
 * %x/%X: -0x1.8p+00 — one leading digit (1, or 0 for zero), the fraction in hex (all of it, or
 * rounded half-to-even to prec digits), and a decimal power of two of at least two digits.
 */
function formatHexFloat(v: number, verb: string, prec: number, size: number): string {
  const parts = floatParts(v, size);
  let { mant, exp } = parts;
  if (mant === 0n) exp = 0;
  // Normalise so the leading 1 sits at bit 60: 15 hex digits of fraction follow it.
  mant <<= BigInt(60 - parts.mantBits);
  while (mant !== 0n && (mant & BIT60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const keep = BigInt(prec * 4);
    const dropped = (mant << keep) & LOW60;
    mant >>= 60n - keep;
    if ((dropped | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - keep;
    if ((mant & (1n << 61n)) !== 0n) {
      // Rounding carried into a new leading digit (1.f… → 2.0): renormalise.
      mant >>= 1n;
      exp++;
    }
  }
  const digits = verb === "X" ? UDIGITS : LDIGITS;
  let out = `${parts.neg ? "-" : ""}0${verb}${(mant >> 60n) & 1n}`;
  let frac = (mant << 4n) & MASK64N;
  if (prec < 0 && frac !== 0n) {
    out += ".";
    while (frac !== 0n) {
      out += digits[Number(frac >> 60n)];
      frac = (frac << 4n) & MASK64N;
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += digits[Number(frac >> 60n)];
      frac = (frac << 4n) & MASK64N;
    }
  }
  out += verb === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  const e = Math.abs(exp);
  return out + (e < 10 ? `0${e}` : String(e));
}

// --- time.Time.String -----------------------------------------------------------------------

function goTimeString(t: GoTime): string {
  const d = new Date(t.ms + t.offsetMinutes * 60000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  let year = String(d.getUTCFullYear());
  if (d.getUTCFullYear() < 1000) year = year.padStart(4, "0");
  let s = `${year}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const nanos = (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.nanos;
  if (nanos > 0) s += `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
  const off = t.offsetMinutes;
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${s} ${sign}${p2(Math.floor(a / 60))}${p2(a % 60)} ${t.zone}`;
}

// --- public API -------------------------------------------------------------------------------

const shared = new Printer();

function fresh(): Printer {
  // Printing is not re-entrant (no user callbacks run while formatting), so one printer is reused.
  shared.buf = "";
  shared.clearFlags();
  shared.erroring = false;
  return shared;
}

/**
 * Stand-ins for the address Go prints for a live pointer, chan or func. No two runs share the
 * real one, but its form is Go 1.26's (a randomised heap base: 0x, then 12 hex digits), so that
 * the text has the same length.
 */
const FAKE_ADDRESS = "0x2d9f5c500010";
const FAKE_CHAN_ADDRESS = "0x2d9f5c500070";

function isBasicArg(v: unknown): boolean {
  switch (typeof v) {
    case "boolean":
    case "number":
    case "bigint":
    case "string":
      return true;
  }
  // fmt's printArg formats these without reflection or methods (its type switch).
  if (v instanceof GoTyped) return SIZED_TYPES.has(v.type);
  return v instanceof GoComplex;
}

export function isStringKind(v: unknown): boolean {
  return (
    typeof v === "string" || v instanceof JsonNumber || (v instanceof GoTyped && typeof v.value === "string")
  );
}

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  const p = fresh();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isStr = isStringKind(a);
    if (i > 0 && !isStr && !prevString) p.buf += " ";
    p.printArg(a, "v");
    prevString = isStr;
  }
  return p.buf;
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = fresh();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += " ";
    p.printArg(args[i], "v");
  }
  return `${p.buf}\n`;
}

/** Formats one value with one verb and no flags, e.g. formatValue(x, "v") is fmt.Sprint(x) for non-strings. */
export function formatValue(v: unknown, verb = "v"): string {
  const p = fresh();
  p.printArg(v === undefined ? null : v, verb);
  return p.buf;
}

function isDigitAt(s: string, i: number, end: number): boolean {
  if (i >= end) return false;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function parseNum(s: string, i: number, end: number): [number, boolean, number] {
  let num = 0;
  let ok = false;
  while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    if (num > 1e6) return [0, false, end];
    num = num * 10 + s.charCodeAt(i) - 48;
    ok = true;
    i++;
  }
  return [num, ok, i];
}

function intFromArg(a: readonly unknown[], argNum: number): [number, boolean, number] {
  if (argNum >= a.length) return [0, false, argNum];
  const v = a[argNum];
  const k = kindOf(v);
  let num = 0;
  let ok = false;
  if (k === K.Int || k === K.Uint) {
    const n = intOf(v);
    if (n >= -(10n ** 6n) && n <= 10n ** 6n) {
      num = Number(n);
      ok = true;
    }
  }
  return [num, ok, argNum + 1];
}

/** Decimal text of small non-negative ints, which templates print most (BigInt.toString is slow in JSC). */
const SMALL_INTS: string[] = Array.from({ length: 1024 }, (_, i) => String(i));

/** A Go int's decimal text (what %d and %v print): the same as v.toString(), 4–5× faster. */
export function intText(v: bigint): string {
  const x = Number(v);
  if (x >= 0 && x < 1024) return SMALL_INTS[x];
  return Number.isSafeInteger(x) ? String(x) : v.toString();
}

/**
 * Sprintf for the formats templates nearly always use: bare %s/%v/%d/%q verbs (no flags, width or
 * index) of plain strings, json.Numbers and ints, with exactly one argument per verb. Returns null
 * for anything else so the general formatter decides; the results are the same as its.
 */
function sprintfSimple(format: string, a: readonly unknown[]): string | null {
  let out = "";
  let argNum = 0;
  let last = 0;
  for (let i = format.indexOf("%"); i >= 0; i = format.indexOf("%", last)) {
    if (argNum >= a.length) return null;
    const v = a[argNum];
    const c = format.charCodeAt(i + 1);
    let s: string;
    if (c === 115 || c === 118) {
      // %s and %v
      if (typeof v === "string") s = v;
      else if (v instanceof JsonNumber) s = v.text;
      else if (c === 118 && typeof v === "bigint") s = intText(v);
      else return null;
    } else if (c === 100) {
      // %d
      if (typeof v !== "bigint") return null;
      s = intText(v);
    } else if (c === 113) {
      // %q
      if (typeof v !== "string") return null;
      s = quoteGo(v);
    } else return null;
    out += i > last ? format.slice(last, i) + s : s;
    argNum++;
    last = i + 2;
  }
  if (argNum !== a.length) return null;
  return last === 0 ? format : last < format.length ? out + format.slice(last) : out;
}

/** fmt.Sprintf. */
export function sprintf(format: string, a: readonly unknown[]): string {
  const simple = sprintfSimple(format, a);
  if (simple !== null) return simple;
  return sprintfGeneral(format, a);
}

function sprintfGeneral(format: string, a: readonly unknown[]): string {
  const p = fresh();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): [number, boolean] => {
    if (i >= end || format[i] !== "[") return [i, false];
    reordered = true;
    if (end - i < 3) {
      goodArgNum = false;
      return [i + 1, false];
    }
    const close = format.indexOf("]", i + 1);
    if (close < 0) {
      goodArgNum = false;
      return [i + 1, false];
    }
    const [n, ok, ni] = parseNum(format, i + 1, close);
    if (!ok || ni !== close) {
      goodArgNum = false;
      return [close + 1, false];
    }
    if (n - 1 >= 0 && n - 1 < a.length) {
      argNum = n - 1;
      return [close + 1, true];
    }
    goodArgNum = false;
    return [close + 1, true];
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case "#":
          p.sharp = true;
          break;
        case "0":
          p.zero = !p.minus;
          break;
        case "+":
          p.plus = true;
          break;
        case "-":
          p.minus = true;
          p.zero = false;
          break;
        case " ":
          p.space = true;
          break;
        default:
          break flags;
      }
    }
    // argNumber and parseNum return tuples; skip them when no index or number is present.
    if (i < end && format.charCodeAt(i) === 91) [i, afterIndex] = argNumber(i);
    else afterIndex = false;
    if (i < end && format[i] === "*") {
      i++;
      [p.wid, p.widPresent, argNum] = intFromArg(a, argNum);
      if (!p.widPresent) p.buf += "%!(BADWIDTH)";
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else if (isDigitAt(format, i, end)) {
      [p.wid, p.widPresent, i] = parseNum(format, i, end);
      if (afterIndex && p.widPresent) goodArgNum = false;
    } else {
      p.wid = 0;
      p.widPresent = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      [i, afterIndex] = argNumber(i);
      if (i < end && format[i] === "*") {
        i++;
        [p.prec, p.precPresent, argNum] = intFromArg(a, argNum);
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [p.prec, p.precPresent, i] = parseNum(format, i, end);
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }
    if (!afterIndex && i < end && format.charCodeAt(i) === 91) [i, afterIndex] = argNumber(i);
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const cp = format.codePointAt(i) as number;
    i += cp > 0xffff ? 2 : 1;
    // An invalid byte as the verb is U+FFFD to Go (and is echoed as such in %!…).
    const verb = cp >= 0xd800 && cp <= 0xdfff ? "\uFFFD" : String.fromCodePoint(cp);
    if (verb === "%") {
      p.buf += "%";
    } else if (!goodArgNum) {
      p.buf += `%!${verb}(BADINDEX)`;
    } else if (argNum >= a.length) {
      p.buf += `%!${verb}(MISSING)`;
    } else {
      if (verb === "v" || verb === "w") {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearFlags();
    p.buf += "%!(EXTRA ";
    for (let j = argNum; j < a.length; j++) {
      if (j > argNum) p.buf += ", ";
      const arg = a[j];
      if (arg === null || arg === undefined) p.buf += "<nil>";
      else {
        p.buf += `${typeName(arg)}=`;
        p.printArg(arg, "v");
      }
    }
    p.buf += ")";
  }
  return p.buf;
}

/**
 * How an action `{{ x }}` prints its value: <no value> for a missing value, a pointer is
 * dereferenced once, channels and funcs cannot be printed (returns null).
 */
export function printAction(v: unknown): string | null {
  switch (typeof v) {
    case "string":
      return v;
    case "undefined":
      return "<no value>";
    case "bigint":
      return intText(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return formatFloat(v, "g", -1);
  }
  if (v instanceof JsonNumber) return v.text;
  if (v instanceof GoChan || typeof v === "function") return null;
  if (v instanceof GoNil && (kindOfNil(v) === K.Chan || kindOfNil(v) === K.Func)) return "<nil>";
  if (v instanceof GoStruct && v.goType.charCodeAt(0) === 42) {
    // An action dereferences a top-level pointer: *Secret prints as {…}, not &{…}.
    const p = fresh();
    p.printStruct(v, "v", 0);
    return p.buf;
  }
  return formatValue(v, "v");
}

function kindOfNil(v: GoNil): K {
  return kindOf(v);
}
