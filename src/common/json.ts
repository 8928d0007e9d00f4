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

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepNumbers: Reviver = (_key, value, context) => {
  if (typeof value === "number") return new JsonNumber(context?.source ?? String(value));
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
