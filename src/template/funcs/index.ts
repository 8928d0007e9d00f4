/**
 * Consul Template's function library (the part Vault Agent users rely on), each function with
 * its Go signature so the executor applies Go's calling rules. Vault functions only ask
 * ctx.deps and record what they used; nothing here does network I/O, reads the clock or the
 * environment directly (ctx.host does).
 */
import { createHash, createHmac } from "node:crypto";
import { realpathSync } from "node:fs";
import { isAbsolute, normalize, relative, resolve } from "node:path";
import { JsonNumber } from "../../common/json.ts";
import { type DependencyKind, dependencyKey, type FuncContext } from "../api.ts";
import { type FuncMap, GoTyped, typedMap, typedSlice } from "../value.ts";
import { decodeGoJson, encodeGoJson } from "./gojson.ts";

const f = (signature: string, fn: (...args: never[]) => unknown) => ({ signature, fn });

/** Go's unicode.IsSpace set (not U+FEFF). */
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const TRIM_SPACE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "gu");
export const goTrimSpace = (s: string) => s.replace(TRIM_SPACE, "");

/** strings.ToUpper/ToLower map rune by rune (no "ß" → "SS" expansion). */
function goCase(s: string, upper: boolean): string {
  let out = "";
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** RE2 → JS: named groups (?P<n>…), \z, \A, POSIX classes; lookarounds/backrefs are rejected. */
export function goRegexp(re: string): RegExp {
  if (/\(\?[=!<][^P]|\(\?<[=!]/.test(re) || /\\[1-9]/.test(re)) {
    throw new Error(`error parsing regexp: invalid or unsupported Perl syntax: \`${re.match(/\(\?[=!<]|\\[1-9]/)?.[0] ?? re}\``);
  }
  let flags = "u";
  let src = re;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes("i")) flags += "i";
    if (lead[1]!.includes("m")) flags += "m";
    if (lead[1]!.includes("s")) flags += "s";
    src = src.slice(lead[0].length);
  }
  const posix: Record<string, string> = {
    alpha: "A-Za-z",
    digit: "0-9",
    alnum: "A-Za-z0-9",
    upper: "A-Z",
    lower: "a-z",
    space: "\\t\\n\\v\\f\\r ",
    punct: "!-\\/:-@\\[-`{-~",
    xdigit: "0-9A-Fa-f",
    word: "\\w",
  };
  src = src
    .replace(/\(\?P</g, "(?<")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\\A/g, "^(?<![\\s\\S])")
    .replace(/\[:(\w+):\]/g, (m, n: string) => posix[n] ?? m);
  try {
    return new RegExp(src, `${flags}g`);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expandGo(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_, all: string, braced?: string, bare?: string) => {
    if (all === "$") return "$";
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return match[Number(name)] ?? "";
    return match.groups?.[name] ?? "";
  });
}

function toBigInt(v: unknown, fn: string): bigint | number {
  if (typeof v === "bigint" || typeof v === "number") return v;
  if (v instanceof GoTyped && (typeof v.value === "bigint" || typeof v.value === "number")) return v.value;
  throw new Error(`${fn}: unknown type for ${JSON.stringify(String(v))} (${v instanceof JsonNumber ? "json.Number" : typeof v})`);
}

/** CT's math helpers: int op int → int, anything with a float → float64. `b op a` order (pipe-friendly). */
function math(name: string, op: (a: number | bigint, b: number | bigint) => number | bigint) {
  return f("func(interface {}, interface {}) (interface {}, error)", ((b: unknown, a: unknown) => {
    const x = toBigInt(a, name);
    const y = toBigInt(b, name);
    if (typeof x === "bigint" && typeof y === "bigint") return op(x, y);
    return op(Number(x), Number(y));
  }) as never);
}

export function createFuncs(ctx: FuncContext): FuncMap {
  const vault = (kind: DependencyKind, rawArgs: string[]) => {
    if (rawArgs.length === 0) return null;
    const [path, ...args] = rawArgs as [string, ...string[]];
    for (const a of args) {
      if (a.trim() !== "" && !a.includes("=")) throw new Error(`not k=v pair "${a}"`);
    }
    const trimmed = path.trim().replace(/^\/+|\/+$/g, "");
    if (trimmed === "") throw new Error(`vault.${kind === "secrets" ? "list" : args.length ? "write" : "read"}: invalid format: ""`);
    const req = { kind, path, args, key: dependencyKey(kind, path, args) };
    const value =
      kind === "secret" ? ctx.deps.secret(path, args) : kind === "pkiCert" ? ctx.deps.pkiCert(path, args) : ctx.deps.secrets(path);
    ctx.record(req, value !== undefined);
    return value === undefined ? null : value;
  };

  const funcs: FuncMap = {
    // --- Vault
    secret: f("func(...string) (interface {}, error)", ((...a: string[]) => vault("secret", a)) as never),
    secrets: f("func(string) ([]string, error)", ((p: string) => {
      if (p === "") return null;
      const v = vault("secrets", [p]);
      return v === null ? typedSlice("string", []) : v;
    }) as never),
    pkiCert: f("func(...string) (interface {}, error)", ((...a: string[]) => vault("pkiCert", a)) as never),
    // --- environment and files
    env: f("func(string) (string, error)", ((n: string) => ctx.host.env(n) ?? "") as never),
    mustEnv: f("func(string) (string, error)", ((n: string) => {
      const v = ctx.host.env(n);
      if (!v) throw new Error(`required environment variable ${n} is empty`);
      return v;
    }) as never),
    envOrDefault: f("func(string, string) (string, error)", ((n: string, d: string) => ctx.host.env(n) ?? d) as never),
    file: f("func(string) (string, error)", ((p: string) => {
      const path = normalize(goTrimSpace(p));
      if (p === "") return "";
      if (ctx.sandboxPath) {
        let real = resolve(path);
        try {
          real = realpathSync(real);
        } catch {}
        const rel = relative(resolve(ctx.sandboxPath), real);
        if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`'${path}' is outside of sandbox`);
      }
      return ctx.host.readFile(path);
    }) as never),
    timestamp: f("func(...string) (string, error)", ((...a: string[]) => {
      if (a.length > 1) throw new Error(`timestamp: wrong number of arguments, expected 0 or 1, but got ${a.length}`);
      const now = ctx.host.now();
      if (a[0] === "unix") return String(Math.floor(now / 1000));
      if (a.length === 0) return new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
      return goTimeFormat(now, a[0]!);
    }) as never),
    // --- strings
    toLower: f("func(string) (string, error)", ((s: string) => goCase(s, false)) as never),
    toUpper: f("func(string) (string, error)", ((s: string) => goCase(s, true)) as never),
    toTitle: f("func(string) (string, error)", ((s: string) => s.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, p, c: string) => p + c.toUpperCase())) as never),
    trimSpace: f("func(string) (string, error)", ((s: string) => goTrimSpace(s)) as never),
    trim: f("func(string, string) (string, error)", ((cut: string, s: string) => {
      if (cut === "") return s;
      const set = `[${escapeRe(cut).replace(/-/g, "\\-")}]+`;
      return s.replace(new RegExp(`^${set}|${set}$`, "gu"), "");
    }) as never),
    trimPrefix: f("func(string, string) (string, error)", ((p: string, s: string) => (s.startsWith(p) ? s.slice(p.length) : s)) as never),
    trimSuffix: f("func(string, string) (string, error)", ((p: string, s: string) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s)) as never),
    replaceAll: f("func(string, string, string) (string, error)", ((from: string, to: string, s: string) => {
      if (from === "") return `${to}${[...s].join(to)}${s === "" ? "" : to}`;
      return s.split(from).join(to);
    }) as never),
    regexReplaceAll: f("func(string, string, string) (string, error)", ((re: string, repl: string, s: string) => {
      const rx = goRegexp(re);
      return s.replace(rx, (...m) => {
        const groups = typeof m[m.length - 1] === "object" ? (m[m.length - 1] as Record<string, string>) : undefined;
        const arr = Object.assign(m.slice(0, groups ? -3 : -2), { groups, index: 0, input: s }) as unknown as RegExpExecArray;
        return expandGo(repl, arr);
      });
    }) as never),
    regexMatch: f("func(string, string) (bool, error)", ((re: string, s: string) => goRegexp(re).test(s)) as never),
    split: f("func(string, string) ([]string, error)", ((sep: string, s: string) => {
      const t = goTrimSpace(s);
      if (t === "") return typedSlice("string", []);
      return typedSlice("string", sep === "" ? [...t] : t.split(sep));
    }) as never),
    splitToMap: f("func(string, string, string) (map[string]string, error)", ((sep1: string, sep2: string, s: string) => {
      const out: Record<string, string> = {};
      const t = goTrimSpace(s);
      if (t !== "") {
        for (const item of t.split(sep1)) {
          const i = item.indexOf(sep2);
          if (i >= 0) out[item.slice(0, i)] = item.slice(i + sep2.length);
        }
      }
      return typedMap("string", out);
    }) as never),
    join: f("func(string, []string) (string, error)", ((sep: string, a: string[]) => a.join(sep)) as never),
    indent: f("func(int, string) (string, error)", ((n: bigint, s: string) => {
      if (n < 0n) throw new Error("indent value must be a positive integer");
      const pad = " ".repeat(Number(n));
      return s
        .split("\n")
        .map((l) => (l === "" ? l : pad + l))
        .join("\n");
    }) as never),
    contains: f("func(interface {}, interface {}) (bool, error)", ((needle: unknown, hay: unknown) => inHaystack(hay, needle)) as never),
    in: f("func(interface {}, interface {}) (bool, error)", ((hay: unknown, needle: unknown) => inHaystack(hay, needle)) as never),
    // --- encodings and hashes
    base64Encode: f("func(string) (string, error)", ((s: string) => Buffer.from(s).toString("base64")) as never),
    base64Decode: f("func(string) (string, error)", ((s: string) => b64decode(s, false, "base64Decode")) as never),
    base64URLEncode: f("func(string) (string, error)", ((s: string) => Buffer.from(s).toString("base64").replace(/\+/g, "-").replace(/\//g, "_")) as never),
    base64URLDecode: f("func(string) (string, error)", ((s: string) => b64decode(s, true, "base64URLDecode")) as never),
    sha256Hex: f("func(string) (string, error)", ((s: string) => createHash("sha256").update(s).digest("hex")) as never),
    md5sum: f("func(string) (string, error)", ((s: string) => createHash("md5").update(s).digest("hex")) as never),
    hmacSHA256Hex: f("func(string, string) (string, error)", ((msg: string, key: string) => createHmac("sha256", key).update(msg).digest("hex")) as never),
    toJSON: f("func(interface {}) (string, error)", ((v: unknown) => encodeGoJson(v).trim()) as never),
    toJSONPretty: f("func(interface {}) (string, error)", ((v: unknown) => encodeGoJson(v, { indent: "  " })) as never),
    toUnescapedJSON: f("func(interface {}) (string, error)", ((v: unknown) => encodeGoJson(v, { escapeHtml: false }).trim()) as never),
    toUnescapedJSONPretty: f("func(interface {}) (string, error)", ((v: unknown) => encodeGoJson(v, { indent: "  ", escapeHtml: false })) as never),
    parseJSON: f("func(string) (interface {}, error)", ((s: string) => {
      if (s === "") return {};
      try {
        return decodeGoJson(s);
      } catch (e) {
        throw new Error(String((e as Error).message));
      }
    }) as never),
    parseBool: f("func(string) (bool, error)", ((s: string) => {
      if (s === "") return false;
      if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
      if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
      throw new Error(`parseBool: strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
    }) as never),
    parseInt: f("func(string) (int64, error)", ((s: string) => {
      if (s === "") return new GoTyped("int64", 0n);
      if (!/^[+-]?\d+$/.test(s)) throw new Error(`parseInt: strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
      const v = BigInt(s);
      if (v > 9223372036854775807n || v < -9223372036854775808n) {
        throw new Error(`parseInt: strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
      }
      return new GoTyped("int64", v);
    }) as never),
    parseFloat: f("func(string) (float64, error)", ((s: string) => {
      if (s === "") return 0;
      const n = Number(s.replace(/(\d)_(?=\d)/g, "$1"));
      if (Number.isNaN(n) && !/^[+-]?nan$/i.test(s)) {
        throw new Error(`parseFloat: strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
      }
      return n;
    }) as never),
    // --- math (CT's operand order: `{{ 2 | subtract 5 }}` is 5 - 2... applied as b op a with a piped last)
    add: math("add", (a, b) => (a as number) + (b as number)),
    subtract: math("subtract", (a, b) => (a as number) - (b as number)),
    multiply: math("multiply", (a, b) => (a as number) * (b as number)),
    divide: math("divide", (a, b) => {
      if (typeof b === "bigint" && b === 0n) throw new Error("divide: division by zero");
      return typeof a === "bigint" ? a / (b as bigint) : a / (b as number);
    }),
    modulo: math("modulo", (a, b) => {
      if (typeof b === "bigint" && b === 0n) throw new Error("modulo: division by zero");
      return typeof a === "bigint" ? a % (b as bigint) : a % (b as number);
    }),
  };
  for (const name of ["key", "keyExists", "keyOrDefault", "ls", "safeLs", "tree", "safeTree", "service", "services", "node", "nodes", "datacenters", "connect", "caRoots", "caLeaf", "nomadVar", "nomadVarList", "nomadService", "nomadServices"]) {
    funcs[name] = f("func(...interface {}) (interface {}, error)", ((..._a: unknown[]) => {
      throw new Error(`${name}: Consul and Nomad functions are not available in Vault Agent templates`);
    }) as never);
  }
  funcs.plugin = f("func(string, ...string) (string, error)", ((name: string) => {
    throw new Error(`plugin "${name}": executing programs from templates is disabled in vaultrun`);
  }) as never);
  return funcs;
}

function inHaystack(hay: unknown, needle: unknown): boolean {
  if (Array.isArray(hay)) {
    return hay.some((x) => {
      if (typeof x === "bigint" && typeof needle === "bigint") return x === needle;
      if (typeof x === "number" && typeof needle === "number") return x === needle;
      if (typeof x === "string" && typeof needle === "string") return x === needle;
      if (x instanceof JsonNumber && needle instanceof JsonNumber) return x.text === needle.text;
      return false;
    });
  }
  if (typeof hay === "string") return typeof needle === "string" && hay.includes(needle);
  return false;
}

function b64decode(s: string, url: boolean, fn: string): string {
  const alphabet = url ? /^[A-Za-z0-9\-_]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (s.length % 4 !== 0 || !alphabet.test(s)) {
    let bad = s.search(url ? /[^A-Za-z0-9\-_=]/ : /[^A-Za-z0-9+/=]/);
    if (bad < 0) bad = s.length - (s.length % 4 || 4);
    throw new Error(`${fn}: illegal base64 data at input byte ${Math.max(0, bad)}`);
  }
  return Buffer.from(s, url ? "base64url" : "base64").toString("latin1") === ""
    ? ""
    : new TextDecoder().decode(Buffer.from(s.replace(/=+$/, ""), url ? "base64url" : "base64"));
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Go's time.Format for the common layout tokens, in UTC. */
export function goTimeFormat(ms: number, layout: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const tokens: [string, () => string][] = [
    ["2006", () => String(d.getUTCFullYear())],
    ["January", () => MONTHS[d.getUTCMonth()]!],
    ["Jan", () => MONTHS[d.getUTCMonth()]!.slice(0, 3)],
    ["Monday", () => DAYS[d.getUTCDay()]!],
    ["Mon", () => DAYS[d.getUTCDay()]!.slice(0, 3)],
    ["MST", () => "UTC"],
    ["Z07:00", () => "Z"],
    ["-07:00", () => "+00:00"],
    ["-0700", () => "+0000"],
    ["Z0700", () => "Z"],
    [".000", () => `.${p(d.getUTCMilliseconds(), 3)}`],
    [".999", () => (d.getUTCMilliseconds() ? `.${p(d.getUTCMilliseconds(), 3).replace(/0+$/, "")}` : "")],
    ["01", () => p(d.getUTCMonth() + 1)],
    ["02", () => p(d.getUTCDate())],
    ["_2", () => String(d.getUTCDate()).padStart(2, " ")],
    ["06", () => p(d.getUTCFullYear() % 100)],
    ["15", () => p(d.getUTCHours())],
    ["03", () => p(d.getUTCHours() % 12 || 12)],
    ["04", () => p(d.getUTCMinutes())],
    ["05", () => p(d.getUTCSeconds())],
    ["PM", () => (d.getUTCHours() >= 12 ? "PM" : "AM")],
    ["pm", () => (d.getUTCHours() >= 12 ? "pm" : "am")],
    ["1", () => String(d.getUTCMonth() + 1)],
    ["2", () => String(d.getUTCDate())],
    ["3", () => String(d.getUTCHours() % 12 || 12)],
    ["4", () => String(d.getUTCMinutes())],
    ["5", () => String(d.getUTCSeconds())],
  ];
  let out = "";
  let i = 0;
  outer: while (i < layout.length) {
    for (const [tok, fn] of tokens) {
      if (layout.startsWith(tok, i)) {
        out += fn();
        i += tok.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}
