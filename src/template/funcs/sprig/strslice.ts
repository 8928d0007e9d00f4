/** Sprig's strslice (toStrings, join, sortAlpha): any list as []string, nil elements dropped. */
import { GoNil, typedSlice } from "../../value.ts";
import { K, kindOfType, typeName } from "../../gotype.ts";
import { strval } from "./convert.ts";

export function strslice(v: unknown): string[] {
  if (v === null || v === undefined) return typedSlice("string", []);
  if (v instanceof GoNil) {
    // A nil []string comes back as itself; any other nil slice is an empty []string.
    if (v.type === "[]string") return v as unknown as string[];
    if (kindOfType(v.type) === K.Slice) return typedSlice("string", []);
    return typedSlice("string", [strval(v)]);
  }
  if (Array.isArray(v)) {
    if (typeName(v) === "[]string") return v as string[];
    return typedSlice("string", v.filter((x) => x !== null && x !== undefined).map(strval));
  }
  return typedSlice("string", [strval(v)]);
}
