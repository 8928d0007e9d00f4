/** Sprig's string functions (strings.go and the string entries of functions.go). */
import { fromByteString, goByteLength, toByteString } from "../../bytes.ts";
import { sprintf } from "../../fmt.ts";
import { typedMap, typedSlice } from "../../value.ts";
import {
  goContains,
  goReplaceAll,
  goSplit,
  goToLower,
  goToUpper,
  goTrim,
  goTrimPrefix,
  goTrimSpace,
  goTrimSuffix,
} from "../gostrings.ts";
import { type Fn, fn } from "./fn.ts";
import { sliceBounds } from "./panics.ts";
import { strslice } from "./strslice.ts";
import { strval } from "./convert.ts";
import {
  abbreviateFull,
  camelCaseToLowerCase,
  deleteWhiteSpace,
  initials,
  shuffle,
  stringsTitle,
  swapCase,
  toPascalCase,
  uncapitalize,
  wrapCustom,
} from "./textcase.ts";

const S = "func(string) string";
const SS = "func(string, string) string";

/** The longest string a JS engine builds; Go would fail to allocate long before a template needs more. */
const MAX_STRING = 2 ** 29;

/** strings.Repeat, with Go's panics. */
export function goRepeat(s: string, count: number | bigint): string {
  const n = BigInt(count);
  if (n < 0n) throw new Error("strings: negative Repeat count");
  if (n === 0n || s === "") return "";
  if (BigInt(goByteLength(s)) * n > BigInt(MAX_STRING)) {
    throw new Error("runtime error: makeslice: len out of range");
  }
  return s.repeat(Number(n));
}

function hasPrefix(s: string, p: string): boolean {
  return toByteString(s).startsWith(toByteString(p));
}

function hasSuffix(s: string, x: string): boolean {
  if (x === "") return true;
  return toByteString(s).endsWith(toByteString(x));
}

function indent(spaces: bigint, v: string): string {
  const pad = goRepeat(" ", spaces);
  return pad + goReplaceAll(v, "\n", `\n${pad}`);
}

/** strings.SplitN: n == 0 gives nothing, n < 0 everything, else at most n pieces. */
function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const all = goSplit(s, sep);
  if (n < 0 || all.length <= n) return all;
  const head = all.slice(0, n - 1);
  if (sep === "") {
    const used = head.reduce((k, p) => k + goByteLength(p), 0);
    return [...head, fromByteString(toByteString(s).slice(used))];
  }
  const joinedHead = head.reduce((k, p) => k + goByteLength(p) + goByteLength(sep), 0);
  return [...head, fromByteString(toByteString(s).slice(joinedHead))];
}

function indexedMap(parts: string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  parts.forEach((p, i) => {
    out[`_${i}`] = p;
  });
  return typedMap("string", out);
}

/** s[:end] / s[start:] / s[start:end] on Go bytes, with Go's runtime panics. */
function substring(start: bigint, end: bigint, s: string): string {
  const b = toByteString(s);
  const len = BigInt(b.length);
  if (start < 0n) {
    sliceBounds(null, end, len);
    return fromByteString(b.slice(0, Number(end)));
  }
  if (end < 0n || end > len) {
    sliceBounds(start, null, len);
    return fromByteString(b.slice(Number(start)));
  }
  sliceBounds(start, end, len);
  return fromByteString(b.slice(Number(start), Number(end)));
}

function trunc(c: bigint, s: string): string {
  const b = toByteString(s);
  const len = BigInt(b.length);
  if (c < 0n && len + c > 0n) return fromByteString(b.slice(Number(len + c)));
  if (c >= 0n && len > c) return fromByteString(b.slice(0, Number(c)));
  return s;
}

