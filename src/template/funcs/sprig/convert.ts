/**
 * The conversions Sprig leans on: spf13/cast's ToInt/ToInt64/ToFloat64 (errors become 0, as Sprig
 * ignores them), Sprig's strval and empty, reflect's kind names and DeepEqual, and the
 * reflect-style "is this a slice or array" test most list functions start with. Values follow the
 * engine's Go value model (../../value.ts).
 */
import { JsonNumber } from "../../../common/json.ts";
import { sameGoString } from "../../bytes.ts";
import { formatValue } from "../../fmt.ts";
import { intOf, K, kindOf, kindOfType, SIZED_TYPES, stringOf, typeName } from "../../gotype.ts";
import { GoChan, GoComplex, type GoFunc, GoNil, GoStruct, GoTime, GoTyped } from "../../value.ts";
import { parseFloatOrNull, parseIntOrNull } from "../strconv.ts";

/** A GoStruct whose Go type marshals to JSON as its String() (semver.Version's MarshalJSON). */
export const MARSHAL_AS_STRING = Symbol("vaultrun.sprig.marshalAsString");

/** A GoStruct's copystructure.Copy result, when it is not a field-by-field copy. */
export const DEEP_COPY = Symbol("vaultrun.sprig.deepCopy");

/** Go's runtime error for using a nil interface as a value (reflect.TypeOf(nil).Kind()). */
export const NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

const MIN_INT64 = -(2n ** 63n);

/** A GoStruct's String() method, when it has one (fmt.Stringer). */
export function stringerOf(v: unknown): (() => string) | null {
  if (!(v instanceof GoStruct) || !v.goMethods?.includes("String")) return null;
  const m = (v as unknown as Record<string, unknown>).String;
  if (typeof m === "function") return () => String(m.call(v));
  const g = m as GoFunc;
  return () => String((g.fn as () => unknown).call(v));
}

/** Sprig's strval: strings as they are, Stringers by String(), everything else with %v. */
export function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  const s = stringerOf(v);
  if (s) return s();
  return formatValue(v === undefined ? null : v, "v");
}

/** fmt.Sprint of one value (%v, Stringers included). */
export function sprintOne(v: unknown): string {
  return strval(v);
}

/** int64(f) for a float64 as amd64 converts it: NaN and out-of-range values give MinInt64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return MIN_INT64;
  const t = Math.trunc(f);
  if (t >= 2 ** 63 || t < -(2 ** 63)) return MIN_INT64;
  return BigInt(t);
}

/** cast's trimZeroDecimal: "10.000" → "10"; anything else unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

const CAST_INT_TYPES = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "rune",
  "uint",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "byte",
]);

/** cast.ToInt64 (ToInt is the same on 64-bit): unconvertible input gives 0. */
export function toInt64(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return floatToInt64(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") return parseIntOrNull(trimZeroDecimal(v), 0) ?? 0n;
  if (v instanceof JsonNumber) return parseIntOrNull(trimZeroDecimal(v.text), 0) ?? 0n;
  if (v instanceof GoTyped) {
    if (CAST_INT_TYPES.has(v.type)) return BigInt.asIntN(64, intOf(v));
    if (v.type === "float32") return floatToInt64(Number(v.value));
  }
  return 0n;
}

/** cast.ToFloat64: unconvertible input gives 0. */
export function toFloat64(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseFloatOrNull(v) ?? 0;
  if (v instanceof JsonNumber) return parseFloatOrNull(v.text) ?? 0;
  if (v instanceof GoTyped) {
    if (CAST_INT_TYPES.has(v.type)) return Number(intOf(v));
    if (v.type === "float32") return Number(v.value);
  }
  return 0;
}

/** Sprig's empty(): Go zero values are empty; structs never are, pointers only when nil. */
export function empty(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof GoNil) return true;
  switch (kindOf(v)) {
    case K.String:
      return stringOf(v) === "";
    case K.Slice:
      return (v as unknown[]).length === 0;
    case K.Map:
      for (const _ in v as object) return false;
      return true;
    case K.Bool:
      return v === false || (v instanceof GoTyped && v.value === false);
    case K.Int:
    case K.Uint:
      return intOf(v) === 0n;
    case K.Float:
      return (typeof v === "number" ? v : Number((v as GoTyped).value)) === 0;
    case K.Complex:
      return v instanceof GoComplex && v.re === 0 && v.im === 0;
  }
  return false;
}

/** fmt's %T: the dynamic type, "<nil>" for a nil interface. */
export function goTypeOf(v: unknown): string {
  return v === null || v === undefined ? "<nil>" : typeName(v);
}

