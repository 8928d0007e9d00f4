/** Sprig's reflection helpers (reflect.go), deepEqual (reflect.DeepEqual) and the defaults family. */
import { deepEqual, empty, goKindOf, goTypeOf } from "./convert.ts";
import { type Fn, fn } from "./fn.ts";

const I = "interface {}";

export function reflectFuncs(): Record<string, Fn> {
  return {
    typeOf: fn(`func(${I}) string`, (v: unknown) => goTypeOf(v)),
    typeIs: fn(`func(string, ${I}) bool`, (t: string, v: unknown) => t === goTypeOf(v)),
    typeIsLike: fn(`func(string, ${I}) bool`, (t: string, v: unknown) => {
      const actual = goTypeOf(v);
      return t === actual || `*${t}` === actual;
    }),
    kindOf: fn(`func(${I}) string`, (v: unknown) => goKindOf(v)),
    kindIs: fn(`func(string, ${I}) bool`, (k: string, v: unknown) => k === goKindOf(v)),
    deepEqual: fn(`func(${I}, ${I}) bool`, deepEqual),
  };
}

export function defaultFuncs(): Record<string, Fn> {
  return {
    default: fn(`func(${I}, ...${I}) ${I}`, (d: unknown, ...given: unknown[]) =>
      given.length === 0 || empty(given[0]) ? d : given[0],
    ),
    empty: fn(`func(${I}) bool`, empty),
    coalesce: fn(`func(...${I}) ${I}`, (...v: unknown[]) => v.find((x) => !empty(x)) ?? null),
    all: fn(`func(...${I}) bool`, (...v: unknown[]) => v.every((x) => !empty(x))),
    any: fn(`func(...${I}) bool`, (...v: unknown[]) => v.some((x) => !empty(x))),
    ternary: fn(`func(${I}, ${I}, bool) ${I}`, (t: unknown, f: unknown, c: boolean) => (c ? t : f)),
    fail: fn("func(string) (string, error)", (msg: string) => {
      throw new Error(msg);
    }),
  };
}
