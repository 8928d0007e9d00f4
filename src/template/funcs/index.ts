/**
 * Consul Template's function library as Vault Agent registers it, each function with its Go
 * signature so the executor applies Go's calling rules (arity, no implicit conversions, a
 * trailing error). Vault functions only ask ctx.deps and record what they used; nothing here
 * does network I/O or reads the clock or the environment directly (ctx.host does).
 *
 * Deliberate differences from Consul Template (documented for users):
 * - Consul and Nomad functions parse but fail when called: Vault Agent configures neither.
 * - plugin, writeToFile, sockaddr and spew_* are refused: they run programs, write files outside
 *   the render, or print non-deterministic debug output.
 */
import { createHash, createHmac } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { goClean } from "../../common/go-path.ts";
import { dependencyKey, type DependencyKind, type FuncContext } from "../api.ts";
import { decodeGoBytes, encodeGoString } from "../bytes.ts";
import { typeName as typeNameOf } from "../gotype.ts";
import { quoteGo, utf8Bytes } from "../quote.ts";
import { type FuncMap, type GoFunc, GoTyped, typedMap, typedNil, typedSlice } from "../value.ts";
import { collectionFuncs } from "./collections.ts";
import { decodeGoJson, encodeGoJson } from "./gojson.ts";
import {
  goReplaceAll,
  goSplit,
  goTitle,
  goToLower,
  goToUpper,
  goTrim,
  goTrimPrefix,
  goTrimSpace,
  goTrimSuffix,
} from "./gostrings.ts";
import { goTimeFormat } from "./gotime.ts";
import { goUrlParseError } from "./gourl.ts";
import { mathFuncs } from "./math.ts";
import { parseGoBool, parseGoFloat, parseGoInt, parseGoUint } from "./parse.ts";
import { goRegexpMatch, goRegexpReplaceAll } from "./regexp.ts";
import { sprigFuncs } from "./sprig.ts";
import { goRepeat } from "./sprig/strings.ts";
import { ctToToml } from "./toml.ts";
import { parseYaml, toYaml } from "./yaml.ts";
import { YamlPanic } from "./yaml/encode.ts";

export { SPRIG_UNSUPPORTED } from "./sprig.ts";

const f = (signature: string, fn: (...args: never[]) => unknown): GoFunc => ({ signature, fn });

/** errors.Wrap(err, prefix) */
function wrap<T>(prefix: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw new Error(`${prefix}: ${(e as Error).message}`);
  }
}

/** Go's strings.Trim(s, "/") after TrimSpace, as CT's Vault queries normalise paths. */
function vaultPath(raw: string): string {
  const t = goTrimSpace(raw);
  return goTrim(t, "/");
}

/** CT's read and PKI queries url.Parse the path and return its error as is. */
function throwUrlParseError(path: string): void {
  const err = goUrlParseError(path);
  if (err !== null) throw new Error(err);
}

/** filepath.EvalSymlinks with Go's error for the first missing component. */
function evalSymlinks(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const abs = resolve(p);
    const parts = abs.split(sep);
    let prefix = "";
    for (let i = 1; i < parts.length; i++) {
      prefix += sep + parts[i];
      if (!existsSync(prefix)) break;
    }
    const shown = p.startsWith(sep) ? prefix : relative(process.cwd(), prefix) || prefix;
    throw new Error(`lstat ${shown}: no such file or directory`);
  }
}

/** CT's resolveSandboxedPath: symlink-resolved containment check. */
export function resolveSandboxedPath(sandbox: string, path: string): string {
  if (sandbox === "") return goClean(path);
  let sandboxResolved: string;
  try {
    sandboxResolved = evalSymlinks(goClean(sandbox));
  } catch (e) {
    throw new Error(`failed to resolve sandbox path: ${(e as Error).message}`);
  }
  let target: string;
  try {
    target = evalSymlinks(goClean(path));
  } catch (e) {
    throw new Error(`failed to resolve target path: ${(e as Error).message}`);
  }
  const rel = relative(sandboxResolved, target);
  if (rel === ".." || rel.startsWith(`..${sep}`)) throw new Error(`'${path}' is outside of sandbox`);
  return target;
}

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * base64.StdEncoding/URLEncoding.DecodeString: padding required, CR/LF skipped, and the error
 * names the byte offset Go's decoder stops at.
 */
