/**
 * strconv.ParseInt/ParseUint (64 bits, any base, base 0 = Go literal syntax) and ParseFloat (64
 * bits) for callers that only need "did it parse": yaml.v2's resolver and encoder and spf13/cast
 * drop strconv's error, so these return null instead of building (and throwing) one. CT's parse*
 * helpers, which show the error, are in parse.ts.
 */

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv's underscoreOK: '_' only between digits, or between a base prefix and a digit. */
export function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1]!)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** strconv.ParseUint(s, base, 64); null on any error. */
export function parseUintOrNull(s: string, base: number): bigint | null {
  if (s === "") return null;
  const s0 = s;
  const base0 = base === 0;
  if (base0) {
    base = 10;
    if (s[0] === "0") {
      const p = s.length >= 3 ? s[1]!.toLowerCase() : "";
      if (p === "b") base = 2;
      else if (p === "o") base = 8;
      else if (p === "x") base = 16;
      else base = 8;
      s = s.slice(base === 8 && p !== "o" ? 1 : 2);
    }
  }
  const b = BigInt(base);
  let n = 0n;
  let underscores = false;
  for (const c of s) {
    if (c === "_" && base0) {
      underscores = true;
      continue;
    }
    const lc = c.toLowerCase();
    const d =
      lc >= "0" && lc <= "9" ? lc.charCodeAt(0) - 48 : lc >= "a" && lc <= "z" ? lc.charCodeAt(0) - 87 : 99;
    if (d >= base) return null;
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  if (underscores && !underscoreOK(s0)) return null;
  return n;
}

/** strconv.ParseInt(s, base, 64); null on any error. */
export function parseIntOrNull(s: string, base: number): bigint | null {
  if (s === "") return null;
  let neg = false;
  if (s[0] === "+") s = s.slice(1);
  else if (s[0] === "-") {
    neg = true;
    s = s.slice(1);
  }
  const u = parseUintOrNull(s, base);
  if (u === null) return null;
  if (neg ? u > 1n << 63n : u > MAX_INT64) return null;
  return neg ? -u : u;
}

const DEC = /^[+-]?(?=\.?\d)(\d(?:_?\d)*)?(\.(\d(?:_?\d)*)?)?([eE][+-]?\d(?:_?\d)*)?$/;
const HEX =
  /^([+-]?)0[xX](?:_?([0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?)[pP]([+-]?\d(?:_?\d)*)$/;

/** readGoFloat's verdict for a well-formed number beyond float64 (strconv's ErrRange). */
export const OUT_OF_RANGE = Symbol("strconv: value out of range");

/**
 * strconv.ParseFloat(s, 64)'s outcome: the value, null for invalid syntax, or OUT_OF_RANGE.
 * Decimal and hex (0x…p…) forms with Go's underscores, and the Inf/Infinity/NaN spellings.
 */
export function readGoFloat(s: string): number | null | typeof OUT_OF_RANGE {
  const lower = s.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned === "inf" || unsigned === "infinity") return lower.startsWith("-") ? -Infinity : Infinity;
  if (lower === "nan") return Number.NaN;
  let v: number;
  if (DEC.test(s)) {
    v = Number(s.replace(/_/g, ""));
  } else {
    const m = HEX.exec(s);
    if (!m || (m[2] === undefined && m[3] === undefined)) return null;
    const int = (m[2] ?? "").replace(/_/g, "");
    const frac = (m[3] ?? "").replace(/_/g, "");
    let mant = 0;
    for (const c of int + frac) mant = mant * 16 + Number.parseInt(c, 16);
    v = mant * 2 ** (Number(m[4]!.replace(/_/g, "")) - 4 * frac.length);
    if (m[1] === "-") v = -v;
  }
  return Number.isFinite(v) ? v : OUT_OF_RANGE;
}

/** strconv.ParseFloat(s, 64); null on any error (out of range included). */
export function parseFloatOrNull(s: string): number | null {
  const v = readGoFloat(s);
  return v === OUT_OF_RANGE ? null : v;
}
