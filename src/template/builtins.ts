/**
 * Go text/template's builtin functions (funcs.go semantics). Arguments arrive as raw template
 * values: `undefined` is Go's invalid reflect.Value, `null` a nil interface. A thrown Error's
 * message is the Go error text ("error calling index: …" is added by the executor).
 */
import { capacityOf, JsonNumber, setCapacity } from "../common/json.ts";
import { formatFloat, isStringKind, printAction, sprint, sprintf, sprintln } from "./fmt.ts";
import { compareUtf8, floatOf, intOf, isTrue, K, kindOf, stringOf, typeName, zeroValue } from "./gotype.ts";
import {
  canonicalGoString,
  encodeGoString,
  goByteAt,
  goByteLength,
  goByteSlice,
  sameGoString,
} from "./bytes.ts";
import { goInt } from "./number.ts";
import { isPrintRune } from "./quote.ts";
import type { Signature } from "./signature.ts";
import { parseSignature } from "./signature.ts";
import {
  elemTypeOf,
  type GoComplex,
  GoNil,
  GoStruct,
  GoTyped,
  goMapKey,
  keyTypeOf,
  typedSlice,
} from "./value.ts";

export interface Builtin {
  sig: Signature;
  fn: (...args: unknown[]) => unknown;
}

/** A nil interface becomes invalid; anything else is itself. */
function indirectInterface(v: unknown): unknown {
  return v === null ? undefined : v;
}

/** Follows pointers and interfaces; reports whether it ended at a nil. */
function isNilPtr(v: unknown): boolean {
  return v === null || (v instanceof GoNil && kindOf(v) === K.Ptr);
}

function length(v: unknown): bigint {
  if (v === undefined) throw new Error("reflect: call of reflect.Value.Type on zero Value");
  if (isNilPtr(v)) throw new Error("len of nil pointer");
  switch (kindOf(v)) {
    case K.String:
      return goInt(goByteLength(stringOf(v)));
    case K.Slice:
      return v instanceof GoNil ? 0n : goInt((v as unknown[]).length);
    case K.Map:
      return v instanceof GoNil ? 0n : goInt(Object.keys(v as object).length);
    case K.Chan:
      return 0n;
  }
  throw new Error(`len of type ${indirectTypeName(v)}`);
}

/** The type name after Go's indirect(): len and index look through a (non-nil) pointer first. */
function indirectTypeName(v: unknown): string {
  const t = typeName(v);
  return v instanceof GoStruct && t.startsWith("*") ? t.slice(1) : t;
}

/**
 * Stands, for slice, for an index whose static type is interface {} (a map's value, a range
 * element of []interface {}): Go's slice takes it as it is, of kind Interface, and so rejects it
 * whatever it holds (index looks through the interface first).
 */
export const INTERFACE_INDEX = Object.freeze({ interfaceIndex: true });

function indexArg(index: unknown, cap: number): number {
  if (index === INTERFACE_INDEX) throw new Error("cannot index slice/array with type interface {}");
  let x: bigint;
  const k = kindOf(index);
  if (k === K.Int) x = intOf(index);
  // Go converts with int64(index.Uint()), so a uint64 above MaxInt64 turns negative.
  else if (k === K.Uint) x = BigInt.asIntN(64, intOf(index));
  else if (index === undefined) throw new Error("cannot index slice/array with nil");
  else throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
  return Number(x);
}

/** The property an interface{} map keeps a key under (its %v text), or null if it cannot be a key. */
function interfaceKeyName(k: unknown): string | null {
  if (k === null || k === undefined) return "<nil>";
  switch (typeof k) {
    case "string":
      return k;
    case "boolean":
    case "bigint":
      return String(k);
    case "number":
      return formatFloat(k, "g", -1);
  }
  if (k instanceof GoTyped)
    return typeof k.value === "number" ? formatFloat(k.value, "g", -1) : String(k.value);
  return null;
}

