/**
 * Consul Template's collection helpers: in/contains and the containsAll family (Go-kind
 * matching, json.Number never equals a string), explodeMap, mergeMap(WithOverride), loop (a
 * channel of int64), and the per-render scratch pad.
 */
import { sameGoString } from "../bytes.ts";
import { sprintf } from "../fmt.ts";
import { intOf, K, kindOf, sortedKeys, stringOf, typeName } from "../gotype.ts";
import { type FuncMap, GoChan, GoComplex, GoNil, GoStruct, GoTyped } from "../value.ts";
import { goContains } from "./gostrings.ts";
import { parseGoInt } from "./parse.ts";
import { empty } from "./sprig/convert.ts";

const ZERO_VALUE_TYPE = "reflect: call of reflect.Value.Type on zero Value";

function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

/** CT's `in(l, v)`: element matching by kind class; strings need the identical type. */
export function inList(l: unknown, v: unknown): boolean {
  const lk = kindOf(l);
  const vk = kindOf(v);
  if (lk === K.Slice) {
    if (l instanceof GoNil) return false;
    for (const e of l as unknown[]) {
      const ek = kindOf(e);
      if (ek === K.Int) {
        if (vk === K.Int && intOf(v) === intOf(e)) return true;
      } else if (ek === K.Float) {
        if (vk === K.Float && floatVal(v) === floatVal(e)) return true;
      } else if (ek === K.String) {
        if (isNil(v)) throw new Error(ZERO_VALUE_TYPE);
        if (typeName(v) === typeName(e) && sameGoString(stringOf(e), stringOf(v))) return true;
      }
    }
    return false;
  }
  if (lk === K.String) {
    if (isNil(v)) throw new Error(ZERO_VALUE_TYPE);
    return typeName(v) === typeName(l) && goContains(stringOf(l), stringOf(v));
  }
  return false;
}

function floatVal(v: unknown): number {
  return typeof v === "number" ? v : Number((v as GoTyped).value);
}

function containsSome(retTrue: boolean, invert: boolean) {
  return {
    signature: "func([]interface {}, interface {}) (bool, error)",
    fn: ((v: unknown[] | null, l: unknown) => {
      for (const x of v ?? []) {
        // inList throws only where Go's in() panics (a nil needle against strings); the
        // template reports that panic as this call's error, as Go's executor does.
        if (inList(l, x) !== invert) return !retTrue;
      }
      return retTrue;
    }) as never,
  };
}

function explodeHelper(m: Record<string, unknown>, k: string, v: unknown, p: string): void {
  const slash = k.indexOf("/");
  if (slash >= 0) {
    const top = k.slice(0, slash);
    const key = k.slice(slash + 1);
    if (!Object.hasOwn(m, top)) m[top] = Object.create(null);
    const nest = m[top];
    if (!isPlainMap(nest)) {
      throw new Error(
        `not a map: ${sprintf("%q", [p])}: ${sprintf("%q", [top])} already has value ${sprintf("%q", [nest])}`,
      );
    }
    explodeHelper(nest as Record<string, unknown>, key, v, k);
    return;
  }
  if (k !== "") m[k] = v;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return kindOf(v) === K.Map && !(v instanceof GoNil) && typeName(v) === "map[string]interface {}";
}

/**
 * mergo's isEmptyValue for the kinds template data holds: Sprig's empty() except for complex
 * numbers, which mergo has no case for (so even 0i is not empty).
 */
function isEmpty(v: unknown): boolean {
  return !(v instanceof GoComplex) && empty(v);
}

/**
 * mergo.Map(&dst, src[, WithOverride]) on map[string]interface{}: nested maps merge, other keys
 * fill gaps (or, with override, non-empty src values win). Unlike Go we merge into a copy: the
 * destination is often a secret's Data map that other templates share.
 */
function merge(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  override: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(dst)) out[k] = dst[k];
  for (const k of Object.keys(src)) {
    const sv = src[k];
    if (!Object.hasOwn(out, k)) {
      out[k] = sv;
      continue;
    }
    const dv = out[k];
    if (isPlainMap(dv) && isPlainMap(sv)) out[k] = merge(dv, sv, override);
    else if (override ? !isEmpty(sv) : isEmpty(dv)) out[k] = sv;
  }
  return out;
}

/** loop reads a string bound with CT's parseInt helper: "" is 0, errors carry its name. */
function ctParseInt(s: string): bigint {
  if (s === "") return 0n;
  try {
    return parseGoInt(s);
  } catch (e) {
    throw new Error(`parseInt: ${(e as Error).message}`);
  }
}

function toInt64(v: unknown): bigint {
  const k = kindOf(v);
  if (k === K.Int) return intOf(v);
  if (k === K.Uint) return BigInt.asIntN(64, intOf(v));
  if (k === K.String) return ctParseInt(stringOf(v));
  throw new Error(`loop: bad argument type: ${isNil(v) ? "<nil>" : typeName(v)}`);
}

