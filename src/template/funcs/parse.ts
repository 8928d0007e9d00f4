/**
 * strconv.ParseBool/ParseInt/ParseUint/ParseFloat as Consul Template's parse* helpers call them
 * (base 10, 64 bits), with Go's error texts: `strconv.ParseInt: parsing "x": invalid syntax`.
 */
import { quoteGo } from "../quote.ts";

function numErr(fn: string, s: string, what: "invalid syntax" | "value out of range"): Error {
  return new Error(`strconv.${fn}: parsing ${quoteGo(s)}: ${what}`);
}

export function parseGoBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${quoteGo(s)}: invalid syntax`);
}

export function parseGoInt(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw numErr("ParseInt", s, "invalid syntax");
  const v = BigInt(s);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) throw numErr("ParseInt", s, "value out of range");
  return v;
}

export function parseGoUint(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw numErr("ParseUint", s, "invalid syntax");
  const v = BigInt(s);
  if (v > 0xffffffffffffffffn) throw numErr("ParseUint", s, "value out of range");
  return v;
}

const DEC = /^[+-]?(?=\.?\d)(\d(?:_?\d)*)?(\.(\d(?:_?\d)*)?)?([eE][+-]?\d(?:_?\d)*)?$/;
const HEX =
  /^([+-]?)0[xX](?:_?([0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?)[pP]([+-]?\d(?:_?\d)*)$/;

export function parseGoFloat(s: string): number {
  const lower = s.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned === "inf" || unsigned === "infinity") return lower.startsWith("-") ? -Infinity : Infinity;
  if (lower === "nan") return Number.NaN;
  let v: number;
  if (DEC.test(s)) {
    v = Number(s.replace(/_/g, ""));
  } else {
    const m = HEX.exec(s);
    if (!m || (m[2] === undefined && m[3] === undefined)) throw numErr("ParseFloat", s, "invalid syntax");
    const int = (m[2] ?? "").replace(/_/g, "");
    const frac = (m[3] ?? "").replace(/_/g, "");
    let mant = 0;
    for (const c of int + frac) mant = mant * 16 + Number.parseInt(c, 16);
    v = mant * 2 ** (Number(m[4]!.replace(/_/g, "")) - 4 * frac.length);
    if (m[1] === "-") v = -v;
  }
  if (!Number.isFinite(v)) throw numErr("ParseFloat", s, "value out of range");
  return v;
}
