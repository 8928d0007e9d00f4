/**
 * Go kinds and type names of template values (see value.ts for the JS representation). Truth,
 * comparison, argument assignability and %v/%T output all follow from a value's kind and type.
 */
import { JsonNumber } from "../common/json.ts";
import { compareGoStrings } from "./bytes.ts";
import {
  elemTypeOf,
  GoChan,
  GoComplex,
  GoNil,
  GoStruct,
  GoTime,
  GoTyped,
  goMapKey,
  keyTypeOf,
} from "./value.ts";

export const enum K {
  Invalid,
  /** An untyped nil / nil interface (JS null). */
  Nil,
  Bool,
  Int,
  Uint,
  Float,
  Complex,
  String,
  Slice,
  Map,
  Struct,
  Ptr,
  Chan,
  Func,
  Interface,
}

const INT_TYPES = new Set(["int", "int8", "int16", "int32", "int64", "rune"]);
const UINT_TYPES = new Set(["uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte"]);

/** Kinds of the type strings seen so far: signatures and value types form a small, fixed set. */
const KIND_CACHE = new Map<string, K>();

/** The reflect.Kind of a Go type written as a string ("[]string", "*dependency.Secret", …). */
/** Go's numeric types with a size or sign of their own: the kinds besides int, float64, string and bool. */
export const SIZED_TYPES: ReadonlySet<string> = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "uint",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "uintptr",
  "float32",
  "complex64",
]);

export function kindOfType(type: string): K {
  let k = KIND_CACHE.get(type);
  if (k === undefined) {
    k = classifyType(type);
    if (KIND_CACHE.size < 4096) KIND_CACHE.set(type, k);
  }
  return k;
}

function classifyType(type: string): K {
  if (INT_TYPES.has(type)) return K.Int;
  if (UINT_TYPES.has(type)) return K.Uint;
  if (type === "float64" || type === "float32") return K.Float;
  if (type === "complex128" || type === "complex64") return K.Complex;
  if (type === "bool") return K.Bool;
  if (type === "string" || type === "json.Number") return K.String;
  if (type.startsWith("*")) return K.Ptr;
  if (type.startsWith("[]")) return K.Slice;
  if (type.startsWith("map[")) return K.Map;
  if (type.startsWith("func")) return K.Func;
  if (type.startsWith("chan") || type.startsWith("<-chan")) return K.Chan;
  if (type === "interface {}" || type === "any" || type === "error" || type.startsWith("interface"))
    return K.Interface;
  if (type === "reflect.Value") return K.Interface;
  return K.Struct;
}

export function kindOf(v: unknown): K {
  switch (typeof v) {
    case "undefined":
      return K.Invalid;
    case "string":
      return K.String;
    case "bigint":
      return K.Int;
    case "number":
      return K.Float;
    case "boolean":
      return K.Bool;
    case "function":
      return K.Func;
  }
  if (v === null) return K.Nil;
  if (Array.isArray(v)) return K.Slice;
  if (v instanceof JsonNumber) return K.String;
  if (v instanceof GoStruct) return v.goType.charCodeAt(0) === 42 ? K.Ptr : K.Struct;
  if (v instanceof GoTyped) return kindOfType(v.type);
  if (v instanceof GoNil) return kindOfType(v.type);
  if (v instanceof GoComplex) return K.Complex;
  if (v instanceof GoChan) return K.Chan;
  return K.Map;
}

/** reflect.Type.String() of a value; a JS null reports the static type "interface {}". */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "<nil>";
    case "string":
      return "string";
    case "bigint":
      return "int";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "function":
      return "func(...interface {}) (interface {}, error)";
  }
  if (v === null) return "interface {}";
  if (Array.isArray(v)) return `[]${elemTypeOf(v)}`;
  if (v instanceof JsonNumber) return "json.Number";
  if (v instanceof GoStruct) return v.goType;
  if (v instanceof GoTyped || v instanceof GoNil) return v.type;
  if (v instanceof GoComplex) return "complex128";
  if (v instanceof GoChan) return `<-chan ${v.elemType}`;
  return `map[${keyTypeOf(v as object)}]${elemTypeOf(v as object)}`;
}

/** The string held by a string-kind value (string, json.Number, named string types). */
export function stringOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  if (v instanceof GoTyped) return String(v.value);
  return String(v);
}