export function stringFuncs(): Record<string, Fn> {
  return {
    hello: fn("func() string", () => "Hello!"),
    upper: fn(S, (s: string) => goToUpper(s)),
    lower: fn(S, (s: string) => goToLower(s)),
    title: fn(S, (s: string) => stringsTitle(s)),
    untitle: fn(S, (s: string) => uncapitalize(s)),
    swapcase: fn(S, (s: string) => swapCase(s)),
    trim: fn(S, (s: string) => goTrimSpace(s)),
    trimAll: fn(SS, (c: string, s: string) => goTrim(s, c)),
    trimall: fn(SS, (c: string, s: string) => goTrim(s, c)),
    trimPrefix: fn(SS, (p: string, s: string) => goTrimPrefix(s, p)),
    trimSuffix: fn(SS, (p: string, s: string) => goTrimSuffix(s, p)),
    nospace: fn(S, (s: string) => deleteWhiteSpace(s)),
    abbrev: fn("func(int, string) string", (width: bigint, s: string) =>
      width < 4n ? s : (abbreviateFull(s, 0, Number(width)) ?? ""),
    ),
    abbrevboth: fn("func(int, int, string) string", (left: bigint, right: bigint, s: string) => {
      if (right < 4n || (left > 0n && right < 7n)) return s;
      return abbreviateFull(s, Number(left), Number(right)) ?? "";
    }),
    trunc: fn("func(int, string) string", trunc),
    substr: fn("func(int, int, string) string", substring),
    repeat: fn("func(int, string) string", (count: bigint, s: string) => goRepeat(s, count)),
    replace: fn("func(string, string, string) string", (o: string, n: string, s: string) =>
      goReplaceAll(s, o, n),
    ),
    contains: fn("func(string, string) bool", (sub: string, s: string) => goContains(s, sub)),
    hasPrefix: fn("func(string, string) bool", (p: string, s: string) => hasPrefix(s, p)),
    hasSuffix: fn("func(string, string) bool", (x: string, s: string) => hasSuffix(s, x)),
    quote: fn("func(...interface {}) string", (...a: unknown[]) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map((x) => sprintf("%q", [strval(x)]))
        .join(" "),
    ),
    squote: fn("func(...interface {}) string", (...a: unknown[]) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map((x) => `'${strval(x)}'`)
        .join(" "),
    ),
    cat: fn("func(...interface {}) string", (...a: unknown[]) =>
      a
        .filter((x) => x !== null && x !== undefined)
        .map(strval)
        .join(" "),
    ),
    indent: fn("func(int, string) string", indent),
    nindent: fn("func(int, string) string", (n: bigint, s: string) => `\n${indent(n, s)}`),
    plural: fn("func(string, string, int) string", (one: string, many: string, n: bigint) =>
      n === 1n ? one : many,
    ),
    initials: fn(S, (s: string) => initials(s)),
    wrap: fn("func(int, string) string", (l: bigint, s: string) => wrapCustom(s, Number(l), "", false)),
    wrapWith: fn("func(int, string, string) string", (l: bigint, sep: string, s: string) =>
      wrapCustom(s, Number(l), sep, true),
    ),
    snakecase: fn(S, (s: string) => camelCaseToLowerCase(s, "_")),
    kebabcase: fn(S, (s: string) => camelCaseToLowerCase(s, "-")),
    camelcase: fn(S, (s: string) => toPascalCase(s)),
    shuffle: fn(S, (s: string) => shuffle(s)),
    split: fn("func(string, string) map[string]string", (sep: string, s: string) =>
      indexedMap(goSplit(s, sep)),
    ),
    splitn: fn("func(string, int, string) map[string]string", (sep: string, n: bigint, s: string) =>
      indexedMap(goSplitN(s, sep, Number(n))),
    ),
    splitList: fn("func(string, string) []string", (sep: string, s: string) =>
      typedSlice("string", goSplit(s, sep)),
    ),
    join: fn("func(string, interface {}) string", (sep: string, v: unknown) => strslice(v).join(sep)),
    toStrings: fn("func(interface {}) []string", (v: unknown) => strslice(v)),
    toString: fn("func(interface {}) string", (v: unknown) => strval(v === undefined ? null : v)),
  };
}
