/**
 * Masterminds/semver v3.3.0 as Sprig uses it: NewVersion (coercing "1.2" to 1.2.0), the
 * *semver.Version methods templates can call, and NewConstraint/Check for semverCompare.
 * The regular expressions are Masterminds' (with Go's \s, which is ASCII-only).
 */
import { GoStruct, GoTyped } from "../../value.ts";
import { DEEP_COPY, MARSHAL_AS_STRING } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";

const ERR_INVALID = "Invalid Semantic Version";
const ERR_SEGMENT_ZERO = "Version segment starts with 0";
const ERR_METADATA = "Invalid Metadata string";
const ERR_PRERELEASE = "Invalid Prerelease string";

const S = "[\\t\\n\\f\\r ]";
const SEMVER =
  "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
const VERSION_RE = new RegExp(`^${SEMVER}$`);

const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

function validatePrerelease(p: string): void {
  for (const part of p.split(".")) {
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === "0") throw new Error(ERR_SEGMENT_ZERO);
    } else if (!ALLOWED.test(part)) throw new Error(ERR_PRERELEASE);
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split(".")) if (!ALLOWED.test(part)) throw new Error(ERR_METADATA);
}

/** strconv.ParseUint(s, 10, 64) for a string of digits. */
function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > 0xffffffffffffffffn) {
    throw new Error(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  }
  return n;
}