/**
 * Consul Template's *template.Scratch. Its field `values` is unexported: reading it from a
 * template fails as in Go, encoders skip it, and fmt prints it, as a Go map[string]interface {}
 * (a null-prototype object). CT's struct also holds a sync.Once and a sync.RWMutex, which fmt
 * would print as well; they are left out, as their layout is the Go runtime's own (so printing a
 * whole Scratch, which no template has a reason to do, differs from CT).
 */
class Scratch extends GoStruct {
  readonly goType = "*template.Scratch";
  override readonly goFields = ["values"] as const;
  override readonly goUnexported = ["values"] as const;
  override readonly goMethods = ["Key", "Get", "Set", "SetX", "MapSet", "MapSetX", "MapValues"] as const;
  private readonly values: Record<string, unknown> = Object.create(null);

  readonly Key = {
    signature: "func(string) bool",
    fn: ((k: string) => Object.hasOwn(this.values, k)) as never,
  };
  readonly Get = {
    signature: "func(string) interface {}",
    fn: ((k: string) => (Object.hasOwn(this.values, k) ? this.values[k] : null)) as never,
  };
  readonly Set = {
    signature: "func(string, interface {}) string",
    fn: ((k: string, v: unknown) => {
      this.values[k] = v;
      return "";
    }) as never,
  };
  readonly SetX = {
    signature: "func(string, interface {}) string",
    fn: ((k: string, v: unknown) => {
      if (!Object.hasOwn(this.values, k)) this.values[k] = v;
      return "";
    }) as never,
  };
  readonly MapSet = {
    signature: "func(string, string, interface {}) (string, error)",
    fn: ((k: string, mk: string, v: unknown) => this.mapSet(k, mk, v, true)) as never,
  };
  readonly MapSetX = {
    signature: "func(string, string, interface {}) (string, error)",
    fn: ((k: string, mk: string, v: unknown) => this.mapSet(k, mk, v, false)) as never,
  };
  readonly MapValues = {
    signature: "func(string) ([]interface {}, error)",
    fn: ((k: string) => {
      const m = this.values[k];
      if (!Object.hasOwn(this.values, k) || !isPlainMap(m)) return null;
      return sortedKeys(m).map((key) => m[key]);
    }) as never,
  };

  private mapSet(k: string, mk: string, v: unknown, overwrite: boolean): string {
    if (!Object.hasOwn(this.values, k)) this.values[k] = Object.create(null);
    const m = this.values[k];
    if (!isPlainMap(m)) throw new Error(`${sprintf("%q", [k])} is not a map`);
    if (overwrite || !Object.hasOwn(m, mk)) m[mk] = v;
    return "";
  }
}

export function collectionFuncs(perRender: Map<string, unknown>): FuncMap {
  return {
    contains: {
      signature: "func(interface {}, interface {}) (bool, error)",
      fn: ((v: unknown, l: unknown) => inList(l, v)) as never,
    },
    in: {
      signature: "func(interface {}, interface {}) (bool, error)",
      fn: ((l: unknown, v: unknown) => inList(l, v)) as never,
    },
    containsAll: containsSome(true, true),
    containsAny: containsSome(false, false),
    containsNone: containsSome(true, false),
    containsNotAll: containsSome(false, true),
    explodeMap: {
      signature: "func(map[string]interface {}) (map[string]interface {}, error)",
      fn: ((m: Record<string, unknown> | null) => {
        const out: Record<string, unknown> = Object.create(null);
        if (!m) return out;
        for (const k of sortedKeys(m)) {
          try {
            explodeHelper(out, k, m[k], k);
          } catch (e) {
            throw new Error(`explodeMap: ${(e as Error).message}`);
          }
        }
        return out;
      }) as never,
    },
    mergeMap: {
      signature:
        "func(map[string]interface {}, map[string]interface {}, ...func(*mergo.Config)) (map[string]interface {}, error)",
      fn: ((dst: Record<string, unknown> | null, src: Record<string, unknown> | null) =>
        merge(dst ?? Object.create(null), src ?? Object.create(null), false)) as never,
    },
    mergeMapWithOverride: {
      signature: "func(map[string]interface {}, map[string]interface {}) (map[string]interface {}, error)",
      fn: ((dst: Record<string, unknown> | null, src: Record<string, unknown> | null) =>
        merge(dst ?? Object.create(null), src ?? Object.create(null), true)) as never,
    },
    loop: {
      signature: "func(...interface {}) (<-chan int64, error)",
      fn: ((...a: unknown[]) => {
        if (a.length < 1 || a.length > 2) {
          throw new Error(`loop: wrong number of arguments, expected 1 or 2, but got ${a.length}`);
        }
        const start = a.length === 2 ? toInt64(a[0]) : 0n;
        const stop = toInt64(a[a.length - 1]);
        return new GoChan("int64", function* () {
          for (let i = start; i < stop; i++) yield new GoTyped("int64", i);
        });
      }) as never,
    },
    scratch: {
      signature: "func() *template.Scratch",
      fn: (() => {
        let s = perRender.get("scratch") as Scratch | undefined;
        if (!s) {
          s = new Scratch();
          perRender.set("scratch", s);
        }
        return s;
      }) as never,
    },
  };
}
