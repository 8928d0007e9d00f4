/**
 * Sprig's regex functions (regex.go) on the engine's Go regexp. The non-must forms use
 * regexp.MustCompile, whose panic text wraps the error: regexp: Compile(`expr`): error parsing….
 */
import { canonicalGoString } from "../../bytes.ts";
import { canBackquote, quoteGo } from "../../quote.ts";
import { typedNil, typedSlice } from "../../value.ts";
import {
  compileGoRegexp,
  execGo,
  type GoRegexp,
  goRegexpReplaceAll,
  replaceAllMatches,
  testGo,
} from "../regexp.ts";
import { type Fn, fn } from "./fn.ts";

/** regexp.MustCompile's panic: the Compile error prefixed with the (back)quoted pattern. */
function mustCompile(expr: string): GoRegexp {
  try {
    return compileGoRegexp(expr);
  } catch (e) {
    const q = canBackquote(expr) ? `\`${expr}\`` : quoteGo(expr);
    throw new Error(`regexp: Compile(${q}): ${(e as Error).message}`);
  }
}

/**
 * Go's allMatches: successive leftmost matches, no empty match right after a previous one. `s`
 * is canonical (the callers below make it so): the positions index it.
 */
function allMatches(r: GoRegexp, s: string, n: number): [number, number][] {
  const out: [number, number][] = [];
  let prevEnd = -1;
  let pos = 0;
  while (out.length < n && pos <= s.length) {
    const m = execGo(r, s, pos, false);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    let accept = true;
    if (a1 === pos) {
      if (a0 === prevEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    } else pos = a1;
    prevEnd = a1;
    if (accept) out.push([a0, a1]);
  }
  return out;
}

function byteLen(s: string): number {
  return Buffer.byteLength(s);
}

function findAll(r: GoRegexp, s: string, n: bigint): string[] {
  s = canonicalGoString(s);
  const limit = n < 0n ? byteLen(s) + 1 : Number(n);
  const found = allMatches(r, s, limit).map(([a, b]) => s.slice(a, b));
  return found.length === 0 ? (typedNil("[]string") as unknown as string[]) : typedSlice("string", found);
}

function matches(r: GoRegexp, s: string): boolean {
  return testGo(r, s);
}

function find(r: GoRegexp, s: string): string {
  s = canonicalGoString(s);
  return execGo(r, s, 0, false)?.[0] ?? "";
}

function split(r: GoRegexp, expr: string, s: string, n: bigint): string[] {
  if (n === 0n) return typedNil("[]string") as unknown as string[];
  if (expr.length > 0 && s.length === 0) return typedSlice("string", [""]);
  s = canonicalGoString(s);
  const matches = allMatches(r, s, n < 0n ? byteLen(s) + 1 : Number(n));
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a, b] of matches) {
    if (n > 0n && BigInt(out.length) === n - 1n) break;
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return typedSlice("string", out);
}

/** ReplaceAllLiteralString: as ReplaceAllString, with the replacement taken as is. */
function replaceAllLiteral(r: GoRegexp, s: string, repl: string): string {
  return replaceAllMatches(r, canonicalGoString(s), () => repl, false);
}

/** regexp.QuoteMeta */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

export function regexFuncs(): Record<string, Fn> {
  const SS = "string, string";
  return {
    regexMatch: fn(`func(${SS}) bool`, (expr: string, s: string) => {
      try {
        return matches(compileGoRegexp(expr), s);
      } catch {
        return false;
      }
    }),
    mustRegexMatch: fn(`func(${SS}) (bool, error)`, (expr: string, s: string) =>
      matches(compileGoRegexp(expr), s),
    ),
    regexFindAll: fn(`func(${SS}, int) []string`, (expr: string, s: string, n: bigint) =>
      findAll(mustCompile(expr), s, n),
    ),
    mustRegexFindAll: fn(`func(${SS}, int) ([]string, error)`, (expr: string, s: string, n: bigint) =>
      findAll(compileGoRegexp(expr), s, n),
    ),
    regexFind: fn(`func(${SS}) string`, (expr: string, s: string) => find(mustCompile(expr), s)),
    mustRegexFind: fn(`func(${SS}) (string, error)`, (expr: string, s: string) =>
      find(compileGoRegexp(expr), s),
    ),
    regexReplaceAll: fn(`func(${SS}, string) string`, (expr: string, s: string, repl: string) => {
      mustCompile(expr);
      return goRegexpReplaceAll(expr, repl, s);
    }),
    mustRegexReplaceAll: fn(`func(${SS}, string) (string, error)`, (expr: string, s: string, repl: string) =>
      goRegexpReplaceAll(expr, repl, s),
    ),
    regexReplaceAllLiteral: fn(`func(${SS}, string) string`, (expr: string, s: string, repl: string) =>
      replaceAllLiteral(mustCompile(expr), s, repl),
    ),
    mustRegexReplaceAllLiteral: fn(
      `func(${SS}, string) (string, error)`,
      (expr: string, s: string, repl: string) => replaceAllLiteral(compileGoRegexp(expr), s, repl),
    ),
    regexSplit: fn(`func(${SS}, int) []string`, (expr: string, s: string, n: bigint) =>
      split(mustCompile(expr), expr, s, n),
    ),
    mustRegexSplit: fn(`func(${SS}, int) ([]string, error)`, (expr: string, s: string, n: bigint) =>
      split(compileGoRegexp(expr), expr, s, n),
    ),
    regexQuoteMeta: fn("func(string) string", quoteMeta),
  };
}
