/**
 * Sprig's dict functions (dict.go), merge/mergeOverwrite with the semantics of dario.cat/mergo
 * 1.0 (what Consul Template links), deepCopy as mitchellh/copystructure copies, and dig.
 *
 * Go iterates maps in random order; `keys` and `values` here use the sorted key order, one of
 * the orders Go can produce.
 */
import { JsonNumber } from "../../../common/json.ts";
import { sortedKeys, typeName } from "../../gotype.ts";
import { elemTypeOf, GoNil, GoStruct, GoTime, typedMap, typedNil, typedSlice } from "../../value.ts";
import { DEEP_COPY, goKindOf, goTypeOf, strval } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";

type Dict = Record<string, unknown>;

const MAP = "map[string]interface {}";

function newDict(): Dict {
  return Object.create(null);
}

function get(d: Dict | null, key: string): unknown {
  return d && Object.hasOwn(d, key) ? d[key] : "";
}

function set(d: Dict | null, key: string, value: unknown): Dict {
  if (d === null) throw new Error("assignment to entry in nil map");
  d[key] = value;
  return d;
}

function unset(d: Dict | null, key: string): Dict | null {
  if (d) delete d[key];
  return d;
}

function dict(...v: unknown[]): Dict {
  const out = newDict();
  for (let i = 0; i < v.length; i += 2)
    out[strval(v[i] === undefined ? null : v[i])] = i + 1 < v.length ? v[i + 1] : "";
  return out;
}

// --- mergo ---------------------------------------------------------------------------------------

const ERR_TYPES = "src and dst must be of same type";

/** mergo's isEmptyValue for a map element, looking through the interface (and pointers). */
function isEmptyElem(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof GoNil) return true;
  switch (goKindOf(v)) {
    case "string":
      return strval(v) === "";
    case "slice":
      return (v as unknown[]).length === 0;
    case "map":
      for (const _ in v as object) return false;
      return true;
    case "bool":
      return v === false;
    case "struct":
    case "ptr":
    case "chan":
    case "func":
    case "complex128":
    case "complex64":
      return false;
  }
  if (typeof v === "bigint") return v === 0n;
  if (typeof v === "number") return v === 0;
  const x = (v as { value?: unknown }).value;
  return x === 0 || x === 0n || x === false;
}

function isMap(v: unknown): v is Dict | GoNil {
  return goKindOf(v) === "map";
}

/**
 * mergo's deepMerge for a value reached through a map element: it cannot be replaced, only merged
 * into (maps in place; a pointed-to struct is overwritten when overwriting).
 */
function mergeNested(dst: unknown, src: unknown, overwrite: boolean): void {
  const dk = dst === undefined ? "invalid" : goKindOf(dst);
  if (dk === "map") {
    if (dst instanceof GoNil || !isMap(src) || src instanceof GoNil) return;
    mergeInto(dst as Dict, src as Dict, overwrite);
    return;
  }
  if (dk === "ptr" && !(dst instanceof GoNil)) {
    if (src instanceof GoNil) return;
    const sk = goKindOf(src);
    if (sk === "ptr") {
      if (overwrite && dst instanceof GoStruct && src instanceof GoStruct && dst.goType === src.goType) {
        // mergo sets *dst = *src: the pointed-to value changes for every holder of the pointer.
        for (const k of Reflect.ownKeys(src)) {
          (dst as unknown as Record<string | symbol, unknown>)[k] = (
            src as unknown as Record<string | symbol, unknown>
          )[k];
        }
      }
      return;
    }
    if (overwrite) return;
    // A non-pointer source must be the pointer's element type.
    if (!(src instanceof GoStruct) || `*${src.goType}` !== (dst as GoStruct).goType)
      throw new Error(ERR_TYPES);
    return;
  }
}

/** mergo's map case: merges src's entries into dst (a map value) in place. */
function mergeInto(dst: Dict, src: Dict, overwrite: boolean): void {
  const dstElem = elemTypeOf(dst);
  const srcElem = elemTypeOf(src);
  const put = (key: string, v: unknown, from: string) => {
    if (dstElem !== "interface {}" && from !== dstElem) {
      throw new Error(
        `reflect.Value.SetMapIndex: value of type ${from} is not assignable to type ${dstElem}`,
      );
    }
    dst[key] = v;
  };
  for (const key of sortedKeys(src)) {
    const s = src[key];
    const has = Object.hasOwn(dst, key);
    const d = has ? dst[key] : undefined;
    if (s === null || s === undefined) {
      if (overwrite) put(key, null, srcElem);
      continue;
    }
    const sk = goKindOf(s);
    if (sk === "struct" || sk === "ptr" || sk === "map") {
      mergeNested(d, s, overwrite);
    } else if (sk === "slice") {
      const parentEmpty = Object.keys(dst).length === 0;
      let next: unknown = !has || d === null ? typedSlice(typeName(s).slice(2), []) : d;
      if (overwrite || parentEmpty) next = s;
      put(key, next, srcElem);
    }
    if (has && !isEmptyElem(d)) {
      if (sk === "slice") continue;
      if (sk === "map" && isMap(d)) continue;
    }
    if (overwrite || !has || isEmptyElem(d)) put(key, s, srcElem);
  }
}

