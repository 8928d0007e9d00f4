/**
 * toYAML as gopkg.in/yaml.v2 Marshal prints template data (maps with yaml.v2's "natural" key
 * order, block style, sequences not indented under a mapping key, strings quoted only when they
 * would read back as another type or are not plain-safe, literal `|-` blocks for multi-line
 * strings, json.Number as a number, struct fields lower-cased) and parseYAML on Bun's parser.
 */
import { JsonNumber } from "../../common/json.ts";
import { formatFloat, structFields } from "../fmt.ts";
import { GoChan, GoComplex, GoNil, GoStruct, GoTime, GoTyped } from "../value.ts";
import { goTimeFormat } from "./gotime.ts";

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

/** yaml.v2 keyList.Less for string keys: letters first, digit runs compared as numbers. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** Strings yaml.v2 would resolve to a non-string (so they must be quoted). */
const RESOLVES =
  /^(?:|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

function plainAllowed(s: string): boolean {
  if (s === "" || s.startsWith("---") || s.startsWith("...")) return false;
  if (/^[\s]|[\s]$/.test(s)) return false;
  const first = s[0]!;
  if ("#,[]{}&*!|>'\"%@`".includes(first)) return false;
  if ((first === "-" || first === "?" || first === ":") && (s.length === 1 || /\s/.test(s[1]!))) return false;
  if (/: |:$| #/.test(s)) return false;
  // Non-printable characters force double quotes.
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]/.test(s);
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 0) out += "\\0";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 9) out += "\\t";
    else if (c === 10) out += "\\n";
    else if (c === 11) out += "\\v";
    else if (c === 12) out += "\\f";
    else if (c === 13) out += "\\r";
    else if (c === 0x1b) out += "\\e";
    else if (c === 0x85) out += "\\N";
    else if (c === 0xa0) out += "\\_";
    else if (c === 0x2028) out += "\\L";
    else if (c === 0x2029) out += "\\P";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff)
      out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function scalarString(s: string, indent: string): string {
  if (s.includes("\n")) {
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s) || /^ /.test(s)) return doubleQuoted(s);
    const chomp = s.endsWith("\n\n") || s === "\n" ? "+" : s.endsWith("\n") ? "" : "-";
    const body = s.endsWith("\n") ? s.slice(0, -1) : s;
    const pad = `${indent}  `;
    return `|${chomp}\n${body
      .split("\n")
      .map((l) => (l === "" ? "" : pad + l))
      .join("\n")}`;
  }
  if (RESOLVES.test(s)) return doubleQuoted(s);
  if (plainAllowed(s)) return s;
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]/.test(s)) return doubleQuoted(s);
  return `'${s.replace(/'/g, "''")}'`;
}

function yamlFloat(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (f === Infinity) return ".inf";
  if (f === -Infinity) return "-.inf";
  return formatFloat(f, "g", -1);
}

function scalar(v: unknown, indent: string): string | null {
  if (v === null || v === undefined || v instanceof GoNil) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "number":
      return yamlFloat(v);
    case "string":
      return scalarString(v, indent);
  }
  if (v instanceof JsonNumber) {
    if (/^-?\d+$/.test(v.text)) {
      const n = BigInt(v.text);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return n.toString();
    }
    const f = Number(v.text);
    if (v.text !== "" && !Number.isNaN(f)) return yamlFloat(f);
    return scalarString(v.text, indent);
  }
  if (v instanceof GoTyped) {
    if (typeof v.value === "string") return scalarString(v.value, indent);
    if (typeof v.value === "number") return yamlFloat(v.value);
    return String(v.value);
  }
  if (v instanceof GoTime) return goTimeFormat(v, "2006-01-02T15:04:05.999999999Z07:00");
  if (v instanceof GoComplex || v instanceof GoChan)
    throw new Error(`cannot marshal type: ${v instanceof GoChan ? `<-chan ${v.elemType}` : "complex128"}`);
  return null;
}

function entries(v: object): [string, unknown][] {
  if (v instanceof GoStruct) {
    return structFields(v).map((k) => [k.toLowerCase(), (v as unknown as Record<string, unknown>)[k]]);
  }
  const rec = v as Record<string, unknown>;
  return Object.keys(rec)
    .sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0))
    .map((k) => [k, rec[k]]);
}

function isEmptyCollection(v: unknown): string | null {
  if (Array.isArray(v)) return v.length === 0 ? "[]" : null;
  if (v !== null && typeof v === "object" && scalar(v, "") === null) {
    return entries(v).length === 0 ? "{}" : null;
  }
  return null;
}

/** Emits `v` as the value of a block node at `indent`; returns lines (no trailing newline). */
function block(v: unknown, indent: string): string {
  const s = scalar(v, indent);
  if (s !== null) return s;
  const empty = isEmptyCollection(v);
  if (empty) return empty;
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        const sc = scalar(x, indent) ?? isEmptyCollection(x);
        if (sc !== null) return `${indent}- ${sc}`;
        const inner = block(x, `${indent}  `);
        return `${indent}- ${inner.startsWith(`${indent}  `) ? inner.slice(indent.length + 2) : inner}`;
      })
      .join("\n");
  }
  return entries(v as object)
    .map(([k, x]) => {
      const key = scalarString(k, indent);
      const sc = scalar(x, indent);
      const empty = isEmptyCollection(x);
      if (sc !== null) return `${indent}${key}: ${sc}`;
      if (empty) return `${indent}${key}: ${empty}`;
      // yaml.v2 does not indent a sequence under a mapping key.
      const childIndent = Array.isArray(x) ? indent : `${indent}  `;
      return `${indent}${key}:\n${block(x, childIndent)}`;
    })
    .join("\n");
}

export function toYaml(v: unknown): string {
  return block(v, "");
}

/** yaml.v2 Unmarshal into interface{}: integers as int, other numbers as float64. */
export function parseYaml(s: string): unknown {
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(s);
  } catch (e) {
    throw new Error(`yaml: ${(e as Error).message}`);
  }
  const conv = (x: unknown): unknown => {
    if (x === undefined || x === null) return null;
    if (typeof x === "number") return Number.isSafeInteger(x) ? BigInt(x) : x;
    if (Array.isArray(x)) return x.map(conv);
    if (typeof x === "object") {
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, val] of Object.entries(x as Record<string, unknown>)) out[k] = conv(val);
      return out;
    }
    return x;
  };
  return conv(Array.isArray(doc) && s.trimStart().startsWith("---") && doc.length === 1 ? doc[0] : doc);
}
