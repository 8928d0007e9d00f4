/**
 * Plain-scalar resolution as gopkg.in/yaml.v2 does it (its resolve.go, YAML 1.1 flavoured):
 *
 *   y Y yes Yes YES on On ON true True TRUE        → true   (n/no/off/false likewise → false)
 *   "" ~ null Null NULL                            → nil
 *   .inf .Inf .INF (+/-)  .nan .NaN .NAN           → ±Inf, NaN
 *   2001-12-14, 2001-12-14T21:59:43.1Z, …          → timestamp (kept as the string by Unmarshal)
 *   Go integer syntax after dropping '_'           → int, or uint64 when above MaxInt64
 *     (base prefixes 0x 0o 0b, a leading 0 is octal: 0755 = 493, 08 is not an int …)
 *   [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  → float64 (08 → 8.0; 1e999 → string)
 *   anything else                                  → string
 *
 * The first byte decides which rules apply (a sign or digit, '.', or one of "yYnNtTfFoO~"), so
 * e.g. "<<" resolves to a string. Sexagesimal numbers (1:20) are strings, but the encoder quotes
 * them. Explicit tags (!!int, !!str, …) check or force the type.
 */
import { GoTyped } from "../../value.ts";
import { parseFloatOrNull, parseIntOrNull, parseUintOrNull } from "../strconv.ts";
import { YamlError } from "./errors.ts";

export const TAG_PREFIX = "tag:yaml.org,2002:";
export const NULL_TAG = `${TAG_PREFIX}null`;
export const BOOL_TAG = `${TAG_PREFIX}bool`;
export const STR_TAG = `${TAG_PREFIX}str`;
export const INT_TAG = `${TAG_PREFIX}int`;
export const FLOAT_TAG = `${TAG_PREFIX}float`;
export const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
export const BINARY_TAG = `${TAG_PREFIX}binary`;
export const MERGE_TAG = `${TAG_PREFIX}merge`;

/** A resolved scalar: Go nil, bool, int (bigint), uint64 (GoTyped), float64, string. */
export type Scalar = null | boolean | bigint | number | string | GoTyped;

const MAP = new Map<string, [string, Scalar]>();
for (const [value, tag, words] of [
  [true, BOOL_TAG, "y Y yes Yes YES true True TRUE on On ON"],
  [false, BOOL_TAG, "n N no No NO false False FALSE off Off OFF"],
  [null, NULL_TAG, "~ null Null NULL"],
  [Number.NaN, FLOAT_TAG, ".nan .NaN .NAN"],
  [Number.POSITIVE_INFINITY, FLOAT_TAG, ".inf .Inf .INF +.inf +.Inf +.INF"],
  [Number.NEGATIVE_INFINITY, FLOAT_TAG, "-.inf -.Inf -.INF"],
] as const) {
  for (const w of words.split(" ")) MAP.set(w, [tag, value]);
}
MAP.set("", [NULL_TAG, null]);

/** The first byte's class: S(ign), D(igit), M(ap lookup only), '.', or none. */
function hintOf(s: string): string {
  if (s === "") return "N";
  switch (s.charCodeAt(0)) {
    case 0x2b:
    case 0x2d:
      return "S";
    case 0x2e:
      return ".";
    case 0x79: // y Y n N t T f F o O ~
    case 0x59:
    case 0x6e:
    case 0x4e:
    case 0x74:
    case 0x54:
    case 0x66:
    case 0x46:
    case 0x6f:
    case 0x4f:
    case 0x7e:
      return "M";
  }
  const c = s.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 ? "D" : "";
}

function resolvable(tag: string): boolean {
  return (
    tag === "" ||
    tag === STR_TAG ||
    tag === BOOL_TAG ||
    tag === INT_TAG ||
    tag === FLOAT_TAG ||
    tag === NULL_TAG ||
    tag === TIMESTAMP_TAG
  );
}

export function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

const MAX_INT64 = (1n << 63n) - 1n;

/** An int-sized value: Go int, or uint64 beyond int64. */
function intResult(n: bigint): Scalar {
  return n > MAX_INT64 ? new GoTyped("uint64", n) : n;
}

/** Resolves a scalar's text under `tag` ("" for untagged plain). Throws yaml.v2's decode error. */
export function resolve(tag: string, input: string): [string, Scalar] {
  if (!resolvable(tag)) return [tag, input];
  const [rtag, out] = resolveUntagged(tag, input);
  if (tag === "" || tag === rtag || tag === STR_TAG) return [rtag, out];
  if (tag === FLOAT_TAG && rtag === INT_TAG && typeof out === "bigint") return [FLOAT_TAG, Number(out)];
  throw YamlError.fail(`cannot decode ${shortTag(rtag)} \`${input}\` as a ${shortTag(tag)}`);
}

