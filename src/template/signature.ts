/**
 * Go function signatures ("func(string, ...interface {}) (string, error)") parsed once, so calls
 * can apply Go's rules: arity, variadics, argument assignability, and a trailing error result.
 */

export interface Signature {
  params: string[];
  variadic: boolean;
  /** The first result's type. */
  result: string;
  returnsError: boolean;
  numOut: number;
}

const cache = new Map<string, Signature>();

/**
 * The types that the executor compares parameter types with, as the literals in its code: a type
 * sliced out of a signature is a different string, and comparing it with `===` compares its
 * characters; the literal itself compares by identity.
 */
const COMMON_TYPES = new Map(
  ["interface {}", "reflect.Value", "string", "int", "float64", "bool", "json.Number", "any", "error"].map(
    (t) => [t, t],
  ),
);

function intern(t: string): string {
  return COMMON_TYPES.get(t) ?? t;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last !== "" || out.length > 0) out.push(last);
  return out;
}

/** Parses a Go func type. Throws on malformed input (a programming error in a FuncMap). */
export function parseSignature(sig: string): Signature {
  const hit = cache.get(sig);
  if (hit) return hit;
  const s = sig.trim();
  if (!s.startsWith("func(")) throw new Error(`bad Go signature: ${sig}`);
  let depth = 0;
  let close = -1;
  for (let i = 4; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new Error(`bad Go signature: ${sig}`);
  const params = splitTopLevel(s.slice(5, close));
  let variadic = false;
  if (params.length > 0 && params[params.length - 1].startsWith("...")) {
    variadic = true;
    params[params.length - 1] = params[params.length - 1].slice(3).trim();
  }
  let rest = s.slice(close + 1).trim();
  if (rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1);
  const results = rest === "" ? [] : splitTopLevel(rest);
  const parsed: Signature = {
    params: params.map(intern),
    variadic,
    result: intern(results[0] ?? ""),
    returnsError: results.length === 2 && results[1] === "error",
    numOut: results.length,
  };
  cache.set(sig, parsed);
  return parsed;
}