export function goBase64Decode(text: string, url: boolean): string {
  const alphabet = url ? URL_ALPHABET : STD;
  const src = encodeGoString(text);
  const bad = (at: number) => new Error(`illegal base64 data at input byte ${at}`);
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const q: number[] = [];
    let j = 0;
    let done = false;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return decodeGoBytes(Uint8Array.from(out));
        throw bad(si - j);
      }
      const c = src[si++]!;
      const v = alphabet.indexOf(String.fromCharCode(c));
      if (c < 0x80 && v >= 0) {
        q.push(v);
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw bad(si - 1);
      if (j < 2) throw bad(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) throw bad(src.length);
        if (src[si] !== 0x3d) throw bad(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) throw bad(si);
      done = true;
      break;
    }
    const n = (q[0]! << 18) | ((q[1] ?? 0) << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
    const bytes = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    out.push(...bytes.slice(0, q.length - 1));
    if (done) return decodeGoBytes(Uint8Array.from(out));
  }
}

function vaultFuncs(ctx: FuncContext): FuncMap {
  /** Parses CT's "k=v" arguments; returns the normalised pairs. */
  const kvArgs = (rest: string[]): string[] => {
    const out: string[] = [];
    for (const str of rest) {
      if (str.length === 0) continue;
      const eq = str.indexOf("=");
      if (eq < 0) throw new Error(`not k=v pair ${quoteGo(str)}`);
      out.push(`${goTrimSpace(str.slice(0, eq))}=${goTrimSpace(str.slice(eq + 1))}`);
    }
    return out;
  };
  const lookup = (kind: DependencyKind, path: string, args: string[]) => {
    const req = { kind, path, args, key: dependencyKey(kind, path, args) };
    const value =
      kind === "secret"
        ? ctx.deps.secret(path, args)
        : kind === "pkiCert"
          ? ctx.deps.pkiCert(path, args)
          : ctx.deps.secrets(path);
    ctx.record(req, value !== undefined);
    return value;
  };
  return {
    secret: f("func(...string) (interface {}, error)", ((...s: string[]) => {
      if (s.length === 0) return null;
      const [raw, ...rest] = s as [string, ...string[]];
      const args = kvArgs(rest);
      const path = vaultPath(raw);
      if (path === "") throw new Error(`vault.${rest.length === 0 ? "read" : "write"}: invalid format: ""`);
      // vault.read parses its path as a URL (for ?version=); vault.write does not.
      if (rest.length === 0) throwUrlParseError(path);
      return lookup("secret", path, args) ?? null;
    }) as never),
    secrets: f("func(string) ([]string, error)", ((s: string) => {
      if (s.length === 0) return typedNil("[]string");
      const path = vaultPath(s);
      if (path === "") throw new Error('vault.list: invalid format: ""');
      const v = lookup("secrets", path, []);
      if (v === undefined || v === null) return typedNil("[]string");
      return Array.isArray(v) ? typedSlice("string", v) : v;
    }) as never),
    pkiCert: f("func(...string) (interface {}, error)", ((...s: string[]) => {
      if (s.length === 0) return null;
      const [raw, ...rest] = s as [string, ...string[]];
      const args = kvArgs(rest);
      const path = vaultPath(raw);
      if (path === "") throw new Error('vault.read: invalid format: ""');
      throwUrlParseError(path);
      return lookup("pkiCert", path, args) ?? null;
    }) as never),
  };
}

function localFuncs(ctx: FuncContext): FuncMap {
  return {
    env: f("func(string) (string, error)", ((n: string) => ctx.host.env(n) ?? "") as never),
    mustEnv: f("func(string) (string, error)", ((n: string) => {
      const v = ctx.host.env(n) ?? "";
      if (v === "") throw new Error(`required environment variable ${n} is empty`);
      return v;
    }) as never),
    envOrDefault: f(
      "func(string, string) (string, error)",
      ((n: string, d: string) => ctx.host.env(n) ?? d) as never,
    ),
    file: f("func(string) (string, error)", ((s: string) => {
      if (s.length === 0) return "";
      const path = resolveSandboxedPath(ctx.sandboxPath, goTrimSpace(s));
      const deps = ctx.deps;
      if (!deps.file) return ctx.host.readFile(path);
      // A watched dependency, as in Consul Template: "" (and an incomplete pass) until first read.
      const value = deps.file(path);
      ctx.record({ kind: "file", path, args: [], key: dependencyKey("file", path, []) }, value !== undefined);
      return value ?? "";
    }) as never),
    executeTemplate: f("func(string, ...interface {}) (string, error)", ((
      name: string,
      ...data: unknown[]
    ) => {
      if (data.length > 1) {
        throw new Error(
          `executeTemplate: wrong number of arguments, expected 1 or 2, but got ${data.length + 1}`,
        );
      }
      return ctx.executeTemplate(name, data.length === 1 ? data[0] : null);
    }) as never),
    timestamp: f("func(...string) (string, error)", ((...a: string[]) => {
      if (a.length > 1)
        throw new Error(`timestamp: wrong number of arguments, expected 0 or 1, but got ${a.length}`);
      const now = ctx.host.now();
      if (a.length === 0) return goTimeFormat(now, "2006-01-02T15:04:05Z07:00");
      if (a[0] === "unix") return String(Math.floor(now / 1000));
      return goTimeFormat(now, a[0]!);
    }) as never),
  };
}

