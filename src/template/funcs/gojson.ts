/**
 * Go's encoding/json as Consul Template's JSON helpers use it.
 *
 * Encoding (toJSON and friends): map keys sorted by UTF-8 bytes, struct fields in declaration
 * order under their Go names, `<`, `>`, `&` escaped as \u003c… unless unescaped output is asked
 * for, U+2028/U+2029 always escaped, `\b` and `\f` as short escapes (Go ≥ 1.22), json.Number
 * verbatim (after Go's validity check), float64 in Go's format, nil as null.
 *
 * Decoding (parseJSON): json.Unmarshal into interface{}: objects become map[string]interface{},
 * numbers float64, and syntax errors carry Go's scanner messages.
 */
import { JsonNumber, setDecodedCapacity } from "../../common/json.ts";
import { sortedKeys, typeName } from "../gotype.ts";
import { canonicalGoString, isEscapeUnit } from "../bytes.ts";
import { quoteGo } from "../quote.ts";
import { exportedFields, GoChan, GoComplex, GoNil, GoStruct, GoTime, GoTyped, keyTypeOf } from "../value.ts";
import { goTimeFormat } from "./gotime.ts";

const HEX = "0123456789abcdef";

/** Characters quote must rewrite, with and without HTML escaping (lone surrogates included). */
const NEEDS_ESCAPE_HTML = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

function quote(s: string, escapeHtml: boolean): string {
  // Most keys and values need no escape: one native scan says so.
  if (!(escapeHtml ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE).test(s)) return `"${s}"`;
  return quoteEscaped(s, escapeHtml);
}

function quoteEscaped(s: string, escapeHtml: boolean): string {
  if (!s.isWellFormed()) s = canonicalGoString(s);
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c < 0x20) {
      esc =
        c === 0x0a
          ? "\\n"
          : c === 0x0d
            ? "\\r"
            : c === 0x09
              ? "\\t"
              : c === 0x08
                ? "\\b"
                : c === 0x0c
                  ? "\\f"
                  : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26))
      esc = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) esc = `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is a byte that is not UTF-8 (../bytes.ts); Go writes the escape \ufffd.
      const pair =
        c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        i++;
        continue;
      }
      esc = "\\ufffd";
    }
    if (esc !== null) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

/** strconv.FormatFloat the way encoding/json picks 'f' or 'e'. */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) {
    throw new Error(`json: unsupported value: ${Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf"}`);
  }
  if (Object.is(f, -0)) return "-0";
  // JS switches to exponent form at the same thresholds (1e-6, 1e21) and writes "1e-7", "1e+21",
  // which is what Go produces after trimming the exponent's leading zero.
  return String(f);
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export interface EncodeOptions {
  indent?: string;
  escapeHtml?: boolean;
}

/** What one encodeGoJson call carries down the value. */
interface Encoder {
  indent: string;
  escapeHtml: boolean;
  /** The maps and slices being encoded, once deep enough to look for cycles (see encodeValue). */
  path: Set<object> | null;
}

/**
 * Nesting depth from which the encoder looks for cycles, as Go's does (startDetectingCyclesAfter):
 * shallower values are encoded without keeping track of the path.
 */
const CYCLE_CHECK_DEPTH = 1000;

export function encodeGoJson(value: unknown, opts: EncodeOptions = {}): string {
  const e: Encoder = { indent: opts.indent ?? "", escapeHtml: opts.escapeHtml ?? true, path: null };
  return encodeValue(e, value, 0);
}