/** Sprig's merge/mergeOverwrite: merges every src into dst (a nil dst becomes a new map). */
function mergeAll(dst: Dict | null, srcs: (Dict | null)[], overwrite: boolean): Dict | GoNil {
  let out: Dict | null = dst;
  for (const src of srcs) {
    if (out === null) {
      if (src === null) continue;
      out = newDict();
    }
    if (src !== null) mergeInto(out, src, overwrite);
  }
  return out ?? typedNil(MAP);
}

function merge(overwrite: boolean, must: boolean) {
  return (dst: Dict | null, ...srcs: (Dict | null)[]) => {
    try {
      return mergeAll(dst, srcs, overwrite);
    } catch (e) {
      // Sprig swallows mergo's errors in the non-must forms (a reflect panic still fails).
      if (!must && (e as Error).message === ERR_TYPES) return "";
      throw e;
    }
  };
}

// --- copystructure ---------------------------------------------------------------------------------

/** copystructure.Copy: maps, slices and structs copied all the way down, types kept. */
function deepCopy(v: unknown): unknown {
  if (v === null || v === undefined) throw new Error("reflect: call of reflect.Value.Type on zero Value");
  return copyValue(v);
}

function copyValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof JsonNumber || v instanceof GoNil || v instanceof GoTime) return v;
  if (Array.isArray(v)) return typedSlice(elemTypeOf(v), v.map(copyValue));
  if (v instanceof GoStruct) {
    const own = (v as unknown as { [DEEP_COPY]?: () => unknown })[DEEP_COPY];
    if (own) return own.call(v);
    const copy = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) copy[k] = copyValue(x);
    return copy;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return v;
  const out: Dict = Object.create(null);
  for (const [k, x] of Object.entries(v as Dict)) out[k] = copyValue(x);
  const elem = elemTypeOf(v);
  return elem === "interface {}" ? out : typedMap(elem, out);
}

// --- dig ---------------------------------------------------------------------------------------------

function assertion(v: unknown, want: string): Error {
  const got = v === null || v === undefined ? "nil" : goTypeOf(v);
  return new Error(`interface conversion: interface {} is ${got}, not ${want}`);
}

function asDict(v: unknown): Dict | null {
  if (v instanceof GoNil && v.type === MAP) return null;
  if (v === null || v === undefined || typeName(v) !== MAP) throw assertion(v, MAP);
  return v as Dict;
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error("dig needs at least three arguments");
  let d = asDict(ps[ps.length - 1]);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== "string") throw assertion(k, "string");
    return k;
  });
  for (let i = 0; ; i++) {
    const k = keys[i]!;
    if (d === null || !Object.hasOwn(d, k)) return def;
    const step = d[k];
    if (i === keys.length - 1) return step;
    d = asDict(step);
  }
}

export function dictFuncs(): Record<string, Fn> {
  const M = MAP;
  return {
    dict: fn(`func(...interface {}) ${M}`, dict),
    get: fn(`func(${M}, string) interface {}`, get),
    set: fn(`func(${M}, string, interface {}) ${M}`, set),
    unset: fn(`func(${M}, string) ${M}`, unset),
    hasKey: fn(`func(${M}, string) bool`, (d: Dict | null, k: string) => d !== null && Object.hasOwn(d, k)),
    pluck: fn(`func(string, ...${M}) []interface {}`, (key: string, ...ds: (Dict | null)[]) =>
      ds.filter((d) => d !== null && Object.hasOwn(d, key)).map((d) => d![key]),
    ),
    keys: fn(`func(...${M}) []string`, (...ds: (Dict | null)[]) =>
      typedSlice(
        "string",
        ds.flatMap((d) => (d ? sortedKeys(d) : [])),
      ),
    ),
    pick: fn(`func(${M}, ...string) ${M}`, (d: Dict | null, ...keys: string[]) => {
      const out = newDict();
      for (const k of keys) if (d && Object.hasOwn(d, k)) out[k] = d[k];
      return out;
    }),
    omit: fn(`func(${M}, ...string) ${M}`, (d: Dict | null, ...keys: string[]) => {
      const out = newDict();
      const drop = new Set(keys);
      for (const k of d ? Object.keys(d) : []) if (!drop.has(k)) out[k] = d![k];
      return out;
    }),
    values: fn(`func(${M}) []interface {}`, (d: Dict | null) => (d ? sortedKeys(d).map((k) => d[k]) : [])),
    merge: fn(`func(${M}, ...${M}) interface {}`, merge(false, false)),
    mustMerge: fn(`func(${M}, ...${M}) (interface {}, error)`, merge(false, true)),
    mergeOverwrite: fn(`func(${M}, ...${M}) interface {}`, merge(true, false)),
    mustMergeOverwrite: fn(`func(${M}, ...${M}) (interface {}, error)`, merge(true, true)),
    deepCopy: fn("func(interface {}) interface {}", deepCopy),
    mustDeepCopy: fn("func(interface {}) (interface {}, error)", deepCopy),
    dig: fn("func(...interface {}) (interface {}, error)", dig),
  };
}