/** reflect.Kind.String() of a type written as a string. */
function kindNameOfType(t: string): string {
  if (SIZED_TYPES.has(t)) return t;
  if (t === "rune") return "int32";
  if (t === "byte") return "uint8";
  return kindName(kindOfType(t));
}

/** reflect.Kind.String() of an unsized kind (JS values are int, float64 and complex128). */
function kindName(k: K): string {
  switch (k) {
    case K.Bool:
      return "bool";
    case K.Int:
      return "int";
    case K.Uint:
      return "uint";
    case K.Float:
      return "float64";
    case K.Complex:
      return "complex128";
    case K.String:
      return "string";
    case K.Slice:
      return "slice";
    case K.Map:
      return "map";
    case K.Ptr:
      return "ptr";
    case K.Func:
      return "func";
    case K.Chan:
      return "chan";
    case K.Interface:
      return "interface";
    case K.Struct:
      return "struct";
  }
  return "invalid";
}

/** reflect.ValueOf(v).Kind().String() ("invalid" for a nil interface). */
export function goKindOf(v: unknown): string {
  if (v === null || v === undefined) return "invalid";
  if (v instanceof GoTyped || v instanceof GoNil) return kindNameOfType(v.type);
  return kindName(kindOf(v));
}

/**
 * reflect.TypeOf(v).Kind() for the list functions: the items when v is a slice, otherwise an
 * error `${prefix} ${kind}` as Sprig words it. A nil interface panics in Go (nil TypeOf).
 */
export function sliceItems(v: unknown, message: (kind: string) => string): unknown[] {
  if (v === null || v === undefined) throw new Error(NIL_DEREF);
  if (Array.isArray(v)) return v;
  if (v instanceof GoNil && kindOfType(v.type) === K.Slice) return [];
  throw new Error(message(goKindOf(v)));
}

/** The element type of a slice value ("interface {}" for []interface{}). */
export function sliceElemType(v: unknown): string {
  const t = typeName(v);
  return t.startsWith("[]") ? t.slice(2) : "interface {}";
}

function isGoFuncShaped(x: unknown): boolean {
  return typeof x === "object" && x !== null && "signature" in x && "fn" in x;
}

/** reflect.DeepEqual on template values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeName(a) !== typeName(b)) return false;
  return deepValueEqual(a, b, new Set());
}

function deepValueEqual(a: unknown, b: unknown, seen: Set<object>): boolean {
  if (a === b) return typeof a !== "number" || !Number.isNaN(a);
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (typeName(a) !== typeName(b)) return false;
  switch (typeof a) {
    case "string":
      return sameGoString(a, b as string);
    case "number":
    case "bigint":
    case "boolean":
      return a === b;
    case "function":
      return false;
  }
  if (a instanceof JsonNumber) return a.text === (b as JsonNumber).text;
  if (a instanceof GoNil || b instanceof GoNil) return a instanceof GoNil && b instanceof GoNil;
  if (a instanceof GoTyped) {
    const x = a.value;
    const y = (b as GoTyped).value;
    return typeof x === "string" ? sameGoString(x, y as string) : x === y;
  }
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  if (a instanceof GoTime) {
    const t = b as GoTime;
    return a.ms === t.ms && a.nanos === t.nanos && a.offsetMinutes === t.offsetMinutes && a.zone === t.zone;
  }
  if (a instanceof GoChan) return false;
  const oa = a as object;
  if (seen.has(oa)) return true;
  seen.add(oa);
  try {
    if (Array.isArray(a)) {
      const y = b as unknown[];
      if (a.length !== y.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepElemEqual(a[i], y[i], seen)) return false;
      return true;
    }
    if (a instanceof GoStruct) {
      if (!(b instanceof GoStruct) || a.constructor !== b.constructor) return false;
      const ra = a as unknown as Record<string | symbol, unknown>;
      const rb = b as unknown as Record<string | symbol, unknown>;
      for (const k of Reflect.ownKeys(ra)) {
        if (k === "goType" || k === "goMethods" || k === "goFields" || k === "goUnexported") continue;
        if (typeof ra[k] === "function" || isGoFuncShaped(ra[k])) continue;
        if (!deepElemEqual(ra[k], rb[k], seen)) return false;
      }
      return true;
    }
    const ma = a as Record<string, unknown>;
    const mb = b as Record<string, unknown>;
    const ka = Object.keys(ma);
    if (ka.length !== Object.keys(mb).length) return false;
    for (const k of ka) {
      if (!Object.hasOwn(mb, k) || !deepElemEqual(ma[k], mb[k], seen)) return false;
    }
    return true;
  } finally {
    seen.delete(oa);
  }
}

/** Elements of interface{} containers compare by dynamic type first. */
function deepElemEqual(a: unknown, b: unknown, seen: Set<object>): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  return deepValueEqual(a, b, seen);
}