interface Parts {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

/** semver.NewVersion; throws Error with Masterminds' message. */
export function parseVersion(v: string): SemverPointer {
  const m = VERSION_RE.exec(v);
  if (!m) throw new Error(ERR_INVALID);
  const parts: Parts = {
    major: parseSegment(m[1]!),
    minor: m[2] ? parseSegment(m[2].slice(1)) : 0n,
    patch: m[3] ? parseSegment(m[3].slice(1)) : 0n,
    pre: m[5] ?? "",
    metadata: m[8] ?? "",
    original: v,
  };
  if (parts.pre !== "") validatePrerelease(parts.pre);
  if (parts.metadata !== "") validateMetadata(parts.metadata);
  return new SemverPointer(parts);
}

function versionString(p: Parts): string {
  let s = `${p.major}.${p.minor}.${p.patch}`;
  if (p.pre !== "") s += `-${p.pre}`;
  if (p.metadata !== "") s += `+${p.metadata}`;
  return s;
}

function compareSegment(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseUintOrNull(s: string): bigint | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  return n > 0xffffffffffffffffn ? null : n;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === "") return -1;
  if (o === "") return 1;
  const oi = parseUintOrNull(o);
  const si = parseUintOrNull(s);
  if (oi === null && si === null) return s > o ? 1 : -1;
  if (oi === null) return -1;
  if (si === null) return 1;
  return si > oi ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split(".");
  const op = o.split(".");
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? "", op[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

export function compareVersions(a: Parts, b: Parts): number {
  const d =
    compareSegment(a.major, b.major) || compareSegment(a.minor, b.minor) || compareSegment(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === "" && b.pre === "") return 0;
  if (a.pre === "") return 1;
  if (b.pre === "") return -1;
  return comparePrerelease(a.pre, b.pre);
}

const VALUE_METHODS = [
  "String",
  "Major",
  "Minor",
  "Patch",
  "Prerelease",
  "Metadata",
  "IncPatch",
  "IncMinor",
  "IncMajor",
  "SetPrerelease",
  "SetMetadata",
  "MarshalJSON",
  "MarshalText",
] as const;
const POINTER_METHODS = [
  ...VALUE_METHODS,
  "Original",
  "LessThan",
  "LessThanEqual",
  "GreaterThan",
  "GreaterThanEqual",
  "Equal",
  "Compare",
] as const;

const method = (signature: string, body: (...a: never[]) => unknown) => ({ signature, fn: body as never });

const PARTS = Symbol("semver.parts");

/** The parsed parts of a Version (kept under a symbol: Go's fields are unexported). */
export function versionParts(v: SemverValue): Parts {
  return v[PARTS];
}

/**
 * A semver.Version value, as IncMajor & co. return it: only the value-receiver methods (Go cannot
 * call Original or Compare on it, a non-addressable value).
 */
export class SemverValue extends GoStruct {
  readonly goType: string = "semver.Version";
  override readonly goMethods: readonly string[] = VALUE_METHODS;
  override readonly goFields = [] as const;
  readonly [PARTS]: Parts;
  /** encoding/json calls Version.MarshalJSON: the version string. */
  readonly [MARSHAL_AS_STRING] = true;
  /** copystructure copies only exported fields, so a copied Version is 0.0.0. */
  [DEEP_COPY](): SemverValue {
    const zero: Parts = { major: 0n, minor: 0n, patch: 0n, pre: "", metadata: "", original: "" };
    return this instanceof SemverPointer ? new SemverPointer(zero) : new SemverValue(zero);
  }

  constructor(parts: Parts) {
    super();
    this[PARTS] = { ...parts };
  }

  protected next(change: Partial<Parts>): SemverValue {
    const cur = this[PARTS];
    const p = { ...cur, ...change };
    const prefix = cur.original !== "" && cur.original[0] === "v" ? "v" : "";
    p.original = prefix + versionString(p);
    return new SemverValue(p);
  }

  get String() {
    return method("func() string", () => versionString(this[PARTS]));
  }
  get Major() {
    return method("func() uint64", () => new GoTyped("uint64", this[PARTS].major));
  }
  get Minor() {
    return method("func() uint64", () => new GoTyped("uint64", this[PARTS].minor));
  }
  get Patch() {
    return method("func() uint64", () => new GoTyped("uint64", this[PARTS].patch));
  }
  get Prerelease() {
    return method("func() string", () => this[PARTS].pre);
  }
  get Metadata() {
    return method("func() string", () => this[PARTS].metadata);
  }
  get IncPatch() {
    const v = this[PARTS];
    return method("func() semver.Version", () =>
      v.pre !== ""
        ? this.next({ pre: "", metadata: "" })
        : this.next({ pre: "", metadata: "", patch: v.patch + 1n }),
    );
  }
  get IncMinor() {
    return method("func() semver.Version", () =>
      this.next({ pre: "", metadata: "", patch: 0n, minor: this[PARTS].minor + 1n }),
    );
  }
  get IncMajor() {
    return method("func() semver.Version", () =>
      this.next({ pre: "", metadata: "", patch: 0n, minor: 0n, major: this[PARTS].major + 1n }),
    );
  }
  get SetPrerelease() {
    return method("func(string) (semver.Version, error)", (pre: string) => {
      if (pre.length > 0) validatePrerelease(pre);
      return this.next({ pre });
    });
  }
  get SetMetadata() {
    return method("func(string) (semver.Version, error)", (metadata: string) => {
      if (metadata.length > 0) validateMetadata(metadata);
      return this.next({ metadata });
    });
  }
  get MarshalJSON() {
    return method("func() ([]uint8, error)", () => JSON.stringify(versionString(this[PARTS])));
  }
  get MarshalText() {
    return method("func() ([]uint8, error)", () => versionString(this[PARTS]));
  }
}

/** *semver.Version, what Sprig's semver returns: every method, the pointer-receiver ones too. */
export class SemverPointer extends SemverValue {
  override readonly goType = "*semver.Version";
  override readonly goMethods: readonly string[] = POINTER_METHODS;

  private cmp(result: "int" | "bool", test: (c: number) => boolean | bigint) {
    return method(`func(*semver.Version) ${result}`, (o: SemverValue | null) => {
      if (o === null) throw new Error("runtime error: invalid memory address or nil pointer dereference");
      return test(compareVersions(this[PARTS], o[PARTS]));
    });
  }
  get Original() {
    return method("func() string", () => this[PARTS].original);
  }
  get LessThan() {
    return this.cmp("bool", (c) => c < 0);
  }
  get LessThanEqual() {
    return this.cmp("bool", (c) => c <= 0);
  }
  get GreaterThan() {
    return this.cmp("bool", (c) => c > 0);
  }
  get GreaterThanEqual() {
    return this.cmp("bool", (c) => c >= 0);
  }
  get Equal() {
    return this.cmp("bool", (c) => c === 0);
  }
  get Compare() {
    return this.cmp("int", (c) => BigInt(c));
  }
}

// --- constraints --------------------------------------------------------------------------------------

const CV =
  "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
const OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
const CONSTRAINT_RE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE_RE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, "g");
const FIND_RE = new RegExp(`(${OPS})${S}*(${CV})`, "g");
const VALID_RE = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

interface Constraint {
  con: Parts;
  orig: string;
  op: string;
  minorDirty: boolean;
  dirty: boolean;
  patchDirty: boolean;
}

const isX = (x: string | undefined) => x === "x" || x === "*" || x === "X";

/** rewriteRange: "1 - 2" becomes ">= 1, <= 2 " (v3.3.0 keeps the trailing space). */
function rewriteRange(i: string): string {
  let o = i;
  for (const m of i.matchAll(RANGE_RE)) o = o.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  return o;
}

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  const m3 = m[3] ?? "";
  const m4 = m[4] ?? "";
  const m5 = m[5] ?? "";
  const m6 = m[6] ?? "";
  if (isX(m3) || m3 === "") {
    ver = `0.0.0${m6}`;
    dirty = true;
  } else if (isX(m4.replace(/^\./, "")) || m4 === "") {
    minorDirty = true;
    dirty = true;
    ver = `${m3}.0.0${m6}`;
  } else if (isX(m5.replace(/^\./, "")) || m5 === "") {
    dirty = true;
    patchDirty = true;
    ver = `${m3}${m4}.0${m6}`;
  }
  let con: Parts;
  try {
    con = versionParts(parseVersion(ver));
  } catch {
    throw new Error("constraint Parser Error");
  }
  return { con, orig: m[2]!, op: m[1]!, minorDirty, dirty, patchDirty };
}

