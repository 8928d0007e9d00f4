/**
 * toTOML as BurntSushi/toml's Encoder writes a map: plain keys first (sorted), then sub-tables
 * `[a.b]` and arrays of tables `[[a]]`, each nesting level indented by two spaces, a blank line
 * before every table header; nil values are skipped; json.Number becomes an int or float.
 */
import { JsonNumber } from "../../common/json.ts";
import { compareUtf8 } from "../gotype.ts";
import { GoNil, GoStruct, GoTime, GoTyped } from "../value.ts";
import { goTimeFormat } from "./gotime.ts";

const BARE = /^[A-Za-z0-9_-]+$/;

function key(k: string): string {
  return BARE.test(k) ? k : quote(k);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function float(f: number): string {
  if (Number.isNaN(f)) return "nan";
  if (!Number.isFinite(f)) return f > 0 ? "inf" : "-inf";
  let s = String(f);
  if (Math.abs(f) >= 1e21 || (f !== 0 && Math.abs(f) < 1e-6))
    s = f.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return /[.eE]/.test(s) || s.includes("n") ? s : `${s}.0`;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  !(v instanceof JsonNumber) &&
  !(v instanceof GoNil) &&
  !(v instanceof GoTyped) &&
  !(v instanceof GoTime) &&
  !(v instanceof GoStruct);

const isNil = (v: unknown) => v === null || v === undefined || v instanceof GoNil;

function value(v: unknown): string {
  if (typeof v === "string") return quote(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return float(v);
  if (v instanceof JsonNumber) {
    if (v.text === "") return "0";
    if (/^-?\d+$/.test(v.text)) return v.text;
    return float(Number(v.text));
  }
  if (v instanceof GoTyped) return typeof v.value === "string" ? quote(v.value) : value(v.value);
  if (v instanceof GoTime) return goTimeFormat(v, "2006-01-02T15:04:05.999999999Z07:00");
  if (Array.isArray(v))
    return `[${v
      .filter((x) => !isNil(x))
      .map(value)
      .join(", ")}]`;
  if (isMap(v)) {
    const ks = Object.keys(v)
      .filter((k) => !isNil(v[k]))
      .sort(compareUtf8);
    return `{${ks.map((k) => `${key(k)} = ${value(v[k])}`).join(", ")}}`;
  }
  throw new Error(`toml: unsupported type: ${String(v)}`);
}

export function toToml(root: unknown): string {
  if (!isMap(root)) throw new Error("toml: top-level values must be Go maps or structs");
  let out = "";
  const table = (m: Record<string, unknown>, path: string[], array: boolean) => {
    if (path.length > 0) {
      if (out !== "") out += "\n";
      const ind = "  ".repeat(path.length - 1);
      const name = path.map(key).join(".");
      out += array ? `${ind}[[${name}]]\n` : `${ind}[${name}]\n`;
    }
    const ind = "  ".repeat(Math.max(0, path.length - (path.length > 0 ? 0 : 0)));
    const keys = Object.keys(m).sort(compareUtf8);
    const isTableArray = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every(isMap);
    for (const k of keys) {
      const x = m[k];
      if (isNil(x) || isMap(x) || isTableArray(x)) continue;
      out += `${path.length > 0 ? ind : ""}${key(k)} = ${value(x)}\n`;
    }
    for (const k of keys) {
      const x = m[k];
      if (isMap(x)) table(x, [...path, k], false);
      else if (isTableArray(x)) for (const e of x as Record<string, unknown>[]) table(e, [...path, k], true);
    }
  };
  table(root, [], false);
  return out;
}