function sameKey(stored: unknown, k: unknown): boolean {
  if (stored instanceof GoTyped)
    return k instanceof GoTyped && k.type === stored.type && k.value === stored.value;
  if (typeof stored === "number" && typeof k === "number") return stored === k;
  return stored === (k === undefined ? null : k);
}

function mapKey(index: unknown): string {
  if (index === undefined) throw new Error("value is nil; should be of type string");
  if (typeof index === "string") return index.isWellFormed() ? index : canonicalGoString(index);
  throw new Error(`value has type ${typeName(index)}; should be string`);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) throw new Error("index of untyped nil");
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    if (isNilPtr(item)) throw new Error("index of nil pointer");
    switch (kindOf(item)) {
      case K.String: {
        const s = stringOf(item);
        const n = goByteLength(s);
        const x = indexArg(idx, n);
        if (x === n) throw new Error(`reflect: string index out of range`);
        item = new GoTyped("uint8", BigInt(goByteAt(s, x)));
        break;
      }
      case K.Slice: {
        const a = item instanceof GoNil ? [] : (item as unknown[]);
        const x = indexArg(idx, a.length);
        if (x === a.length) throw new Error(`reflect: slice index out of range`);
        const e = a[x];
        item = e === undefined ? null : e;
        break;
      }
      case K.Map: {
        if (!(item instanceof GoNil) && keyTypeOf(item as object) !== "string") {
          // map[interface {}]…: any comparable key; found only with the same type and value.
          const m = item as Record<string, unknown>;
          const prop = interfaceKeyName(idx);
          item =
            prop !== null && Object.hasOwn(m, prop) && sameKey(goMapKey(m, prop), idx)
              ? (m[prop] ?? null)
              : null;
          break;
        }
        const key = mapKey(idx);
        if (item instanceof GoNil) {
          item = zeroValue(item.type.replace(/^map\[[^\]]*\]/, ""));
          break;
        }
        const m = item as Record<string, unknown>;
        item = Object.hasOwn(m, key) ? (m[key] ?? null) : zeroValue(elemTypeOf(m));
        break;
      }
      default:
        throw new Error(`can't index item of type ${indirectTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) throw new Error("slice of untyped nil");
  if (isNilPtr(item)) throw new Error("slice of nil pointer");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let len: number;
  let cap: number;
  let str: string | null = null;
  if (k === K.String) {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    str = stringOf(item);
    len = cap = goByteLength(str);
  } else if (k === K.Slice) {
    len = item instanceof GoNil ? 0 : (item as unknown[]).length;
    // Indexes may go up to the capacity, which a list decoded from JSON has to spare.
    cap = item instanceof GoNil ? 0 : capacityOf(item as unknown[]);
  } else throw new Error(`can't slice item of type ${indirectTypeName(item)}`); // Go 1.26 looks through the pointer first
  const idx = [0, len, cap];
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(indexes[i], cap);
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (str !== null) {
    const s = goByteSlice(str, idx[0], idx[1]);
    return item instanceof JsonNumber ? new JsonNumber(s) : s;
  }
  if (item instanceof GoNil) return item;
  const list = item as unknown[];
  const et = elemTypeOf(list);
  // The elements come from the backing array the list shares with the one it was sliced from, so
  // slicing past its length shows theirs; past every length, the zero values of spare capacity.
  const back = BACKING.get(list) ?? { base: list, offset: 0 };
  const from = back.offset + idx[0];
  const out = back.base.slice(from, Math.min(back.offset + idx[1], back.base.length));
  while (out.length < idx[1] - idx[0]) out.push(et === "interface {}" ? null : zeroValue(et));
  setCapacity(out, (indexes.length === 3 ? idx[2] : cap) - idx[0]);
  BACKING.set(out, { base: back.base, offset: from });
  return et === "interface {}" ? out : typedSlice(et, out);
}

