/**
 * The `sprig_*` functions Consul Template registers (Sprig v3 HermeticTxtFuncMap, prefixed). The
 * subset used in Vault Agent templates is implemented with Sprig's own argument orders (which
 * differ from CT's: `sprig_sub a b` is a-b) and its forgiving conversions (cast.ToInt64 turns bad
 * input into 0). Every other Sprig name is registered too — templates that mention one must still
 * parse — and fails with a clear error when called.
 */
import { createHash } from "node:crypto";
import { JsonNumber } from "../../common/json.ts";
import { formatValue, sprintf } from "../fmt.ts";
import { intOf, isTrue, K, kindOf, sortedKeys, stringOf, typeName } from "../gotype.ts";
import { type FuncMap, type GoFunc, GoNil, GoTyped, typedSlice } from "../value.ts";
import { decodeGoJson, encodeGoJson } from "./gojson.ts";
import { goToLower, goToUpper, goTrim, goTrimSpace } from "./gostrings.ts";
import { compileGoRegexp, goRegexpMatch, goRegexpReplaceAll } from "./regexp.ts";

/** Sprig's strval: strings as is, Stringers (json.Number) by String(), others with %v. */
function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  return formatValue(v === undefined ? null : v, "v");
}

/** spf13/cast ToInt64 (errors become 0, as Sprig ignores them). */
function toInt64(v: unknown): bigint {
  switch (kindOf(v)) {
    case K.Int:
    case K.Uint:
      return BigInt.asIntN(64, intOf(v));
    case K.Float: {
      const f = typeof v === "number" ? v : Number((v as GoTyped).value);
      return Number.isFinite(f) ? BigInt(Math.trunc(f)) : 0n;
    }
    case K.Bool:
      return v === true ? 1n : 0n;
    case K.String: {
      const s = stringOf(v).trim();
      const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.exec(s);
      if (!m) return 0n;
      let body = m[2]!;
      if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
      const n = BigInt(body) * (m[1] === "-" ? -1n : 1n);
      return n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n;
    }
  }
  return 0n;
}

function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case K.Int:
    case K.Uint:
      return Number(intOf(v));
    case K.Float:
      return typeof v === "number" ? v : Number((v as GoTyped).value);
    case K.Bool:
      return v === true ? 1 : 0;
    case K.String: {
      const n = Number(stringOf(v));
      return Number.isNaN(n) ? 0 : n;
    }
  }
  return 0;
}

const i64 = (n: bigint) => new GoTyped("int64", BigInt.asIntN(64, n));

/** Sprig's empty(): zero values are empty; structs never are. */
function empty(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof GoNil) return true;
  switch (kindOf(v)) {
    case K.String:
      return stringOf(v) === "";
    case K.Slice:
    case K.Map:
      return !isTrue(v);
    case K.Bool:
      return v === false;
    case K.Int:
    case K.Uint:
      return intOf(v) === 0n;
    case K.Float:
      return toFloat64(v) === 0;
    case K.Complex:
      return !isTrue(v);
  }
  return false;
}

function list(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof GoNil && kindOf(v) === K.Slice) return [];
  throw new Error(`Cannot find ${fn} on type ${v === null ? "<nil>" : typeName(v)}`);
}

function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

const hash = (alg: string) => (s: string) => createHash(alg).update(s).digest("hex");

function fn(signature: string, f: (...args: never[]) => unknown): GoFunc {
  return { signature, fn: f };
}

const S = "func(string) string";