/** Integer value of an int/uint-kind value. */
export function intOf(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (v instanceof GoTyped) return BigInt(v.value as bigint | number);
  return 0n;
}

export function floatOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (v instanceof GoTyped) return Number(v.value);
  return 0;
}

/** Go's `if` truth (text/template isTrue). */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case "undefined":
      return false;
    case "boolean":
      return v;
    case "string":
      return v.length > 0;
    case "bigint":
      return v !== 0n;
    case "number":
      return v !== 0;
    case "function":
      return true;
  }
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (v instanceof GoNil) return false;
  if (v instanceof GoStruct || v instanceof GoChan) return true;
  if (v instanceof GoTyped) {
    const x = v.value;
    return typeof x === "string" ? x.length > 0 : typeof x === "boolean" ? x : x !== 0 && x !== 0n;
  }
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  for (const _ in v as object) return true;
  return false;
}

/** Keys of a Go map value, sorted as Go's fmtsort sorts string keys: by UTF-8 bytes. */
export function sortedKeys(m: object): string[] {
  const keys = Object.keys(m);
  if (keyTypeOf(m) !== "string") return keys.sort((a, b) => compareGoKeys(goMapKey(m, a), goMapKey(m, b)));
  const n = keys.length;
  if (n < 2) return keys;
  if (n > 16) return keys.sort(compareUtf8);
  // Insertion sort: maps in templates are small, and Array#sort with a comparator costs more
  // than the comparisons (keys are distinct, so the order is the same).
  for (let i = 1; i < n; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && compareUtf8(keys[j], k) > 0) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** Byte-wise comparison of the UTF-8 encodings of two JS strings. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // An escaped byte (a lone U+DC80..U+DCFF, see bytes.ts) sorts as the byte it stands for.
    if (((x >= 0xdc80 && x <= 0xdcff) || (y >= 0xdc80 && y <= 0xdcff)) && !isHighSurrogateAt(a, i - 1)) {
      return compareGoStrings(a.slice(i), b.slice(i));
    }
    // UTF-16 order differs from code point order only for surrogates vs U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      // A surrogate starts a code point above U+FFFF, which sorts after every BMP character.
      const sx = x <= 0xdfff;
      if (sx !== y <= 0xdfff) return sx ? 1 : -1;
      return x - y;
    }
    return x - y;
  }
  return a.length - b.length;
}

function isHighSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff;
}

/** reflect.Zero(type) for the types that occur as map elements and parameters. */
export function zeroValue(type: string): unknown {
  switch (kindOfType(type)) {
    case K.String:
      return type === "json.Number" ? new JsonNumber("") : "";
    case K.Int:
      return type === "int" ? 0n : new GoTyped(type, 0n);
    case K.Uint:
      return new GoTyped(type, 0n);
    case K.Float:
      return type === "float64" ? 0 : new GoTyped(type, 0);
    case K.Bool:
      return false;
    case K.Complex:
      return new GoComplex(0, 0);
    case K.Interface:
      return null;
    case K.Struct:
      return type === "time.Time" ? new GoTime(-62135596800000) : new GoNil(type);
    default:
      return new GoNil(type);
  }
}

export function canBeNil(type: string): boolean {
  const k = kindOfType(type);
  return k === K.Ptr || k === K.Slice || k === K.Map || k === K.Func || k === K.Chan || k === K.Interface;
}

/**
 * fmtsort's order for interface{} keys: nil first; keys of different types by their runtime type
 * descriptors' addresses — which Go's linker lays out sorted by type name (bool < float64 < int <
 * string < uint64); keys of one type by value (numbers numerically, false before true, strings
 * by bytes).
 */
function compareGoKeys(a: unknown, b: unknown): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (typeof a === "string") return compareUtf8(a, b as string);
  if (typeof a === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && Number.isNaN(a)) return Number.isNaN(b as number) ? 0 : -1;
  if (typeof b === "number" && Number.isNaN(b)) return 1;
  const x = a instanceof GoTyped ? (a.value as bigint) : (a as bigint | number);
  const y = b instanceof GoTyped ? (b.value as bigint) : (b as bigint | number);
  return x < y ? -1 : x > y ? 1 : 0;
}