/** The array a slice result shares with the list it was sliced from, and where it starts in it. */
const BACKING = new WeakMap<readonly unknown[], { base: readonly unknown[]; offset: number }>();

// --- comparison ---------------------------------------------------------------------------

const enum BK {
  Invalid,
  Bool,
  Complex,
  Int,
  Float,
  String,
  Uint,
}

function basicKind(v: unknown): BK {
  switch (kindOf(v)) {
    case K.Bool:
      return BK.Bool;
    case K.Int:
      return BK.Int;
    case K.Uint:
      return BK.Uint;
    case K.Float:
      return BK.Float;
    case K.Complex:
      return BK.Complex;
    case K.String:
      return BK.String;
  }
  return BK.Invalid;
}

function boolOf(v: unknown): boolean {
  return v instanceof GoTyped ? Boolean(v.value) : (v as boolean);
}

function isNilValue(v: unknown): boolean {
  return v === undefined || v === null || v instanceof GoNil;
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === BK.Int && k2 === BK.Uint) truth = intOf(arg1) >= 0n && intOf(arg1) === intOf(arg);
      else if (k1 === BK.Uint && k2 === BK.Int) truth = intOf(arg) >= 0n && intOf(arg1) === intOf(arg);
      else if (arg1 !== undefined && arg !== undefined) {
        throw new Error(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
      }
    } else {
      switch (k1) {
        case BK.Bool:
          truth = boolOf(arg1) === boolOf(arg);
          break;
        case BK.Complex:
          truth =
            (arg1 as GoComplex).re === (arg as GoComplex).re &&
            (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case BK.Float:
          truth = floatOf(arg1) === floatOf(arg);
          break;
        case BK.Int:
        case BK.Uint:
          truth = intOf(arg1) === intOf(arg);
          break;
        case BK.String:
          truth = sameGoString(stringOf(arg1), stringOf(arg));
          break;
        default: {
          const ka = kindOf(arg1);
          const kb = kindOf(arg);
          if (ka !== kb && arg1 !== undefined && arg !== undefined) {
            throw new Error(
              sprintf("non-comparable types %s: %v, %s: %v", [arg1, typeName(arg1), typeName(arg), arg]),
            );
          }
          if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg1) === isNilValue(arg);
          else {
            if (kb === K.Map || kb === K.Slice || kb === K.Func) {
              throw new Error(sprintf("non-comparable type %s: %v", [arg, typeName(arg)]));
            }
            truth = arg1 === arg;
          }
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === BK.Invalid) throw new Error("invalid type for comparison");
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === BK.Invalid) throw new Error("invalid type for comparison");
  if (k1 !== k2) {
    if (k1 === BK.Int && k2 === BK.Uint) return intOf(arg1) < 0n || intOf(arg1) < intOf(arg2);
    if (k1 === BK.Uint && k2 === BK.Int) return intOf(arg2) >= 0n && intOf(arg1) < intOf(arg2);
    throw new Error(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  }
  switch (k1) {
    case BK.Bool:
    case BK.Complex:
      throw new Error("invalid type for comparison");
    case BK.Float:
      return floatOf(arg1) < floatOf(arg2);
    case BK.String:
      return compareUtf8(stringOf(arg1), stringOf(arg2)) < 0;
    default:
      return intOf(arg1) < intOf(arg2);
  }
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

// --- escaping -----------------------------------------------------------------------------

/** evalArgs: Sprint of the arguments, pointers dereferenced as an action would print them. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  // fmt.Sprint of printableValue's results: a space between two operands when neither is a
  // string. A pointer to a struct is printed as the struct (still not a string); a nil argument is
  // an invalid reflect.Value, the string "<no value>".
  let s = "";
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let piece: string;
    let isString: boolean;
    if (a === undefined || a === null) {
      piece = "<no value>";
      isString = true;
    } else if (a instanceof GoStruct && a.goType.startsWith("*")) {
      piece = printAction(a) ?? sprint([a]);
      isString = false;
    } else {
      piece = sprint([a]);
      isString = isStringKind(a);
    }
    if (i > 0 && !isString && !prevString) s += " ";
    s += piece;
    prevString = isString;
  }
  return s;
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case "\0":
        return "\uFFFD";
      case '"':
        return "&#34;";
      case "'":
        return "&#39;";
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      default:
        return "&gt;";
    }
  });
}

/** text/template's JSEscapeString. */
function jsEscape(s: string): string {
  if (!s.isWellFormed()) s = canonicalGoString(s);
  let out = "";
  let run = 0; // start of the current run of characters kept as they are
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string;
    if (c < 0x20) rep = `\\u00${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (c < 0x80) {
      switch (c) {
        case 92:
          rep = "\\\\";
          break;
        case 39:
          rep = "\\'";
          break;
        case 34:
          rep = '\\"';
          break;
        case 60:
          rep = "\\u003C";
          break;
        case 62:
          rep = "\\u003E";
          break;
        case 38:
          rep = "\\u0026";
          break;
        case 61:
          rep = "\\u003D";
          break;
        default:
          continue;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      // An invalid byte decodes as U+FFFD, which is printable, so Go copies the byte through.
      continue;
    } else {
      const r = c >= 0xd800 && c <= 0xdbff ? (s.codePointAt(i) as number) : c;
      if (isPrintRune(r)) {
        if (r > 0xffff) i++;
        continue;
      }
      rep = `\\u${r.toString(16).toUpperCase().padStart(4, "0")}`;
      out += s.slice(run, i) + rep;
      if (r > 0xffff) i++;
      run = i + 1;
      continue;
    }
    out += s.slice(run, i) + rep;
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of encodeGoString(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 32) out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function make(sig: string, fn: (...args: never[]) => unknown): Builtin {
  return { sig: parseSignature(sig), fn: fn as (...args: unknown[]) => unknown };
}

const RV = "reflect.Value";

export const BUILTINS: Record<string, Builtin> = {
  and: make(`func(${RV}, ...${RV}) ${RV}`, () => undefined),
  or: make(`func(${RV}, ...${RV}) ${RV}`, () => undefined),
  call: make(`func(${RV}, ...${RV}) (${RV}, error)`, () => undefined),
  not: make(`func(${RV}) bool`, (v: unknown) => !isTrue(indirectInterface(v))),
  len: make(`func(${RV}) (int, error)`, length),
  index: make(`func(${RV}, ...${RV}) (${RV}, error)`, index),
  slice: make(`func(${RV}, ...${RV}) (${RV}, error)`, slice),
  print: make("func(...interface {}) string", (...a: unknown[]) => sprint(a)),
  printf: make("func(string, ...interface {}) string", (f: string, ...a: unknown[]) => sprintf(f, a)),
  println: make("func(...interface {}) string", (...a: unknown[]) => sprintln(a)),
  html: make("func(...interface {}) string", (...a: unknown[]) => htmlEscape(evalArgs(a))),
  js: make("func(...interface {}) string", (...a: unknown[]) => jsEscape(evalArgs(a))),
  urlquery: make("func(...interface {}) string", (...a: unknown[]) => queryEscape(evalArgs(a))),
  eq: make(`func(${RV}, ...${RV}) (bool, error)`, eq),
  ne: make(`func(${RV}, ${RV}) (bool, error)`, (a: unknown, b: unknown) => !eq(a, b)),
  lt: make(`func(${RV}, ${RV}) (bool, error)`, lt),
  le: make(`func(${RV}, ${RV}) (bool, error)`, le),
  gt: make(`func(${RV}, ${RV}) (bool, error)`, (a: unknown, b: unknown) => !le(a, b)),
  ge: make(`func(${RV}, ${RV}) (bool, error)`, (a: unknown, b: unknown) => !lt(a, b)),
};