function resolveUntagged(tag: string, input: string): [string, Scalar] {
  const hint = hintOf(input);
  if (hint === "" || tag === STR_TAG) return [STR_TAG, input];
  const known = MAP.get(input);
  if (known !== undefined) return known;
  if (hint === ".") {
    const f = parseFloatOrNull(input);
    if (f !== null) return [FLOAT_TAG, f];
  } else if (hint === "D" || hint === "S") {
    if ((tag === "" || tag === TIMESTAMP_TAG) && isTimestamp(input)) return [TIMESTAMP_TAG, input];
    // Plain decimal numbers (no leading zero, fits int64 for sure) need no Go parsing rules.
    if (/^-?[1-9][0-9]{0,17}$/.test(input)) return [INT_TAG, BigInt(input)];
    const plain = input.includes("_") ? input.replaceAll("_", "") : input;
    const i = parseIntOrNull(plain, 0);
    if (i !== null) return [INT_TAG, i];
    const u = parseUintOrNull(plain, 0);
    if (u !== null) return [INT_TAG, intResult(u)];
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) {
      const f = parseFloatOrNull(plain);
      if (f !== null) return [FLOAT_TAG, f];
    }
    if (plain.startsWith("0b")) {
      const b = parseIntOrNull(plain.slice(2), 2);
      if (b !== null) return [INT_TAG, b];
      const ub = parseUintOrNull(plain.slice(2), 2);
      if (ub !== null) return [INT_TAG, intResult(ub)];
    } else if (plain.startsWith("-0b")) {
      const b = parseIntOrNull(`-${plain.slice(3)}`, 2);
      if (b !== null) return [INT_TAG, b];
    }
  }
  return [STR_TAG, input];
}

/** Whether a string resolves to something other than a string (so the encoder must quote it). */
export function resolvesToNonString(s: string): boolean {
  return resolveUntagged("", s)[0] !== STR_TAG;
}

// ---- time.Parse with yaml.v2's timestamp layouts ----

/** Two-or-one digit number (Go's getnum(s, false)); returns [value, rest] or null. */
function getnum(s: string): [number, string] | null {
  const d0 = s.charCodeAt(0) - 48;
  if (!(d0 >= 0 && d0 <= 9)) return null;
  const d1 = s.charCodeAt(1) - 48;
  if (!(d1 >= 0 && d1 <= 9)) return [d0, s.slice(1)];
  return [d0 * 10 + d1, s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * Whether time.Parse accepts `s` with one of "2006-1-2T15:4:5.999999999Z07:00" (also with 't'),
 * "2006-1-2 15:4:5.999999999" or "2006-1-2" — yaml.v2's allowedTimestampFormats.
 */
export function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  let rest = s.slice(5);
  const mo = getnum(rest);
  if (mo === null || mo[0] < 1 || mo[0] > 12 || mo[1][0] !== "-") return false;
  const day = getnum(mo[1].slice(1));
  if (day === null) return false;
  const dayOk = day[0] >= 1 && day[0] <= daysIn(mo[0], year);
  rest = day[1];
  if (rest === "") return dayOk;
  const sep = rest[0];
  let zoned: boolean;
  if (sep === "T" || sep === "t") {
    zoned = true;
    rest = rest.slice(1);
  } else if (sep === " ") {
    zoned = false;
    rest = rest.replace(/^ +/, "");
  } else return false;
  const h = getnum(rest);
  if (h === null || h[0] > 23 || h[1][0] !== ":") return false;
  const mi = getnum(h[1].slice(1));
  if (mi === null || mi[0] > 59 || mi[1][0] !== ":") return false;
  const sec = getnum(mi[1].slice(1));
  if (sec === null || sec[0] > 59) return false;
  rest = sec[1];
  // time.Parse reads at most nine fractional digits; more are "extra text".
  const frac = /^[.,][0-9]{1,9}/.exec(rest);
  if (frac !== null) rest = rest.slice(frac[0].length);
  if (zoned) {
    if (rest[0] === "Z") rest = rest.slice(1);
    else {
      const z = /^([+-])([0-9]{2}):([0-9]{2})/.exec(rest);
      if (rest.length < 6 || rest[3] !== ":" || z === null) return false;
      if (Number(z[2]) > 24 || Number(z[3]) > 60) return false;
      rest = rest.slice(6);
    }
  }
  return rest === "" && dayOk;
}

/** Whether the encoder must quote a YAML 1.1 base-60 float lookalike (1:20, 190:20:30.15). */
export function isBase60Float(s: string): boolean {
  if (s === "") return false;
  const c = s[0]!;
  if (!(c === "+" || c === "-" || (c >= "0" && c <= "9")) || !s.includes(":")) return false;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}
