/**
 * Sprig's list functions (list.go). Each non-must form panics with the error its must form
 * returns; text/template reports both as "error calling NAME: <message>". A nil list argument
 * panics in Go (reflect.TypeOf(nil).Kind()), so it fails the same way here.
 */
import { compareGoStrings } from "../../bytes.ts";
import { GoNil, typedNil, typedSlice } from "../../value.ts";
import {
  deepEqual,
  empty,
  floatToInt64,
  goKindOf,
  NIL_DEREF,
  sliceElemType,
  sliceItems,
  strval,
  toInt64,
} from "./convert.ts";
import { type Fn, fn } from "./fn.ts";
import { strslice } from "./strslice.ts";

const MAKESLICE = "runtime error: makeslice: len out of range";

function inList(haystack: unknown[], needle: unknown): boolean {
  return haystack.some((h) => deepEqual(needle, h));
}

/** Defines NAME and mustNAME from one body (the must form returns the error, the other panics). */
function pair(
  name: string,
  mustName: string,
  params: string,
  result: string,
  body: (...args: never[]) => unknown,
): Record<string, Fn> {
  return {
    [name]: fn(`func(${params}) ${result}`, body),
    [mustName]: fn(`func(${params}) (${result}, error)`, body),
  };
}

function push(list: unknown, v: unknown): unknown[] {
  return [...sliceItems(list, (k) => `Cannot push on type ${k}`), v];
}

function prepend(list: unknown, v: unknown): unknown[] {
  return [v, ...sliceItems(list, (k) => `Cannot prepend on type ${k}`)];
}

function chunk(size: bigint, list: unknown): unknown[][] {
  const items = sliceItems(list, (k) => `Cannot chunk type ${k}`);
  const l = items.length;
  const sz = Number(size);
  const cs = floatToInt64(Math.floor((l - 1) / sz) + 1);
  if (cs < 0n || cs > BigInt(2 ** 32)) throw new Error(MAKESLICE);
  const out: unknown[][] = [];
  for (let i = 0; i < Number(cs); i++) {
    let clen = sz;
    if (i === Number(cs) - 1) {
      clen = Number(floatToInt64(Math.floor(l % sz)));
      if (clen === 0) clen = sz;
    }
    if (clen < 0) throw new Error(MAKESLICE);
    const part: unknown[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * sz + j;
      if (ix >= l) throw new Error("reflect: slice index out of range");
      part.push(items[ix]);
    }
    out.push(part);
  }
  return typedSlice("[]interface {}", out);
}

function first(list: unknown): unknown {
  const items = sliceItems(list, (k) => `Cannot find first on type ${k}`);
  return items.length === 0 ? null : items[0];
}

function last(list: unknown): unknown {
  const items = sliceItems(list, (k) => `Cannot find last on type ${k}`);
  return items.length === 0 ? null : items[items.length - 1];
}

function rest(list: unknown): unknown[] | null {
  const items = sliceItems(list, (k) => `Cannot find rest on type ${k}`);
  return items.length === 0 ? null : items.slice(1);
}

function initial(list: unknown): unknown[] | null {
  const items = sliceItems(list, (k) => `Cannot find initial on type ${k}`);
  return items.length === 0 ? null : items.slice(0, -1);
}

function reverse(list: unknown): unknown[] {
  return [...sliceItems(list, (k) => `Cannot find reverse on type ${k}`)].reverse();
}

function compact(list: unknown): unknown[] {
  return sliceItems(list, (k) => `Cannot compact on type ${k}`).filter((x) => !empty(x));
}

function uniq(list: unknown): unknown[] {
  const out: unknown[] = [];
  for (const x of sliceItems(list, (k) => `Cannot find uniq on type ${k}`)) if (!inList(out, x)) out.push(x);
  return out;
}

function without(list: unknown, ...omit: unknown[]): unknown[] {
  return sliceItems(list, (k) => `Cannot find without on type ${k}`).filter((x) => !inList(omit, x));
}

function has(needle: unknown, haystack: unknown): boolean {
  if (haystack === null || haystack === undefined) return false;
  return inList(
    sliceItems(haystack, (k) => `Cannot find has on type ${k}`),
    needle,
  );
}

function slice(list: unknown, ...indices: unknown[]): unknown {
  const items = sliceItems(list, (k) => `list should be type of slice or array but ${k}`);
  const l = items.length;
  if (l === 0) return null;
  const start = indices.length > 0 ? toInt64(indices[0]) : 0n;
  const end = indices.length < 2 ? BigInt(l) : toInt64(indices[1]);
  if (start < 0n || start > end || end > BigInt(l)) {
    throw new Error("reflect.Value.Slice: slice index out of bounds");
  }
  const part = items.slice(Number(start), Number(end));
  // The result keeps the list's type ([]string stays []string).
  return typedSlice(sliceElemType(list), part);
}

function concat(...lists: unknown[]): unknown {
  const out: unknown[] = [];
  for (const l of lists) {
    if (l === null || l === undefined) throw new Error(NIL_DEREF);
    if (Array.isArray(l)) out.push(...l);
    else if (!(l instanceof GoNil && goKindOf(l) === "slice"))
      throw new Error(`Cannot concat type ${goKindOf(l)} as list`);
  }
  return out.length === 0 ? typedNil("[]interface {}") : out;
}

/** sortAlpha: a list sorted by bytes as []string (a []string argument is sorted in place, as in Go). */
function sortAlpha(list: unknown): string[] {
  const k = goKindOf(list);
  if (k === "slice") {
    const a = strslice(list);
    if (Array.isArray(a)) a.sort(compareGoStrings);
    return a;
  }
  return typedSlice("string", [strval(list === undefined ? null : list)]);
}

export function listFuncs(): Record<string, Fn> {
  const I = "interface {}";
  return {
    list: fn("func(...interface {}) []interface {}", (...a: unknown[]) => a),
    tuple: fn("func(...interface {}) []interface {}", (...a: unknown[]) => a),
    ...pair("append", "mustAppend", `${I}, ${I}`, "[]interface {}", push),
    ...pair("push", "mustPush", `${I}, ${I}`, "[]interface {}", push),
    ...pair("prepend", "mustPrepend", `${I}, ${I}`, "[]interface {}", prepend),
    ...pair("chunk", "mustChunk", `int, ${I}`, "[][]interface {}", chunk),
    ...pair("first", "mustFirst", I, I, first),
    ...pair("last", "mustLast", I, I, last),
    ...pair("rest", "mustRest", I, "[]interface {}", rest),
    ...pair("initial", "mustInitial", I, "[]interface {}", initial),
    ...pair("reverse", "mustReverse", I, "[]interface {}", reverse),
    ...pair("compact", "mustCompact", I, "[]interface {}", compact),
    ...pair("uniq", "mustUniq", I, "[]interface {}", uniq),
    ...pair("without", "mustWithout", `${I}, ...${I}`, "[]interface {}", without),
    ...pair("has", "mustHas", `${I}, ${I}`, "bool", has),
    ...pair("slice", "mustSlice", `${I}, ...${I}`, I, slice),
    concat: fn("func(...interface {}) interface {}", concat),
    sortAlpha: fn("func(interface {}) []string", sortAlpha),
  };
}