function encodeValue(e: Encoder, v: unknown, depth: number): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "number":
      return goJsonFloat(v);
    case "string":
      return quote(v, e.escapeHtml);
    case "function":
      throw new Error("json: unsupported type: func(...interface {}) (interface {}, error)");
  }
  if (v instanceof JsonNumber) {
    if (v.text === "") return "0";
    if (!JSON_NUMBER.test(v.text)) throw new Error(`json: invalid number literal ${JSON.stringify(v.text)}`);
    return v.text;
  }
  if (v instanceof GoNil) return "null";
  if (v instanceof GoTyped) {
    if (typeof v.value === "string") return quote(v.value, e.escapeHtml);
    if (typeof v.value === "number") return goJsonFloat(v.value);
    return String(v.value);
  }
  if (v instanceof GoTime) return quote(goTimeFormat(v, "2006-01-02T15:04:05.999999999Z07:00"), e.escapeHtml);
  if (v instanceof GoComplex) throw new Error("json: unsupported type: complex128");
  if (v instanceof GoChan) throw new Error(`json: unsupported type: <-chan ${v.elemType}`);
  const obj = v as object;
  if (depth < CYCLE_CHECK_DEPTH) return encodeComposite(e, obj, depth);
  // Only a cycle nests this deep in template data (a sprig dict set into itself).
  e.path ??= new Set();
  if (e.path.has(obj)) throw new Error(`json: unsupported value: encountered a cycle via ${typeName(obj)}`);
  e.path.add(obj);
  try {
    return encodeComposite(e, obj, depth);
  } finally {
    e.path.delete(obj);
  }
}

/** A slice, map or struct: members in order (map keys sorted by UTF-8 bytes), indented if asked. */
function encodeComposite(e: Encoder, obj: object, depth: number): string {
  const indent = e.indent;
  const nl = indent === "" ? "" : `\n${indent.repeat(depth + 1)}`;
  if (Array.isArray(obj)) {
    const n = obj.length;
    if (n === 0) return "[]";
    let out = `[${nl}${encodeValue(e, obj[0], depth + 1)}`;
    for (let i = 1; i < n; i++) out += `,${nl}${encodeValue(e, obj[i], depth + 1)}`;
    return indent === "" ? `${out}]` : `${out}\n${indent.repeat(depth)}]`;
  }
  let keys: readonly string[];
  if (obj instanceof GoStruct) keys = exportedFields(obj);
  else {
    // encoding/json only encodes maps keyed by strings, integers or TextMarshalers.
    if (keyTypeOf(obj) !== "string") throw new Error(`json: unsupported type: ${typeName(obj)}`);
    keys = sortedKeys(obj);
  }
  const n = keys.length;
  if (n === 0) return "{}";
  const rec = obj as Record<string, unknown>;
  const colon = indent === "" ? ":" : ": ";
  let out = "{";
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    out += `${i === 0 ? "" : ","}${nl}${quote(k, e.escapeHtml)}${colon}${encodeValue(e, rec[k], depth + 1)}`;
  }
  return indent === "" ? `${out}}` : `${out}\n${indent.repeat(depth)}}`;
}

// --- decoding ------------------------------------------------------------------------------

/** Go's quoteChar for scanner errors: 'x', '\'', '"', or a Go-quoted escape. */
/**
 * encoding/json's quoteChar: Go's scanner reads bytes, so the error names the first byte of the
 * character there, made a rune of its own (é is C3 A9: 'Ã'), quoted as strconv.Quote would.
 */
function quoteChar(c: string): string {
  const cp = c.codePointAt(0) as number;
  let byte: number;
  if (cp < 0x80) byte = cp;
  else if (isEscapeUnit(cp)) byte = cp - 0xdc00;
  else if (cp >= 0xd800 && cp <= 0xdfff)
    byte = 0xef; // a lone surrogate is U+FFFD (EF BF BD)
  else if (cp < 0x800) byte = 0xc0 | (cp >> 6);
  else if (cp < 0x10000) byte = 0xe0 | (cp >> 12);
  else byte = 0xf0 | (cp >> 18);
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return "'\"'";
  const q = quoteGo(String.fromCharCode(byte));
  return `'${q.slice(1, -1)}'`;
}

class SyntaxErr extends Error {}

/** Decoder states (by their error text) in which a space is not allowed. */
const IN_TOKEN = /^(in literal|in numeric literal|after decimal point|in exponent|in string escape|in \\u)/;

