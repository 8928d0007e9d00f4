/**
 * Consul Template's math helpers: add, subtract, multiply, divide, modulo, minimum, maximum.
 * Registered as func(b, a interface{}) and computing `a OP b`, so the piped value is the left
 * operand: `{{ 10 | subtract 3 }}` is 7. Operands are classified by Go kind (int, uint, float);
 * anything else, json.Number included, is an error naming the value with %q and its type. Integer
 * results are int64 (wrapping) or uint64; a float on either side gives float64.
 */
import { sprintf } from "../fmt.ts";
import { K, kindOf, typeName } from "../gotype.ts";
import { type FuncMap, GoTyped } from "../value.ts";

type Num = { k: K.Int | K.Uint; v: bigint } | { k: K.Float; v: number };

function classify(x: unknown): Num | null {
  const k = kindOf(x);
  if (k === K.Int || k === K.Uint) {
    const v = typeof x === "bigint" ? x : BigInt((x as GoTyped).value as bigint | number);
    return { k, v } as Num;
  }
  if (k === K.Float) return { k: K.Float, v: typeof x === "number" ? x : Number((x as GoTyped).value) };
  return null;
}

function unknownType(name: string, x: unknown): Error {
  const shown = x === null || x === undefined ? "<invalid reflect.Value>" : sprintf("%q", [x]);
  return new Error(
    `${name}: unknown type for ${shown} (${x === null || x === undefined ? "<nil>" : typeName(x)})`,
  );
}

const int64 = (v: bigint) => new GoTyped("int64", BigInt.asIntN(64, v));
const uint64 = (v: bigint) => new GoTyped("uint64", BigInt.asUintN(64, v));
const f64 = (n: Num) => (n.k === K.Float ? n.v : Number(n.k === K.Uint ? BigInt.asUintN(64, n.v) : n.v));

/** Go's int64(u) for a uint64 operand. */
const asInt = (n: Num) => BigInt.asIntN(64, n.v as bigint);

function divZero(): Error {
  return new Error("runtime error: integer divide by zero");
}

type IntOp = (a: bigint, b: bigint) => bigint;

function arith(name: string, intOp: IntOp, floatOp: ((a: number, b: number) => number) | null) {
  return {
    signature: "func(interface {}, interface {}) (interface {}, error)",
    fn: ((b: unknown, a: unknown) => {
      const av = classify(a);
      if (!av) throw unknownType(name, a);
      const bv = classify(b);
      if (!bv) throw unknownType(name, b);
      if (av.k === K.Float || bv.k === K.Float) {
        if (!floatOp) throw unknownType(name, av.k === K.Float ? b : b);
        return floatOp(f64(av), f64(bv));
      }
      if (av.k === K.Uint && bv.k === K.Uint) return uint64(intOp(av.v, bv.v));
      return int64(intOp(asInt(av), asInt(bv)));
    }) as never,
  };
}

function pick(name: string, less: (a: number | bigint, b: number | bigint) => boolean) {
  return {
    signature: "func(interface {}, interface {}) (interface {}, error)",
    fn: ((b: unknown, a: unknown) => {
      const av = classify(a);
      if (!av) throw unknownType(name, a);
      const bv = classify(b);
      if (!bv) throw unknownType(name, b);
      const out = (n: Num) => (n.k === K.Float ? n.v : n.k === K.Uint ? uint64(n.v) : int64(n.v));
      let wins: boolean;
      if (av.k === K.Float || bv.k === K.Float) wins = less(f64(av), f64(bv));
      else if (av.k === K.Uint && bv.k === K.Uint) wins = less(av.v, bv.v);
      else wins = less(asInt(av), asInt(bv));
      return wins ? out(av) : out(bv);
    }) as never,
  };
}

export function mathFuncs(): FuncMap {
  return {
    add: arith(
      "add",
      (a, b) => a + b,
      (a, b) => a + b,
    ),
    subtract: arith(
      "subtract",
      (a, b) => a - b,
      (a, b) => a - b,
    ),
    multiply: arith(
      "multiply",
      (a, b) => a * b,
      (a, b) => a * b,
    ),
    divide: arith(
      "divide",
      (a, b) => {
        if (b === 0n) throw divZero();
        return a / b;
      },
      (a, b) => a / b,
    ),
    modulo: {
      signature: "func(interface {}, interface {}) (interface {}, error)",
      fn: ((b: unknown, a: unknown) => {
        const av = classify(a);
        if (!av || av.k === K.Float) throw unknownType("modulo", a);
        const bv = classify(b);
        if (!bv || bv.k === K.Float) throw unknownType("modulo", b);
        if (bv.v === 0n) throw divZero();
        if (av.k === K.Uint && bv.k === K.Uint) return uint64(av.v % bv.v);
        const y = asInt(bv);
        if (y === 0n) throw divZero();
        return int64(asInt(av) % y);
      }) as never,
    },
    minimum: pick("minimum", (a, b) => a < b),
    maximum: pick("maximum", (a, b) => a > b),
  };
}
