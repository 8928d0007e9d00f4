/**
 * Go's encoding/json as Consul Template's toJSON family uses it: map keys sorted byte-wise,
 * struct fields in declaration order, `<`, `>`, `&`, U+2028 and U+2029 escaped unless unescaped
 * output is asked for, json.Number written verbatim, float64 in Go's format, nil as null.
 */
import { JsonNumber } from "../../common/json.ts";
import { GoStruct, GoTime, GoTyped } from "../value.ts";

function quote(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c < 0x20) {
      out += ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : ch === "\t" ? "\\t" : `\\u${c.toString(16).padStart(4, "0")}`;
    } else if (escapeHtml && (ch === "<" || ch === ">" || ch === "&")) out += `\\u00${c.toString(16)}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** strconv.FormatFloat(f, 'f' or 'e', -1, 64) the way encoding/json picks it. */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${f}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: 'e' format, then "e-07" → "e-7" style cleanup of a two-digit negative exponent.
    let s = f.toExponential();
    s = s.replace(/e([+-])(\d)$/, "e$10$2");
    return s.replace(/e-0(\d)$/, "e-$1");
  }
  return String(f);
}

function byteOrder(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

export function encodeGoJson(value: unknown, opts: { indent?: string; escapeHtml?: boolean } = {}): string {
  const indent = opts.indent ?? "";
  const escapeHtml = opts.escapeHtml ?? true;
  const seen = new Set<object>();
  const enc = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") return goJsonFloat(v);
    if (typeof v === "string") return quote(v, escapeHtml);
    if (v instanceof JsonNumber) return v.text;
    if (v instanceof GoTyped) return typeof v.value === "string" ? quote(v.value, escapeHtml) : enc(v.value, depth);
    if (v instanceof GoTime) return quote(new Date(v.ms).toISOString().replace(".000Z", "Z"), escapeHtml);
    if (typeof v === "function") throw new Error("json: unsupported type: func()");
    if (seen.has(v as object)) throw new Error("json: unsupported value: encountered a cycle");
    seen.add(v as object);
    try {
      const nl = indent ? `\n${indent.repeat(depth + 1)}` : "";
      const close = indent ? `\n${indent.repeat(depth)}` : "";
      const colon = indent ? ": " : ":";
      if (Array.isArray(v)) {
        if (v.length === 0) return "[]";
        return `[${v.map((x) => nl + enc(x, depth + 1)).join(",")}${close}]`;
      }
      let entries: [string, unknown][];
      if (v instanceof GoStruct) {
        const order = (v.constructor as { fieldOrder?: string[] }).fieldOrder ?? Object.keys(v).filter((k) => k !== "goType" && k !== "goMethods");
        entries = order.map((k) => [k, (v as unknown as Record<string, unknown>)[k]]);
      } else {
        entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byteOrder(a, b));
      }
      if (entries.length === 0) return "{}";
      return `{${entries.map(([k, x]) => `${nl}${quote(k, escapeHtml)}${colon}${enc(x, depth + 1)}`).join(",")}${close}}`;
    } finally {
      seen.delete(v as object);
    }
  };
  return enc(value, 0);
}

/** json.Unmarshal into interface{}: numbers become float64 (JS numbers), not json.Number. */
export function decodeGoJson(text: string): unknown {
  return JSON.parse(text);
}