function check(v: Parts, c: Constraint): boolean {
  const preBlocked = v.pre !== "" && c.con.pre === "";
  const cmp = () => compareVersions(v, c.con);
  switch (c.op) {
    case "":
    case "=":
      if (preBlocked) return false;
      if (c.dirty) return tilde(v, c);
      return cmp() === 0;
    case "!=":
      return notEqual(v, c);
    case ">":
      if (preBlocked) return false;
      if (!c.dirty) return cmp() === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp() === 1;
    case "<":
      return !preBlocked && cmp() < 0;
    case ">=":
    case "=>":
      return !preBlocked && cmp() >= 0;
    case "<=":
    case "=<":
      if (preBlocked) return false;
      if (!c.dirty) return cmp() <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case "~":
    case "~>":
      return tilde(v, c);
    case "^":
      return caret(v, c);
  }
  return false;
}

function tilde(v: Parts, c: Constraint): boolean {
  if (v.pre !== "" && c.con.pre === "") return false;
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty)
    return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function notEqual(v: Parts, c: Constraint): boolean {
  if (c.dirty) {
    if (v.pre !== "" && c.con.pre === "") return false;
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== "" || c.con.pre !== "") return comparePrerelease(v.pre, c.con.pre) !== 0;
      return false;
    }
  }
  return compareVersions(v, c.con) !== 0;
}

function caret(v: Parts, c: Constraint): boolean {
  if (v.pre !== "" && c.con.pre === "") return false;
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0n && v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0n && v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

/** semver.NewConstraint */
export function parseConstraints(text: string): Constraint[][] {
  const c = rewriteRange(text);
  return c.split("||").map((v) => {
    if (!VALID_RE.test(v)) throw new Error(`improper constraint: ${v}`);
    FIND_RE.lastIndex = 0;
    const cs = [...v.matchAll(FIND_RE)].map((m) => m[0]);
    if (cs.length === 0) cs.push(v);
    return cs.map(parseConstraint);
  });
}

function semverCompare(constraint: string, version: string): boolean {
  const cs = parseConstraints(constraint);
  const v = versionParts(parseVersion(version));
  return cs.some((and) => and.every((c) => check(v, c)));
}

export function semverFuncs(): Record<string, Fn> {
  return {
    semver: fn("func(string) (*semver.Version, error)", parseVersion),
    semverCompare: fn("func(string, string) (bool, error)", semverCompare),
  };
}