const S = "func(string) (string, error)";
const SS = "func(string, string) (string, error)";

function stringFuncs(): FuncMap {
  return {
    toLower: f(S, ((s: string) => goToLower(s)) as never),
    toUpper: f(S, ((s: string) => goToUpper(s)) as never),
    toTitle: f(S, ((s: string) => goTitle(s)) as never),
    trimSpace: f(S, ((s: string) => goTrimSpace(s)) as never),
    trim: f(SS, ((cut: string, s: string) => goTrim(s, cut)) as never),
    trimPrefix: f(SS, ((p: string, s: string) => goTrimPrefix(s, p)) as never),
    trimSuffix: f(SS, ((p: string, s: string) => goTrimSuffix(s, p)) as never),
    replaceAll: f("func(string, string, string) (string, error)", ((from: string, to: string, s: string) =>
      goReplaceAll(s, from, to)) as never),
    regexReplaceAll: f("func(string, string, string) (string, error)", ((
      re: string,
      repl: string,
      s: string,
    ) => goRegexpReplaceAll(re, repl, s)) as never),
    regexMatch: f("func(string, string) (bool, error)", ((re: string, s: string) =>
      goRegexpMatch(re, s)) as never),
    split: f("func(string, string) ([]string, error)", ((sepr: string, s: string) => {
      const t = goTrimSpace(s);
      if (t === "") return typedSlice("string", []);
      return typedSlice("string", goSplit(t, sepr));
    }) as never),
    splitToMap: f("func(string, string, string) (map[string]string, error)", ((
      s1: string,
      s2: string,
      s: string,
    ) => {
      const out: Record<string, string> = Object.create(null);
      const t = goTrimSpace(s);
      if (t !== "") {
        for (const item of goSplit(t, s1)) {
          const i = item.indexOf(s2);
          if (i >= 0) out[item.slice(0, i)] = item.slice(i + s2.length);
        }
      }
      return typedMap("string", out);
    }) as never),
    join: f("func(string, []string) (string, error)", ((sepr: string, a: string[] | null) =>
      (a ?? []).join(sepr)) as never),
    indent: f("func(int, string) (string, error)", ((n: bigint, s: string) => {
      if (n < 0n) throw new Error("indent value must be a positive integer");
      // CT builds the prefix with strings.Repeat, which fails the call for an impossible length.
      const pad = goRepeat(" ", n);
      let out = "";
      let atLineStart = true;
      for (const ch of s) {
        if (atLineStart && ch !== "\n") out += pad;
        out += ch;
        atLineStart = ch === "\n";
      }
      return out;
    }) as never),
  };
}

