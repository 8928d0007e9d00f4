/**
 * How BurntSushi/toml's encoder sees a template value: the reflect kind it switches on, with the
 * engine's representation (../../value.ts) mapped back to Go's. The encoder (encode.ts) only
 * ever looks at values through `view`.
 */
import { JsonNumber } from "../../../common/json.ts";
import { K, kindOfType } from "../../gotype.ts";
import { exportedFields, GoChan, GoComplex, GoNil, GoStruct, GoTime, GoTyped } from "../../value.ts";
import { MARSHAL_AS_STRING, stringerOf } from "../sprig/convert.ts";
import { isInterfaceMap } from "../yaml/gomap.ts";

export type View =
  /** A nil interface or nil pointer: skipped as a map entry or field, refused in an array. */
  | { k: "nil" }
  | { k: "bool"; v: boolean }
  /** Any signed or unsigned integer kind, as its decimal text. */
  | { k: "int"; text: string }
  | { k: "float"; v: number; bits: 32 | 64 }
  | { k: "string"; v: string }
  /** json.Number: encoded as the integer or float it spells. */
  | { k: "number"; text: string }
  /** time.Time: checked before the TextMarshaler it also is, so it stays unquoted. */
  | { k: "time"; v: GoTime }
  /** A type with MarshalText (Sprig's semver.Version): a quoted string. */
  | { k: "text"; text: () => string }
  /** A slice; `nil` for a typed nil slice (skipped like nil, but encodes as [] on its own). */
  | { k: "slice"; items: readonly unknown[]; nil: boolean }
  /** A map; `stringKeys` false for yaml.v2's map[interface {}]interface {}. */
  | { k: "map"; m: Record<string, unknown>; stringKeys: boolean; nil: boolean }
  /** Exported fields in declaration order. */
  | { k: "struct"; fields: readonly string[]; of: Record<string, unknown> }
  /** A kind TOML cannot hold: reflect's name for it (chan, func, complex128, uintptr). */
  | { k: "unsupported"; kind: string };

const NIL: View = { k: "nil" };
const EMPTY: readonly unknown[] = [];

export function view(v: unknown): View {
  switch (typeof v) {
    case "undefined":
      return NIL;
    case "boolean":
      return { k: "bool", v };
    case "bigint":
      return { k: "int", text: v.toString() };
    case "number":
      return { k: "float", v, bits: 64 };
    case "string":
      return { k: "string", v };
    case "function":
      return { k: "unsupported", kind: "func" };
  }
  if (v === null) return NIL;
  if (Array.isArray(v)) return { k: "slice", items: v, nil: false };
  if (v instanceof JsonNumber) return { k: "number", text: v.text };
  if (v instanceof GoTime) return { k: "time", v };
  if (v instanceof GoStruct) return structView(v);
  if (v instanceof GoTyped) return typedView(v);
  if (v instanceof GoNil) return nilView(v.type);
  if (v instanceof GoComplex) return { k: "unsupported", kind: "complex128" };
  if (v instanceof GoChan) return { k: "unsupported", kind: "chan" };
  const m = v as Record<string, unknown>;
  return { k: "map", m, stringKeys: !isInterfaceMap(m), nil: false };
}

function structView(v: GoStruct): View {
  const stringer = stringerOf(v);
  if (stringer && (v as { [MARSHAL_AS_STRING]?: boolean })[MARSHAL_AS_STRING])
    return { k: "text", text: stringer };
  return { k: "struct", fields: exportedFields(v), of: v as unknown as Record<string, unknown> };
}

function typedView(v: GoTyped): View {
  if (v.type === "uintptr") return { k: "unsupported", kind: "uintptr" };
  switch (kindOfType(v.type)) {
    case K.Int:
    case K.Uint:
      return { k: "int", text: BigInt(v.value as bigint | number).toString() };
    case K.Float:
      return { k: "float", v: Number(v.value), bits: v.type === "float32" ? 32 : 64 };
    case K.Bool:
      return { k: "bool", v: v.value === true };
    case K.String:
      return v.type === "json.Number"
        ? { k: "number", text: String(v.value) }
        : { k: "string", v: String(v.value) };
    case K.Complex:
      return { k: "unsupported", kind: v.type };
    default:
      return { k: "unsupported", kind: String(v.type) };
  }
}

function nilView(type: string): View {
  switch (kindOfType(type)) {
    case K.Slice:
      return { k: "slice", items: EMPTY, nil: true };
    case K.Map:
      return { k: "map", m: {}, stringKeys: !type.startsWith("map[interface"), nil: true };
    case K.Chan:
      return { k: "unsupported", kind: "chan" };
    case K.Func:
      return { k: "unsupported", kind: "func" };
    default:
      return NIL;
  }
}

/** reflect's IsNil for the kinds that have it: such values are skipped, never written. */
export function isNil(x: View): boolean {
  return x.k === "nil" || ((x.k === "slice" || x.k === "map") && x.nil);
}