const IMPLEMENTED: FuncMap = {
  // strings
  upper: fn(S, ((s: string) => goToUpper(s)) as never),
  lower: fn(S, ((s: string) => goToLower(s)) as never),
  trim: fn(S, ((s: string) => goTrimSpace(s)) as never),
  trimAll: fn("func(string, string) string", ((c: string, s: string) => goTrim(s, c)) as never),
  trimall: fn("func(string, string) string", ((c: string, s: string) => goTrim(s, c)) as never),
  trimPrefix: fn("func(string, string) string", ((p: string, s: string) =>
    s.startsWith(p) ? s.slice(p.length) : s) as never),
  trimSuffix: fn("func(string, string) string", ((p: string, s: string) =>
    p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s) as never),
  nospace: fn(S, ((s: string) => [...s].filter((c) => !/\s/u.test(c)).join("")) as never),
  repeat: fn("func(int, string) string", ((n: bigint, s: string) =>
    n > 0n ? s.repeat(Number(n)) : "") as never),
  replace: fn("func(string, string, string) string", ((o: string, n: string, s: string) =>
    s.split(o).join(n)) as never),
  contains: fn("func(string, string) bool", ((sub: string, s: string) => s.includes(sub)) as never),
  hasPrefix: fn("func(string, string) bool", ((p: string, s: string) => s.startsWith(p)) as never),
  hasSuffix: fn("func(string, string) bool", ((p: string, s: string) => s.endsWith(p)) as never),
  quote: fn("func(...interface {}) string", ((...a: unknown[]) =>
    a
      .filter((x) => x !== null && x !== undefined)
      .map((x) => sprintf("%q", [strval(x)]))
      .join(" ")) as never),
  squote: fn("func(...interface {}) string", ((...a: unknown[]) =>
    a
      .filter((x) => x !== null && x !== undefined)
      .map((x) => `'${strval(x)}'`)
      .join(" ")) as never),
  cat: fn("func(...interface {}) string", ((...a: unknown[]) =>
    a
      .filter((x) => x !== null && x !== undefined)
      .map(strval)
      .join(" ")) as never),
  indent: fn("func(int, string) string", ((n: bigint, s: string) => {
    const pad = " ".repeat(Math.max(0, Number(n)));
    return pad + s.split("\n").join(`\n${pad}`);
  }) as never),
  nindent: fn("func(int, string) string", ((n: bigint, s: string) => {
    const pad = " ".repeat(Math.max(0, Number(n)));
    return `\n${pad}${s.split("\n").join(`\n${pad}`)}`;
  }) as never),
  toString: fn("func(interface {}) string", ((v: unknown) => strval(v)) as never),
  b64enc: fn(S, ((s: string) => Buffer.from(s).toString("base64")) as never),
  b64dec: fn(S, ((s: string) => {
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return "illegal base64 data at input byte 0";
    return Buffer.from(s, "base64").toString();
  }) as never),
  sha1sum: fn(S, hash("sha1") as never),
  sha256sum: fn(S, hash("sha256") as never),
  sha512sum: fn(S, hash("sha512") as never),
  join: fn("func(string, interface {}) string", ((sep: string, v: unknown) =>
    strslice(v).join(sep)) as never),
  splitList: fn("func(string, string) []string", ((sep: string, s: string) =>
    typedSlice("string", sep === "" ? [...s] : s.split(sep))) as never),
  split: fn("func(string, string) map[string]string", ((sep: string, s: string) => {
    const out: Record<string, string> = {};
    (sep === "" ? [...s] : s.split(sep)).forEach((p, i) => {
      out[`_${i}`] = p;
    });
    return Object.defineProperty(out, Symbol.for("vaultrun.goElemType"), { value: "string" });
  }) as never),
  // defaults and control
  default: fn("func(interface {}, ...interface {}) interface {}", ((d: unknown, ...g: unknown[]) =>
    g.length === 0 || empty(g[0]) ? d : g[0]) as never),
  empty: fn("func(interface {}) bool", ((v: unknown) => empty(v)) as never),
  coalesce: fn(
    "func(...interface {}) interface {}",
    ((...a: unknown[]) => a.find((x) => !empty(x)) ?? null) as never,
  ),
  ternary: fn("func(interface {}, interface {}, bool) interface {}", ((t: unknown, f: unknown, c: boolean) =>
    c ? t : f) as never),
  fail: fn("func(string) (string, error)", ((msg: string) => {
    throw new Error(msg);
  }) as never),
  // lists and dicts
  list: fn("func(...interface {}) []interface {}", ((...a: unknown[]) => a) as never),
  tuple: fn("func(...interface {}) []interface {}", ((...a: unknown[]) => a) as never),
  first: fn("func(interface {}) interface {}", ((v: unknown) => list(v, "first")[0] ?? null) as never),
  last: fn("func(interface {}) interface {}", ((v: unknown) => {
    const l = list(v, "last");
    return l.length ? l[l.length - 1] : null;
  }) as never),
  has: fn(
    "func(interface {}, interface {}) bool",
    ((needle: unknown, hay: unknown) =>
      hay !== null &&
      list(hay, "has").some((x) => formatValue(x, "#v") === formatValue(needle, "#v"))) as never,
  ),
  sortAlpha: fn("func(interface {}) []string", ((v: unknown) =>
    typedSlice(
      "string",
      strslice(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    )) as never),
  uniq: fn("func(interface {}) []interface {}", ((v: unknown) => {
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (const x of list(v, "uniq")) {
      const k = formatValue(x, "#v");
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  }) as never),
  dict: fn("func(...interface {}) map[string]interface {}", ((...a: unknown[]) => {
    const out: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < a.length; i += 2) out[strval(a[i])] = i + 1 < a.length ? a[i + 1] : "";
    return out;
  }) as never),
  get: fn("func(map[string]interface {}, string) interface {}", ((
    d: Record<string, unknown> | null,
    k: string,
  ) => (d && Object.hasOwn(d, k) ? d[k] : "")) as never),
  hasKey: fn(
    "func(map[string]interface {}, string) bool",
    ((d: Record<string, unknown> | null, k: string) => d !== null && Object.hasOwn(d, k)) as never,
  ),
  set: fn("func(map[string]interface {}, string, interface {}) map[string]interface {}", ((
    d: Record<string, unknown> | null,
    k: string,
    v: unknown,
  ) => {
    const out: Record<string, unknown> = Object.assign(Object.create(null), d ?? {});
    out[k] = v;
    return out;
  }) as never),
  keys: fn("func(...map[string]interface {}) []string", ((...ds: (Record<string, unknown> | null)[]) =>
    // Go's map order is random here; sorted output is one of the orders Sprig can produce.
    typedSlice(
      "string",
      ds.flatMap((d) => (d ? sortedKeys(d) : [])),
    )) as never),
  pluck: fn("func(string, ...map[string]interface {}) []interface {}", ((
    k: string,
    ...ds: (Record<string, unknown> | null)[]
  ) => ds.filter((d) => d && Object.hasOwn(d, k)).map((d) => d![k])) as never),
  // math (Sprig's order: sub a b = a - b)
  add: fn("func(...interface {}) int64", ((...a: unknown[]) =>
    i64(a.reduce<bigint>((s, x) => s + toInt64(x), 0n))) as never),
  add1: fn("func(interface {}) int64", ((a: unknown) => i64(toInt64(a) + 1n)) as never),
  sub: fn("func(interface {}, interface {}) int64", ((a: unknown, b: unknown) =>
    i64(toInt64(a) - toInt64(b))) as never),
  mul: fn("func(interface {}, ...interface {}) int64", ((a: unknown, ...v: unknown[]) =>
    i64(v.reduce<bigint>((s, x) => s * toInt64(x), toInt64(a)))) as never),
  div: fn("func(interface {}, interface {}) int64", ((a: unknown, b: unknown) => {
    const d = toInt64(b);
    if (d === 0n) throw new Error("runtime error: integer divide by zero");
    return i64(toInt64(a) / d);
  }) as never),
  mod: fn("func(interface {}, interface {}) int64", ((a: unknown, b: unknown) => {
    const d = toInt64(b);
    if (d === 0n) throw new Error("runtime error: integer divide by zero");
    return i64(toInt64(a) % d);
  }) as never),
  max: fn("func(interface {}, ...interface {}) int64", ((a: unknown, ...v: unknown[]) =>
    i64(v.reduce<bigint>((m, x) => (toInt64(x) > m ? toInt64(x) : m), toInt64(a)))) as never),
  min: fn("func(interface {}, ...interface {}) int64", ((a: unknown, ...v: unknown[]) =>
    i64(v.reduce<bigint>((m, x) => (toInt64(x) < m ? toInt64(x) : m), toInt64(a)))) as never),
  int: fn("func(interface {}) int", ((v: unknown) => BigInt.asIntN(64, toInt64(v))) as never),
  int64: fn("func(interface {}) int64", ((v: unknown) => i64(toInt64(v))) as never),
  float64: fn("func(interface {}) float64", ((v: unknown) => toFloat64(v)) as never),
  atoi: fn("func(string) int", ((s: string) =>
    /^[+-]?\d+$/.test(s) ? BigInt.asIntN(64, BigInt(s)) : 0n) as never),
  until: fn("func(int) []int", ((n: bigint) => {
    const out: bigint[] = [];
    const step = n < 0n ? -1n : 1n;
    for (let i = 0n; i !== n; i += step) out.push(i);
    return typedSlice("int", out);
  }) as never),
  // encodings
  toJson: fn("func(interface {}) string", ((v: unknown) => {
    try {
      return encodeGoJson(v);
    } catch {
      return "";
    }
  }) as never),
  toPrettyJson: fn("func(interface {}) string", ((v: unknown) => {
    try {
      return encodeGoJson(v, { indent: "  " });
    } catch {
      return "";
    }
  }) as never),
  toRawJson: fn("func(interface {}) string", ((v: unknown) => {
    try {
      return encodeGoJson(v, { escapeHtml: false });
    } catch {
      return "";
    }
  }) as never),
  fromJson: fn("func(string) interface {}", ((s: string) => {
    try {
      return decodeGoJson(s);
    } catch {
      return Object.create(null);
    }
  }) as never),
  // regex (Sprig panics on a bad pattern in the non-must forms; the template reports it)
  regexMatch: fn("func(string, string) bool", ((re: string, s: string) => goRegexpMatch(re, s)) as never),
  regexReplaceAll: fn("func(string, string, string) string", ((re: string, s: string, repl: string) =>
    goRegexpReplaceAll(re, repl, s)) as never),
  regexFind: fn("func(string, string) string", ((re: string, s: string) => {
    const { re: r } = compileGoRegexp(re);
    r.lastIndex = 0;
    return r.exec(s)?.[0] ?? "";
  }) as never),
  // reflection
  typeOf: fn("func(interface {}) string", ((v: unknown) => (v === null ? "<nil>" : typeName(v))) as never),
  kindOf: fn("func(interface {}) string", ((v: unknown) => {
    if (v === null) return "invalid";
    const t = typeName(v);
    return t.startsWith("[]")
      ? "slice"
      : t.startsWith("map[")
        ? "map"
        : t.startsWith("*")
          ? "ptr"
          : t === "json.Number"
            ? "string"
            : t;
  }) as never),
};

/** Every name in Sprig v3.3.0's HermeticTxtFuncMap (see spec §2.7). */
const ALL_SPRIG =
  "abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound empty encryptAES ext fail first float64 floor fromJson genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get has hasKey hasPrefix hasSuffix hello htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq mustWithout must_date_modify nindent nospace omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend quote randInt regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset until untilStep untitle upper urlJoin urlParse values without wrap wrapWith".split(
    " ",
  );

export const SPRIG_UNSUPPORTED = ALL_SPRIG.filter((n) => !(n in IMPLEMENTED));

export function sprigFuncs(): FuncMap {
  const out: FuncMap = {};
  for (const name of ALL_SPRIG) {
    out[`sprig_${name}`] = IMPLEMENTED[name] ?? {
      signature: "func(...interface {}) (interface {}, error)",
      fn: (() => {
        throw new Error(`sprig_${name} is not supported by vaultrun`);
      }) as never,
    };
  }
  return out;
}
