/**
 * How Go values are represented in the template engine. Shared contract between the Go
 * text/template core (lexer/parser/exec/fmt) and the Consul Template function library.
 *
 *   Go                         JS
 *   ------------------------   -------------------------------------------------------------
 *   nil                        null  (undefined is never a template value; treat as null)
 *   bool                       boolean
 *   int (and untyped int)      bigint                          — `1` in a template is int
 *   float64                    number                          — `1.0` is float64
 *   string                     string (JS string; len/index/slice act on its UTF-8 bytes)
 *   json.Number                JsonNumber (src/common/json.ts) — numbers decoded from Vault
 *   []interface{}              Array
 *   []string, []int, …         Array tagged with typedSlice(elemType, arr)
 *   map[string]interface{}     plain object (Object.create(null) or {}), keys iterated sorted
 *   map[string]string          object tagged with typedMap("string", obj)
 *   map[interface{}]interface{} object tagged with a key type (parseYAML; see keyTypeOf)
 *   struct / *struct           an instance of a class extending GoStruct (fields = properties,
 *                              methods listed in `goMethods`)
 *   time.Time                  GoTime
 *   other typed scalars        GoTyped { type: "int64" | "uint" | "float32" | …, value }
 *
 * Functions are registered with a Go signature so the executor can apply Go's calling rules
 * (no implicit conversions; interface{} accepts anything; a trailing `error` result aborts
 * execution with that error). See GoFunc.
 */
import { JsonNumber } from "../common/json.ts";

export { JsonNumber };

const ELEM = Symbol.for("vaultrun.goElemType");

/** Tags an array as a typed Go slice ([]string etc.). Returns the same array. */
export function typedSlice<T>(elemType: string, arr: T[]): T[] {
  Object.defineProperty(arr, ELEM, { value: elemType, enumerable: false, configurable: true });
  return arr;
}

/** Tags an object as a typed Go map with string keys (map[string]<elemType>). */
export function typedMap<T extends object>(elemType: string, obj: T): T {
  Object.defineProperty(obj, ELEM, { value: elemType, enumerable: false, configurable: true });
  return obj;
}

const KEY_TYPE = Symbol.for("vaultrun.goKeyType");
const MAP_KEYS = Symbol.for("vaultrun.goMapKeys");

/**
 * The key type of a map: "string" unless tagged. parseYAML's maps are map[interface {}]interface {}
 * (funcs/yaml/gomap.ts); their keys that are not strings live in a side table.
 */
export function keyTypeOf(m: object): string {
  return (m as Record<symbol, string>)[KEY_TYPE] ?? "string";
}

/** The Go key stored under a map property: the property itself unless the map records another. */
export function goMapKey(m: object, prop: string): unknown {
  const keys = (m as Record<symbol, Map<string, unknown> | undefined>)[MAP_KEYS];
  if (keys === undefined) return prop;
  const k = keys.get(prop);
  return k === undefined ? prop : k;
}

/** The element type of a typed slice or map, or "interface {}" when untagged. */
export function elemTypeOf(v: object): string {
  return (v as Record<symbol, string>)[ELEM] ?? "interface {}";
}

/** Base class of Go structs exposed to templates. */
export abstract class GoStruct {
  /** Go type name used in error messages, e.g. "*dependency.Secret". A leading "*" makes it a pointer. */
  abstract readonly goType: string;
  /**
   * Names of exported methods callable from templates. A method is either a GoFunc-shaped property
   * ({ signature, fn }) or a plain JS function (then called as "func(...interface {}) (interface {}, error)").
   */
  readonly goMethods?: readonly string[];
  /**
   * Field names in declaration order, unexported ones included (fmt prints them all: `{a b}`);
   * default: own enumerable data properties. Templates read only these fields — never a JS
   * property such as constructor or __proto__.
   */
  readonly goFields?: readonly string[];
  /**
   * The goFields that are unexported in Go: fmt prints them, but a template reading one fails
   * ("x is an unexported field of struct type T") and encoders (JSON, YAML, TOML) skip them.
   */
  readonly goUnexported?: readonly string[];
}

/** The fields of struct types a template can meet as typed nil pointers, by pointer type. */
const FIELDS_BY_TYPE = new Map<string, readonly string[]>();

/** Declares the fields of the struct that Go type `pointerType` ("*pkg.T") points to. */
export function registerStructFields(pointerType: string, fields: readonly string[]): void {
  FIELDS_BY_TYPE.set(pointerType, fields);
}

/** The fields of the struct a pointer type points to, if registered. */
export function fieldsOfType(pointerType: string): readonly string[] | undefined {
  return FIELDS_BY_TYPE.get(pointerType);
}

/** Properties of every GoStruct that describe it rather than being Go fields. */
const STRUCT_META = new Set(["goType", "goMethods", "goFields", "goUnexported"]);

/** Field names of a struct in declaration order (unexported ones included). */
export function structFields(s: GoStruct): readonly string[] {
  if (s.goFields) return s.goFields;
  return Object.keys(s).filter((k) => !STRUCT_META.has(k) && typeof (s as never)[k] !== "function");
}

/** The exported fields of a struct, in declaration order (what encoding/json and yaml see). */
export function exportedFields(s: GoStruct): readonly string[] {
  const fields = structFields(s);
  const hidden = s.goUnexported;
  return hidden ? fields.filter((f) => !hidden.includes(f)) : fields;
}

/**
 * A typed nil: nil pointer, map, slice, chan or func of a known Go type ("*dependency.SecretAuth",
 * "map[string]interface {}", "[]string"). Plain `null` is an untyped nil interface.
 */
export class GoNil {
  constructor(readonly type: string) {}
}

export function typedNil(type: string): GoNil {
  return new GoNil(type);
}

/** complex128 (template literals like 1+2i). */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** A receive-only channel (Consul Template's `loop` returns <-chan int64): range-able only. */
export class GoChan {
  constructor(
    readonly elemType: string,
    readonly values: () => Iterable<unknown>,
  ) {}
}

/** A Go scalar of a specific named/sized type that is not int/float64/string/bool. */
export class GoTyped {
  constructor(
    readonly type: string,
    readonly value: bigint | number | string | boolean,
  ) {}
}

/** time.Time (as returned by sprig/now functions); ms since epoch plus a zone offset. */
export class GoTime extends GoStruct {
  readonly goType = "time.Time";
  /** time.Time's fields are all unexported: a template can read none of them (ms is ours). */
  override readonly goFields: readonly string[] = [];
  constructor(
    readonly ms: number,
    readonly nanos = 0,
    readonly offsetMinutes = 0,
    readonly zone = "UTC",
  ) {
    super();
  }
}

export type GoValue = null | boolean | bigint | number | string | JsonNumber | GoValue[] | object;

/**
 * A registered template function. `signature` is Go syntax without the name, e.g.
 * "func(string, ...interface {}) (string, error)". `fn` receives arguments already checked and
 * converted per that signature and returns the (first) result; it throws to return a Go error
 * (the thrown Error's message is the Go error text).
 */
export interface GoFunc {
  signature: string;
  fn: (...args: never[]) => unknown;
}

export type FuncMap = Record<string, GoFunc>;
