/**
 * A TOML document as github.com/BurntSushi/toml v1.5.0's Encoder writes one (the version Consul
 * Template v0.42 builds with), byte for byte, errors included:
 *
 * - A map writes its plain keys first, then its tables and arrays of tables, each group sorted
 *   by the keys' bytes; struct fields keep their declaration order, split the same way. nil
 *   entries are skipped.
 * - A header or key is indented two spaces per level below the top (`[x]`, `  [x.y]`,
 *   `    z = 1`). Only top-level tables and every `[[array]]` element get a blank line first.
 * - Keys are bare when made of A-Z a-z 0-9 _ -, else quoted; strings are always "quoted" with
 *   \b \t \n \f \r \" \\ and \u00XX (lowercase hex) for the other control bytes and DEL.
 * - A table inside an array that is not all tables is written inline ({k = v, ...}), with the
 *   encoder's separator quirks kept: a skipped nil last key leaves "{a = 1, }", and a struct
 *   separates by field index, not by what was written.
 * - Floats are strconv 'f' shortest plus ".0" when there is no point (1e21 is
 *   1000000000000000000000.0), inf/-inf/nan; json.Number is an int64 when it parses as one, else
 *   a float64; time.Time is RFC 3339 with nanoseconds, unquoted.
 * - A top-level value that is not a table is written bare ("x", [1, 2]); an array of tables
 *   there has no key to go under.
 */
import { formatFloat } from "../../fmt.ts";
import { compareUtf8 } from "../../gotype.ts";
import { quoteGo } from "../../quote.ts";
import { goTimeFormat } from "../gotime.ts";
import { parseGoFloat, parseGoInt } from "../parse.ts";
import { isNil, type View, view } from "./values.ts";

/** An error the encoder returns (Consul Template prefixes it with "toTOML: "). */
export class TomlEncodeError extends Error {}

/** The encoder's panics that are not its own errors: text/template reports them as they are. */
export class TomlPanic extends Error {}

const ERR_ARRAY_NIL_ELEMENT = "toml: cannot encode array with nil element";
const ERR_NON_STRING_KEY = "toml: cannot encode a map with non-string key type";
const ERR_NO_KEY = "toml: top-level values must be Go maps or structs";

const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";
const INDENT = "  ";

type TomlType = "hash" | "arrayHash" | "array" | "scalar" | null;

const fail = (msg: string): never => {
  throw new TomlEncodeError(msg);
};

/** The TOML type of a value, as the encoder classifies map entries and array elements. */
function tomlType(x: View): TomlType {
  if (isNil(x)) return null;
  switch (x.k) {
    case "map":
    case "struct":
      return "hash";
    case "slice":
      return isTableArray(x.items) ? "arrayHash" : "array";
    case "unsupported":
      return fail(`unsupported type: ${x.kind}`);
    default:
      return "scalar";
  }
}

/** All elements are tables (and the array is not empty). Any nil element, however deep, fails. */
function isTableArray(items: readonly unknown[]): boolean {
  let all = items.length > 0;
  for (const item of items) {
    const t = tomlType(view(item));
    if (t === null) fail(ERR_ARRAY_NIL_ELEMENT);
    if (t !== "hash") all = false;
  }
  return all;
}

const isTable = (t: TomlType) => t === "hash" || t === "arrayHash";

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function quoteKey(k: string): string {
  if (k === "") return '""';
  return BARE_KEY.test(k) ? k : quoted(k);
}

/** TOML basic string: Go's strings.Replacer over bytes, so other characters pass untouched. */
function quoted(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) continue;
    out += s.slice(from, i) + escapeByte(c);
    from = i + 1;
  }
  return `${out}${s.slice(from)}"`;
}

function escapeByte(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
    case 0x08:
      return "\\b";
    case 0x09:
      return "\\t";
    case 0x0a:
      return "\\n";
    case 0x0c:
      return "\\f";
    case 0x0d:
      return "\\r";
    default:
      return `\\u${c.toString(16).padStart(4, "0")}`;
  }
}

function float(v: number, bits: 32 | 64): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Number.POSITIVE_INFINITY) return "inf";
  if (v === Number.NEGATIVE_INFINITY) return "-inf";
  const s = formatFloat(v, "f", -1, bits);
  return s.includes(".") ? s : `${s}.0`;
}

/** Up to 18 digits always fit an int64; no leading zero, so the text is already canonical. */
const SHORT_INT = /^-?(?:0|[1-9][0-9]{0,17})$/;
/** A JSON number with a fraction or exponent (never an int64): ParseFloat reads it as Number does. */
const JSON_FLOAT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)$/;

/** json.Number: "" is 0, then int64, then float64, else an error naming the text. */
function jsonNumber(text: string): string {
  if (text === "") return "0";
  // Fast paths for the JSON spellings (no exceptions): an int64, or a finite float64.
  if (SHORT_INT.test(text)) return text === "-0" ? "0" : text;
  if (JSON_FLOAT.test(text)) {
    const f = Number(text);
    if (Number.isFinite(f)) return float(f, 64);
  }
  try {
    return parseGoInt(text).toString();
  } catch {}
  try {
    return float(parseGoFloat(text), 64);
  } catch {}
  return fail(`unable to convert ${quoteGo(text)} to int64 or float64`);
}

class Encoder {
  out = "";

  private write(s: string): void {
    this.out += s;
  }

  /** A line break, unless nothing has been written yet. */
  private newline(): void {
    if (this.out !== "") this.out += "\n";
  }