/** []byte(s) as a Buffer (for base64). */
function goBytesBuffer(s: string): Buffer {
  const b = encodeGoString(s);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function encodingFuncs(): FuncMap {
  return {
    base64Encode: f(S, ((s: string) => goBytesBuffer(s).toString("base64")) as never),
    base64Decode: f(S, ((s: string) => wrap("base64Decode", () => goBase64Decode(s, false))) as never),
    base64URLEncode: f(S, ((s: string) =>
      goBytesBuffer(s).toString("base64").replace(/\+/g, "-").replace(/\//g, "_")) as never),
    base64URLDecode: f(S, ((s: string) => wrap("base64URLDecode", () => goBase64Decode(s, true))) as never),
    sha256Hex: f(S, ((s: string) => createHash("sha256").update(encodeGoString(s)).digest("hex")) as never),
    md5sum: f(S, ((s: string) => createHash("md5").update(encodeGoString(s)).digest("hex")) as never),
    hmacSHA256Hex: f(SS, ((msg: string, key: string) =>
      createHmac("sha256", encodeGoString(key)).update(encodeGoString(msg)).digest("hex")) as never),
    toJSON: f("func(interface {}) (string, error)", ((v: unknown) =>
      wrap("toJSON", () => encodeGoJson(v))) as never),
    toJSONPretty: f("func(interface {}) (string, error)", ((v: unknown) =>
      wrap("toJSONPretty", () => encodeGoJson(v, { indent: "  " }))) as never),
    toUnescapedJSON: f("func(interface {}) (string, error)", ((v: unknown) =>
      wrap("toUnescapedJSON", () => encodeGoJson(v, { escapeHtml: false }))) as never),
    toUnescapedJSONPretty: f("func(interface {}) (string, error)", ((v: unknown) =>
      wrap("toUnescapedJSONPretty", () => encodeGoJson(v, { indent: "  ", escapeHtml: false }))) as never),
    toYAML: f("func(interface {}) (string, error)", ((v: unknown) => {
      try {
        return goTrimSpace(toYaml(v));
      } catch (e) {
        // A yaml.v2 panic skips CT's "toYAML: " wrapping; text/template reports the panic itself.
        if (e instanceof YamlPanic) throw e;
        throw new Error(`toYAML: ${(e as Error).message}`);
      }
    }) as never),
    toTOML: f("func(interface {}) (string, error)", ctToToml as never),
    parseJSON: f("func(string) (interface {}, error)", ((s: string) =>
      s === "" ? Object.create(null) : decodeGoJson(s)) as never),
    parseYAML: f("func(string) (interface {}, error)", ((s: string) =>
      s === "" ? Object.create(null) : parseYaml(s)) as never),
    parseBool: f("func(string) (bool, error)", ((s: string) =>
      s === "" ? false : wrap("parseBool", () => parseGoBool(s))) as never),
    parseInt: f(
      "func(string) (int64, error)",
      ((s: string) => new GoTyped("int64", s === "" ? 0n : wrap("parseInt", () => parseGoInt(s)))) as never,
    ),
    parseUint: f(
      "func(string) (uint64, error)",
      ((s: string) =>
        new GoTyped("uint64", s === "" ? 0n : wrap("parseUint", () => parseGoUint(s)))) as never,
    ),
    parseFloat: f("func(string) (float64, error)", ((s: string) =>
      s === "" ? 0 : wrap("parseFloat", () => parseGoFloat(s))) as never),
  };
}

/** Consul/Nomad API functions (with CT's signatures, so arity errors match) that always fail. */
const CONSUL_NOMAD: Record<string, string> = {
  datacenters: "func(...bool) ([]string, error)",
  exportedServices: "func(...string) ([]dependency.ExportedService, error)",
  importedServices: "func(string) ([]dependency.ImportedService, error)",
  key: "func(string) (string, error)",
  keyExists: "func(string) (bool, error)",
  keyOrDefault: "func(string, string) (string, error)",
  ls: "func(string) ([]*dependency.KeyPair, error)",
  safeLs: "func(string) ([]*dependency.KeyPair, error)",
  tree: "func(string) ([]*dependency.KeyPair, error)",
  safeTree: "func(string) ([]*dependency.KeyPair, error)",
  node: "func(...string) (interface {}, error)",
  nodes: "func(...string) ([]*dependency.Node, error)",
  partitions: "func() ([]*dependency.Partition, error)",
  peerings: "func(...string) ([]*dependency.Peering, error)",
  service: "func(...string) ([]*dependency.HealthService, error)",
  connect: "func(...string) ([]*dependency.HealthService, error)",
  services: "func(...string) ([]*dependency.CatalogSnippet, error)",
  caRoots: "func(...string) ([]*api.CARoot, error)",
  caLeaf: "func(...string) (interface {}, error)",
  nomadServices: "func(...string) ([]*dependency.NomadServicesSnippet, error)",
  nomadService: "func(...interface {}) ([]*dependency.NomadService, error)",
  nomadVarList: "func(...string) ([]*dependency.NomadVarMeta, error)",
  nomadVarListSafe: "func(...string) ([]*dependency.NomadVarMeta, error)",
  nomadVar: "func(string) (dependency.NomadVarItems, error)",
  nomadVarExists: "func(string) (bool, error)",
};

const REFUSED: Record<string, [string, string]> = {
  sockaddr: ["func(...string) (string, error)", "go-sockaddr templates are not supported by vaultrun"],
  spew_dump: ["func(...interface {}) (string, error)", "debug output is not supported by vaultrun"],
  spew_sdump: ["func(...interface {}) (string, error)", "debug output is not supported by vaultrun"],
  spew_printf: ["func(string, ...interface {}) (string, error)", "debug output is not supported by vaultrun"],
  spew_sprintf: [
    "func(string, ...interface {}) (string, error)",
    "debug output is not supported by vaultrun",
  ],
};

/**
 * `writeToFile` and `plugin` act on the host. They work when the runtime provides them
 * (template_config { allow_functions = [...] }); otherwise they fail with how to turn them on.
 */
function hostEffectFuncs(ctx: FuncContext): FuncMap {
  const off = (name: string, what: string) =>
    new Error(
      `${name}: ${what} from templates is turned off in vaultrun; enable it with template_config { allow_functions = ["${name}"] }`,
    );
  return {
    writeToFile: f("func(string, string, string, string, ...string) (string, error)", ((
      path: string,
      user: string,
      group: string,
      permissions: string,
      ...args: string[]
    ) => {
      // CT reads the content as the last argument without checking there is one (a Go panic).
      if (args.length === 0) throw new Error("runtime error: index out of range [-1]");
      const flags = args.length === 2 ? args[0]! : "";
      const content = args[args.length - 1]!;
      if (!/^[0-7]+$/.test(permissions))
        throw new Error(`strconv.ParseUint: parsing ${quoteGo(permissions)}: invalid syntax`);
      const perms = Number.parseInt(permissions, 8);
      if (perms > 0xffffffff)
        throw new Error(`strconv.ParseUint: parsing ${quoteGo(permissions)}: value out of range`);
      const write = ctx.host.writeToFile;
      if (!write) throw off("writeToFile", "writing files");
      write.call(ctx.host, {
        path,
        user,
        group,
        perms,
        append: flags.includes("append"),
        newline: flags.includes("newline"),
        content: utf8Bytes(content),
      });
      return "";
    }) as never),
    plugin: f("func(string, ...string) (string, error)", ((name: string, ...args: string[]) => {
      if (name === "") return "";
      const run = ctx.host.plugin;
      if (!run) throw off("plugin", "running programs");
      return run.call(ctx.host, name, args);
    }) as never),
  };
}

function consulHelpers(): FuncMap {
  const byWhat = (name: string, elem: string) =>
    f(`func(interface {}) (map[string]${elem}, error)`, ((v: unknown) => {
      if (v === null) return typedMap(elem, Object.create(null));
      throw new Error(`${name}: wrong argument type ${typedTypeName(v)}`);
    }) as never);
  return {
    byTag: byWhat("byTag", "[]interface {}"),
    byPort: f("func(interface {}) (map[int][]interface {}, error)", ((v: unknown) => {
      if (v === null) return typedMap("[]interface {}", Object.create(null));
      throw new Error(`byPort: wrong argument type ${typedTypeName(v)}`);
    }) as never),
    // These take Consul's []*KeyPair / []*HealthService, which only nil can satisfy in vaultrun.
    byKey: f("func([]*dependency.KeyPair) (map[string]map[string]*dependency.KeyPair, error)", (() =>
      typedMap("map[string]*dependency.KeyPair", Object.create(null))) as never),
    explode: f("func([]*dependency.KeyPair) (map[string]interface {}, error)", (() =>
      Object.create(null)) as never),
    byMeta: f(
      "func(string, []*dependency.HealthService) (map[string][]*dependency.HealthService, error)",
      (() => typedMap("[]*dependency.HealthService", Object.create(null))) as never,
    ),
  };
}

function typedTypeName(v: unknown): string {
  return typeNameOf(v);
}

export function createFuncs(ctx: FuncContext): FuncMap {
  const funcs: FuncMap = {
    ...vaultFuncs(ctx),
    ...localFuncs(ctx),
    ...stringFuncs(),
    ...encodingFuncs(),
    ...mathFuncs(),
    ...collectionFuncs(ctx.perRender),
    ...consulHelpers(),
    ...hostEffectFuncs(ctx),
  };
  for (const [name, sig] of Object.entries(CONSUL_NOMAD)) {
    funcs[name] = f(sig, (() => {
      throw new Error(
        `${name}: Consul and Nomad functions are not available in Vault Agent templates (vaultrun talks only to Vault)`,
      );
    }) as never);
  }
  for (const [name, [sig, why]] of Object.entries(REFUSED)) {
    funcs[name] = f(sig, (() => {
      throw new Error(`${name}: ${why}`);
    }) as never);
  }
  Object.assign(funcs, sprigFuncs(ctx));
  return funcs;
}
