/**
 * strconv.ParseBool/ParseInt/ParseUint/ParseFloat as Consul Template's parse* helpers call them
 * (base 10, 64 bits), with Go's error texts: `strconv.ParseInt: parsing "x": invalid syntax`.
 */
import { quoteGo } from "../quote.ts";
import { OUT_OF_RANGE, readGoFloat } from "./strconv.ts";

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

export function parseGoFloat(s: string): number {
  const v = readGoFloat(s);
  if (v === null) throw numErr("ParseFloat", s, "invalid syntax");
  if (v === OUT_OF_RANGE) throw numErr("ParseFloat", s, "value out of range");
  return v;
}