  private indent(key: readonly string[]): string {
    return INDENT.repeat(key.length - 1);
  }

  encode(key: readonly string[], x: View): void {
    switch (x.k) {
      case "time":
      case "text":
      case "bool":
      case "int":
      case "float":
      case "string":
      case "number":
        this.keyValue(key, x, false);
        return;
      case "slice":
        if (tomlType(x) === "arrayHash") this.arrayOfTables(key, x.items);
        else this.keyValue(key, x, false);
        return;
      case "nil":
        return;
      case "map":
        if (!x.nil) this.table(key, x);
        return;
      case "struct":
        this.table(key, x);
        return;
      case "unsupported":
        fail(`unsupported type for key '${key.map(quoteKey).join(".")}': ${x.kind}`);
    }
  }

  private keyValue(key: readonly string[], x: View, inline: boolean): void {
    if (key.length === 0) {
      this.element(x);
      return;
    }
    this.write(`${this.indent(key)}${quoteKey(key[key.length - 1]!)} = `);
    this.element(x);
    if (!inline) this.newline();
  }

  /** A value in key = value position or inside an array: scalars, arrays, inline tables. */
  private element(x: View): void {
    switch (x.k) {
      case "time":
        this.write(goTimeFormat(x.v, RFC3339_NANO));
        return;
      case "text":
        this.write(quoted(x.text()));
        return;
      case "number":
        this.write(jsonNumber(x.text));
        return;
      case "string":
        this.write(quoted(x.v));
        return;
      case "bool":
        this.write(x.v ? "true" : "false");
        return;
      case "int":
        this.write(x.text);
        return;
      case "float":
        this.write(float(x.v, x.bits));
        return;
      case "slice":
        this.write("[");
        x.items.forEach((item, i) => {
          if (i > 0) this.write(", ");
          this.element(view(item));
        });
        this.write("]");
        return;
      case "struct":
        this.struct([], x, true);
        return;
      case "map":
        this.map([], x, true);
        return;
      case "nil":
        // Unreachable: every array is checked for nil elements before it is written.
        throw new TomlPanic("reflect: call of reflect.Value.Interface on zero Value");
      case "unsupported":
        fail(`unexpected type: ${x.kind}`);
    }
  }

  private arrayOfTables(key: readonly string[], items: readonly unknown[]): void {
    if (key.length === 0) fail(ERR_NO_KEY);
    for (const item of items) {
      const x = view(item);
      if (isNil(x)) continue;
      this.newline();
      this.write(`${this.indent(key)}[[${key.map(quoteKey).join(".")}]]`);
      this.newline();
      this.mapOrStruct(key, x, false);
    }
  }

  private table(key: readonly string[], x: View): void {
    // Only top-level tables are set apart by a blank line.
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indent(key)}[${key.map(quoteKey).join(".")}]`);
      this.newline();
    }
    this.mapOrStruct(key, x, false);
  }

  private mapOrStruct(key: readonly string[], x: View, inline: boolean): void {
    if (x.k === "map") this.map(key, x, inline);
    else if (x.k === "struct") this.struct(key, x, inline);
  }

  private map(key: readonly string[], x: Extract<View, { k: "map" }>, inline: boolean): void {
    if (!x.stringKeys) fail(ERR_NON_STRING_KEY);
    const direct: [string, View][] = [];
    const sub: [string, View][] = [];
    for (const k of Object.keys(x.m)) {
      const v = view(x.m[k]);
      (isTable(tomlType(v)) ? sub : direct).push([k, v]);
    }
    const byKey = (a: [string, View], b: [string, View]) => compareUtf8(a[0], b[0]);
    direct.sort(byKey);
    sub.sort(byKey);
    const writeGroup = (entries: [string, View][], trailingComma: boolean) => {
      entries.forEach(([k, v], i) => {
        if (isNil(v)) return;
        if (inline) {
          this.keyValue([k], v, true);
          if (trailingComma || i !== entries.length - 1) this.write(", ");
        } else this.encode([...key, k], v);
      });
    };
    if (inline) this.write("{");
    writeGroup(direct, sub.length > 0);
    writeGroup(sub, false);
    if (inline) this.write("}");
  }

  private struct(key: readonly string[], x: Extract<View, { k: "struct" }>, inline: boolean): void {
    const direct: [number, View][] = [];
    const sub: [number, View][] = [];
    x.fields.forEach((name, i) => {
      const v = view(x.of[name]);
      (isTable(tomlType(v)) ? sub : direct).push([i, v]);
    });
    const total = x.fields.length;
    const writeGroup = (fields: [number, View][]) => {
      for (const [i, v] of fields) {
        if (isNil(v)) continue;
        const name = x.fields[i]!;
        if (inline) {
          this.keyValue([name], v, true);
          // The encoder compares the field's index with the field count, whatever was written.
          if (i !== total - 1) this.write(", ");
        } else this.encode([...key, name], v);
      }
    };
    if (inline) this.write("{");
    writeGroup(direct);
    writeGroup(sub);
    if (inline) this.write("}");
  }
}

/**
 * The TOML document for a template value, as toml.NewEncoder(w).Encode(v) writes it. Throws
 * TomlEncodeError for the encoder's errors and TomlPanic where Go would panic instead.
 */
export function encodeToml(v: unknown): string {
  // Encode starts with reflect on the value, which panics for a nil interface.
  if (v === null || v === undefined) throw new TomlPanic("reflect: call of reflect.Value.Type on zero Value");
  const enc = new Encoder();
  enc.encode([], view(v));
  return enc.out;
}