class Decoder {
  i = 0;
  constructor(private readonly s: string) {}

  private fail(what: string): never {
    if (this.i >= this.s.length) {
      // Go's scanner ends the input by feeding it a space: inside a literal, a number or an
      // escape that space is the error; anywhere else the input just ended too soon.
      if (IN_TOKEN.test(what)) throw new SyntaxErr(`invalid character ' ' ${what}`);
      throw new SyntaxErr("unexpected end of JSON input");
    }
    const c = String.fromCodePoint(this.s.codePointAt(this.i)!);
    throw new SyntaxErr(`invalid character ${quoteChar(c)} ${what}`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  top(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail("after top-level value");
    return v;
  }

  private value(): unknown {
    const s = this.s;
    const c = s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    this.fail("looking for beginning of value");
  }

  private literal(word: string, v: unknown): unknown {
    for (let k = 0; k < word.length; k++, this.i++) {
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    return v;
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    if (s[this.i] === "-") {
      this.i++;
      if (!(s[this.i]! >= "0" && s[this.i]! <= "9")) this.fail("in numeric literal");
    }
    if (s[this.i] === "0") this.i++;
    else while (s[this.i]! >= "0" && s[this.i]! <= "9") this.i++;
    if (s[this.i] === ".") {
      this.i++;
      if (!(s[this.i]! >= "0" && s[this.i]! <= "9")) this.fail("after decimal point in numeric literal");
      while (s[this.i]! >= "0" && s[this.i]! <= "9") this.i++;
    }
    if (s[this.i] === "e" || s[this.i] === "E") {
      this.i++;
      if (s[this.i] === "+" || s[this.i] === "-") this.i++;
      if (!(s[this.i]! >= "0" && s[this.i]! <= "9")) this.fail("in exponent of numeric literal");
      while (s[this.i]! >= "0" && s[this.i]! <= "9") this.i++;
    }
    const text = s.slice(start, this.i);
    const n = Number(text);
    if (!Number.isFinite(n)) {
      throw new Error(`json: cannot unmarshal number ${text} into Go value of type float64`);
    }
    return n;
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = "";
    let start = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail("");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        // Go decodes each byte that is not UTF-8 (an escaped byte here) as U+FFFD.
        return out.isWellFormed() ? out : out.toWellFormed();
      }
      if (c < 0x20) this.fail("in string literal");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      this.i++;
      const e = s[this.i];
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e !== undefined && e in simple) {
        out += simple[e];
        this.i++;
      } else if (e === "u") {
        this.i++;
        for (let k = 0; k < 4; k++) {
          if (!/[0-9A-Fa-f]/.test(s[this.i + k] ?? "")) {
            this.i += k;
            this.fail("in \\u hexadecimal character escape");
          }
        }
        const cu = Number.parseInt(s.slice(this.i, this.i + 4), 16);
        this.i += 4;
        if (cu >= 0xd800 && cu <= 0xdbff && s.startsWith("\\u", this.i)) {
          const lo = Number.parseInt(s.slice(this.i + 2, this.i + 6), 16);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            out += String.fromCharCode(cu, lo);
            this.i += 6;
            start = this.i;
            continue;
          }
        }
        out += cu >= 0xd800 && cu <= 0xdfff ? "\ufffd" : String.fromCharCode(cu);
      } else {
        this.fail("in string escape code");
      }
      start = this.i;
    }
  }

  private array(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "]") {
        this.i++;
        setDecodedCapacity(out);
        return out;
      }
      this.fail("after array element");
    }
  }

  private object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = Object.create(null);
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("looking for beginning of object key string");
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("after object key");
      this.i++;
      this.ws();
      out[k] = this.value();
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      this.fail("after object key:value pair");
    }
  }
}

/** json.Unmarshal into interface{}; throws Error with Go's message. */
export function decodeGoJson(text: string): unknown {
  return new Decoder(text.isWellFormed() ? text : canonicalGoString(text)).top();
}
