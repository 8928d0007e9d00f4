/**
 * JSON as Go's encoding/json with UseNumber sees it: numbers keep their literal text
 * (json.Number), so "1.50" prints as 1.50 and 12345678901234567890 does not lose digits.
 * Consul Template decodes Vault responses this way; the template engine relies on it.
 */

/** Go's json.Number: a number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): unknown {
    // Re-serialise losslessly where possible.
    const n = Number(this.text);
    return Number.isFinite(n) && String(n) === this.text ? n : this.text;
  }
}

/**
 * The capacities Go's encoding/json leaves on a decoded []interface{} (Go 1.26, 64-bit): it appends
 * element by element, so a list of n elements has the first of append's sizes that holds n. Only a
 * template's slice builtin can see it (a 3-index slice, or slicing past the length).
 */
const APPEND_CAPS = [
  1, 2, 4, 8, 16, 32, 71, 143, 303, 591, 1023, 1535, 2560, 3584, 5120, 6656, 8704, 11264, 14336, 18432, 23552,
  29696, 37376, 47104, 59392, 74752,
];
const CAPACITY = new WeakMap<readonly unknown[], number>();

/** The capacity Go's decoder would give list `a` (just decoded from JSON). */
export function setDecodedCapacity(a: readonly unknown[]): void {
  const n = a.length;
  if (n === 0) return;
  const cap = APPEND_CAPS.find((c) => c >= n) ?? n;
  if (cap > n) CAPACITY.set(a, cap);
}

/** A Go slice's capacity: what was recorded for it (setCapacity), else its length. */
export function capacityOf(a: readonly unknown[]): number {
  return CAPACITY.get(a) ?? a.length;
}

/** Records the capacity of a slice made by slicing another. */
export function setCapacity(a: readonly unknown[], cap: number): void {
  if (cap > a.length) CAPACITY.set(a, cap);
}

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepNumbers: Reviver = (_key, value, context) => {
  if (typeof value === "number") return new JsonNumber(context?.source ?? String(value));
  if (Array.isArray(value)) setDecodedCapacity(value);
  return value;
};

/** Parses JSON, turning every number into a JsonNumber. Throws SyntaxError on bad input. */
export function parseJsonNumbers(text: string): unknown {
  return JSON.parse(text, keepNumbers as (this: unknown, key: string, value: unknown) => unknown);
}

/** Converts JsonNumber leaves back to plain numbers (for code that wants ordinary JS values). */
export function plainJson(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plainJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainJson(v);
    return out;
  }
  return value;
}

/** Serialises a value that may contain JsonNumber leaves, keeping their literal text. */
export function stringifyJsonNumbers(value: unknown): string {
  const marker = "\u0000num:";
  // toJSON runs before a replacer sees the value, so look at the holder's original property.
  const text = JSON.stringify(value, function (this: Record<string, unknown>, k, v) {
    const orig = this[k];
    return orig instanceof JsonNumber ? `${marker}${orig.text}` : v;
  });
  return text.replace(/"\\u0000num:([^"]*)"/g, "$1");
}
