/**
 * Sprig's arithmetic (numeric.go and functions.go): integer math on cast.ToInt64 values with
 * int64 wrap-around, float math through shopspring/decimal (addf/subf/mulf/divf: each operand
 * becomes the shortest decimal of its float64, the operation is exact, division keeps 16
 * places rounded half away from zero), round via math.Pow/Modf, and seq/until/untilStep.
 */
import { GoTyped, typedSlice } from "../../value.ts";
import { sprintOne, toFloat64, toInt64 } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";

const i64 = (n: bigint) => new GoTyped("int64", BigInt.asIntN(64, n));
const I = "interface {}";

// --- shopspring/decimal -----------------------------------------------------------------------------

/** coef × 10^exp */
interface Dec {
  coef: bigint;
  exp: number;
}

function formatForDecimal(f: number): string {
  return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
}

/** decimal.NewFromFloat: the shortest decimal that reads back as f. */
function decFromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${formatForDecimal(f)}`);
  if (f === 0) return { coef: 0n, exp: 0 };
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f))!;
  const frac = m[3] ?? "";
  const coef = BigInt(`${m[1]}${m[2]}${frac}`);
  return { coef, exp: Number(m[4] ?? 0) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

const decAdd = (a: Dec, b: Dec): Dec => {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
};
const decSub = (a: Dec, b: Dec): Dec => {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
};
const decMul = (a: Dec, b: Dec): Dec => ({ coef: a.coef * b.coef, exp: a.exp + b.exp });

/** decimal.Div: DivRound to 16 places, half away from zero. */
function decDiv(a: Dec, b: Dec): Dec {
  if (b.coef === 0n) throw new Error("decimal division by 0");
  const precision = 16;
  const k = a.exp - b.exp + precision;
  const num = k >= 0 ? a.coef * 10n ** BigInt(k) : a.coef;
  const den = k >= 0 ? b.coef : b.coef * 10n ** BigInt(-k);
  let q = num / den;
  const r = num - q * den;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += a.coef < 0n !== b.coef < 0n ? -1n : 1n;
  return { coef: q, exp: -precision };
}

/** Decimal.Float64: the float64 nearest to the exact value. */
const decToFloat = (d: Dec): number => Number(`${d.coef}e${d.exp}`);

function decimalOp(a: unknown, rest: unknown[], op: (x: Dec, y: Dec) => Dec): number {
  let acc = decFromFloat(toFloat64(a));
  for (const x of rest) acc = op(acc, decFromFloat(toFloat64(x)));
  return decToFloat(acc);
}

// --- math.Pow and round -------------------------------------------------------------------------------

/** math.Ldexp without intermediate overflow. */
function ldexp(frac: number, exp: number): number {
  const half = Math.trunc(exp / 2);
  return frac * 2 ** half * 2 ** (exp - half);
}

/** math.Frexp for finite, non-zero x. */
function frexp(x: number): [number, number] {
  let e = Math.ceil(Math.log2(Math.abs(x)));
  let f = x / 2 ** e;
  while (Math.abs(f) >= 1) {
    f /= 2;
    e++;
  }
  while (Math.abs(f) < 0.5) {
    f *= 2;
    e--;
  }
  return [f, e];
}

/** Go's math.Pow(10, y) for the integral y Sprig's round passes (repeated squaring, as Go does). */
function pow10(y: number): number {
  if (y === 0) return 1;
  if (y === 1) return 10;
  if (!Number.isFinite(y)) return y > 0 ? Infinity : 0;
  const yi = Math.trunc(Math.abs(y));
  if (yi >= 2 ** 63) return y < 0 ? 0 : Infinity;
  let a1 = 1;
  let ae = 0;
  let [x1, xe] = frexp(10);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

function round(a: unknown, p: bigint, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = toFloat64(a);
  const pow = pow10(Number(p));
  const digit = pow * val;
  const frac = Number.isFinite(digit) ? digit - Math.trunc(digit) : Number.isNaN(digit) ? digit : 0;
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

// --- sequences ---------------------------------------------------------------------------------------

/**
 * More elements than a render can use: Go would grow the slice until the process runs out of
 * memory (a fatal error, not a template error); vaultrun fails the call instead.
 */
const MAX_ELEMENTS = 1n << 26n;

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (step !== 0n && (stop - start) / step > MAX_ELEMENTS) {
    throw new Error("runtime error: makeslice: len out of range");
  }
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

const ints = (v: bigint[]) => typedSlice("int", v);

function seq(...params: bigint[]): string {
  let increment = 1n;
  let out: bigint[];
  switch (params.length) {
    case 1: {
      const start = 1n;
      const end = params[0]!;
      if (end < start) increment = -1n;
      out = untilStep(start, end + increment, increment);
      break;
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      if (end < start) {
        increment = -1n;
        if (step > 0n) return "";
      }
      out = untilStep(start, end + increment, step);
      break;
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      out = untilStep(start, end + step, step);
      break;
    }
    default:
      return "";
  }
  return out.join(" ");
}

/** strconv.Atoi as Sprig calls it: syntax errors give 0, out-of-range values are clamped. */
function atoi(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0n;
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n) return 2n ** 63n - 1n;
  if (n < -(2n ** 63n)) return -(2n ** 63n);
  return n;
}

/** strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on any error. */
function toDecimal(v: unknown): GoTyped {
  const s = sprintOne(v === undefined ? null : v);
  if (!/^[+-]?[0-7]+$/.test(s)) return i64(0n);
  const n = octal(s);
  return i64(n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n);
}

function octal(s: string): bigint {
  const neg = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const n = BigInt(`0o${body}`);
  return neg ? -n : n;
}

function randInt(min: bigint, max: bigint): bigint {
  const n = BigInt.asIntN(64, max - min);
  if (n <= 0n) throw new Error("invalid argument to Intn");
  const r =
    n <= BigInt(Number.MAX_SAFE_INTEGER)
      ? BigInt(Math.floor(Math.random() * Number(n)))
      : BigInt.asUintN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) << 11n) % n;
  return BigInt.asIntN(64, r + min);
}

function maxOf(a: unknown, ...rest: unknown[]): GoTyped {
  let m = toInt64(a);
  for (const x of rest) {
    const v = toInt64(x);
    if (v > m) m = v;
  }
  return i64(m);
}

function minOf(a: unknown, ...rest: unknown[]): GoTyped {
  let m = toInt64(a);
  for (const x of rest) {
    const v = toInt64(x);
    if (v < m) m = v;
  }
  return i64(m);
}

/** math.Max / math.Min: NaN wins, and +0 beats -0 for Max (−0 for Min). */
function goMax(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && y === 0) return Object.is(x, -0) ? y : x;
  return x > y ? x : y;
}

function goMin(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && y === 0) return Object.is(x, -0) ? x : y;
  return x < y ? x : y;
}

function intDiv(a: bigint, b: bigint, mod: boolean): GoTyped {
  if (b === 0n) throw new Error("runtime error: integer divide by zero");
  return i64(mod ? a % b : a / b);
}

export function mathFuncs(): Record<string, Fn> {
  return {
    add1: fn(`func(${I}) int64`, (a: unknown) => i64(toInt64(a) + 1n)),
    add: fn(`func(...${I}) int64`, (...a: unknown[]) =>
      i64(a.reduce<bigint>((s, x) => BigInt.asIntN(64, s + toInt64(x)), 0n)),
    ),
    sub: fn(`func(${I}, ${I}) int64`, (a: unknown, b: unknown) => i64(toInt64(a) - toInt64(b))),
    div: fn(`func(${I}, ${I}) int64`, (a: unknown, b: unknown) => intDiv(toInt64(a), toInt64(b), false)),
    mod: fn(`func(${I}, ${I}) int64`, (a: unknown, b: unknown) => intDiv(toInt64(a), toInt64(b), true)),
    mul: fn(`func(${I}, ...${I}) int64`, (a: unknown, ...v: unknown[]) =>
      i64(v.reduce<bigint>((p, x) => BigInt.asIntN(64, p * toInt64(x)), toInt64(a))),
    ),
    randInt: fn("func(int, int) int", randInt),
    add1f: fn(`func(${I}) float64`, (a: unknown) => decimalOp(a, [1n], decAdd)),
    addf: fn(`func(...${I}) float64`, (...a: unknown[]) => decimalOp(0, a, decAdd)),
    subf: fn(`func(${I}, ...${I}) float64`, (a: unknown, ...v: unknown[]) => decimalOp(a, v, decSub)),
    divf: fn(`func(${I}, ...${I}) float64`, (a: unknown, ...v: unknown[]) => decimalOp(a, v, decDiv)),
    mulf: fn(`func(${I}, ...${I}) float64`, (a: unknown, ...v: unknown[]) => decimalOp(a, v, decMul)),
    biggest: fn(`func(${I}, ...${I}) int64`, maxOf),
    max: fn(`func(${I}, ...${I}) int64`, maxOf),
    min: fn(`func(${I}, ...${I}) int64`, minOf),
    maxf: fn(`func(${I}, ...${I}) float64`, (a: unknown, ...v: unknown[]) =>
      v.reduce<number>((m, x) => goMax(m, toFloat64(x)), toFloat64(a)),
    ),
    minf: fn(`func(${I}, ...${I}) float64`, (a: unknown, ...v: unknown[]) =>
      v.reduce<number>((m, x) => goMin(m, toFloat64(x)), toFloat64(a)),
    ),
    ceil: fn(`func(${I}) float64`, (a: unknown) => Math.ceil(toFloat64(a))),
    floor: fn(`func(${I}) float64`, (a: unknown) => Math.floor(toFloat64(a))),
    round: fn(`func(${I}, int, ...float64) float64`, round),
    int: fn(`func(${I}) int`, (v: unknown) => toInt64(v)),
    int64: fn(`func(${I}) int64`, (v: unknown) => i64(toInt64(v))),
    float64: fn(`func(${I}) float64`, (v: unknown) => toFloat64(v)),
    atoi: fn("func(string) int", atoi),
    toDecimal: fn(`func(${I}) int64`, toDecimal),
    seq: fn("func(...int) string", seq),
    until: fn("func(int) []int", (count: bigint) => ints(untilStep(0n, count, count < 0n ? -1n : 1n))),
    untilStep: fn("func(int, int, int) []int", (a: bigint, b: bigint, c: bigint) => ints(untilStep(a, b, c))),
  };
}
