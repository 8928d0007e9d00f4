/**
 * yaml.Marshal(v) for template values, as gopkg.in/yaml.v2 2.4 walks Go values:
 *
 * - maps: keys sorted by yaml.v2's keyList order (numbers and bools by value before strings;
 *   strings letter-by-letter with digit runs compared as numbers, so "a2" < "a10");
 * - structs: exported fields in declaration order, named in lower case;
 * - json.Number: as int64 if it is one, else as float64 if it is one, else as its text;
 * - float64: strconv 'g' shortest (1e+06), .inf/-.inf/.nan; float32 with 32-bit precision;
 * - strings: plain unless they would read back as something else (true, 1.5, null, 2001-01-01,
 *   1:20 …) — then double-quoted; multi-line ones as literal blocks; invalid UTF-8 as !!binary;
 * - time.Time: RFC 3339 with nanoseconds; nil → null; nil maps/slices → {} / [];
 * - channels, funcs, complex numbers: yaml.v2 panics with "cannot marshal type: T".
 */
import { JsonNumber } from "../../../common/json.ts";
import { formatFloat } from "../../fmt.ts";
import { K, kindOfType, typeName } from "../../gotype.ts";
import { exportedFields, GoChan, GoComplex, GoNil, GoStruct, GoTime, GoTyped } from "../../value.ts";
import { goTimeFormat } from "../gotime.ts";
import { parseFloatOrNull } from "../strconv.ts";
import { EE, type EmitEvent, emitDocument } from "./emitter.ts";
import { type GoKey, goKeyOf } from "./gomap.ts";
import { goStringBytes } from "./reader.ts";
import { BINARY_TAG, isBase60Float, resolvesToNonString } from "./resolve.ts";
import { Style } from "./scanner.ts";

/** The document yaml.Marshal writes for `v` (ends with a newline). */
export function marshal(v: unknown): string {
  return emitDocument(toEvents(v));
}

function scalar(value: string, style: Style, tag = ""): EmitEvent {
  return { type: EE.Scalar, value, tag, style, flow: false };
}

function marker(type: EE): EmitEvent {
  return { type, value: "", tag: "", style: Style.Any, flow: false };
}

const NULL = scalar("null", Style.Plain);

/** Work items: a value to marshal, or a closing event to emit. */
type Work = { v: unknown } | EmitEvent;

function toEvents(root: unknown): EmitEvent[] {
  const events: EmitEvent[] = [];
  const work: Work[] = [{ v: root }];
  while (work.length > 0) {
    const w = work.pop()!;
    if (!("v" in w)) {
      events.push(w);
      continue;
    }
    const v = w.v;
    const s = scalarEvent(v);
    if (s !== null) {
      events.push(s);
      continue;
    }
    if (Array.isArray(v)) {
      events.push(marker(EE.SequenceStart));
      work.push(marker(EE.SequenceEnd));
      for (let i = v.length - 1; i >= 0; i--) work.push({ v: v[i] });
      continue;
    }
    if (v instanceof GoNil) {
      // nil map → {}, nil slice → []; nil pointers and interfaces were handled as null.
      const k = kindOfType(v.type);
      const seq = k === K.Slice;
      events.push(
        marker(seq ? EE.SequenceStart : EE.MappingStart),
        marker(seq ? EE.SequenceEnd : EE.MappingEnd),
      );
      continue;
    }
    events.push(marker(EE.MappingStart));
    work.push(marker(EE.MappingEnd));
    const pairs = entries(v as object);
    for (let i = pairs.length - 1; i >= 0; i--) work.push({ v: pairs[i]![1] }, { v: pairs[i]![0] });
  }
  return events;
}

/** A scalar's event, or null for collections. Throws for values yaml.v2 cannot marshal. */
function scalarEvent(v: unknown): EmitEvent | null {
  switch (typeof v) {
    case "undefined":
      return NULL;
    case "string":
      return stringEvent(v);
    case "boolean":
      return scalar(v ? "true" : "false", Style.Plain);
    case "bigint":
      return scalar(v.toString(), Style.Plain);
    case "number":
      return floatEvent(v, 64);
    case "function":
      throw cannotMarshal(typeName(v));
  }
  if (v === null) return NULL;
  if (v instanceof JsonNumber) return jsonNumberEvent(v.text);
  if (v instanceof GoTyped) {
    switch (kindOfType(v.type)) {
      case K.Int:
      case K.Uint:
        return scalar(BigInt(v.value as bigint | number).toString(), Style.Plain);
      case K.Float:
        return floatEvent(Number(v.value), v.type === "float32" ? 32 : 64);
      case K.Bool:
        return scalar(v.value ? "true" : "false", Style.Plain);
      case K.String:
        return stringEvent(String(v.value));
      default:
        throw cannotMarshal(v.type);
    }
  }
  if (v instanceof GoTime) return scalar(goTimeFormat(v, "2006-01-02T15:04:05.999999999Z07:00"), Style.Plain);
  if (v instanceof GoComplex || v instanceof GoChan) throw cannotMarshal(typeName(v));
  if (v instanceof GoNil) {
    const k = kindOfType(v.type);
    if (k === K.Map || k === K.Slice) return null;
    if (k === K.Chan || k === K.Func) throw cannotMarshal(v.type);
    return NULL;
  }
  return null;
}

/** yaml.v2 panics (rather than returning an error) on types it cannot marshal. */
export class YamlPanic extends Error {}

function cannotMarshal(type: string): Error {
  return new YamlPanic(`cannot marshal type: ${type}`);
}

function floatEvent(f: number, size: 32 | 64): EmitEvent {
  let s = formatFloat(f, "g", -1, size);
  if (s === "+Inf") s = ".inf";
  else if (s === "-Inf") s = "-.inf";
  else if (s === "NaN") s = ".nan";
  return scalar(s, Style.Plain);
}

const MAX_INT64 = (1n << 63n) - 1n;

/** json.Number: Int64() if it works, else Float64(), else the text as a string. */
function jsonNumberEvent(text: string): EmitEvent {
  if (/^[+-]?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -MAX_INT64 - 1n && n <= MAX_INT64) return scalar(n.toString(), Style.Plain);
  }
  const f = parseFloatOrNull(text);
  if (f !== null) return floatEvent(f, 64);
  return stringEvent(text);
}

function stringEvent(s: string): EmitEvent {
  if (!s.isWellFormed() || /[\udc80-\udcff]/.test(s)) {
    const bytes = goStringBytes(s);
    if (!isValidUtf8(bytes)) return stringScalar(base64Lines(bytes), BINARY_TAG, true);
  }
  return stringScalar(s, "", !resolvesToNonString(s) && !isBase60Float(s));
}

function stringScalar(s: string, tag: string, canUsePlain: boolean): EmitEvent {
  const style = s.includes("\n") ? Style.Literal : canUsePlain ? Style.Plain : Style.DoubleQuoted;
  return scalar(s, style, tag);
}

function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** yaml.v2's encodeBase64: 70-column lines, each ending in a newline when there are several. */
function base64Lines(b: Uint8Array): string {
  const enc = Buffer.from(b).toString("base64");
  const lines = Math.floor(enc.length / 70) + 1;
  if (lines <= 1) return enc;
  let out = "";
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

/** A map's or struct's entries in the order yaml.v2 writes them. */
function entries(v: object): [unknown, unknown][] {
  if (v instanceof GoStruct) {
    const rec = v as unknown as Record<string, unknown>;
    return exportedFields(v).map((k) => [k.toLowerCase(), rec[k]]);
  }
  const rec = v as Record<string, unknown>;
  const keyed = Object.keys(rec).map((name) => {
    const key = goKeyOf(rec, name);
    return { key, runes: typeof key === "string" ? runesOf(key) : null, value: rec[name] };
  });
  keyed.sort((a, b) =>
    keyLessRunes(a.key, a.runes, b.key, b.runes) ? -1 : keyLessRunes(b.key, b.runes, a.key, a.runes) ? 1 : 0,
  );
  return keyed.map((e) => [e.key, e.value]);
}

// ---- yaml.v2's keyList.Less ----

/** reflect.Kind numbers (their order decides between keys of different kinds). */
function kindNumber(k: GoKey): number {
  if (k === null) return 20; // a nil interface stays Interface
  switch (typeof k) {
    case "boolean":
      return 1;
    case "bigint":
      return 2;
    case "number":
      return 14;
    case "string":
      return 24;
  }
  const kind = kindOfType(k.type);
  return kind === K.Uint ? 11 : kind === K.Int ? 6 : kind === K.Float ? 14 : kind === K.Bool ? 1 : 24;
}

function keyFloat(k: GoKey): number | null {
  if (typeof k === "boolean") return k ? 1 : 0;
  if (typeof k === "bigint") return Number(k);
  if (typeof k === "number") return k;
  if (k instanceof GoTyped && typeof k.value !== "string") return Number(k.value);
  return null;
}

function runesOf(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

const isLetter = (c: number) =>
  c < 0x80 ? (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) : /\p{L}/u.test(String.fromCodePoint(c));
const isDigit = (c: number) => (c < 0x80 ? c >= 0x30 && c <= 0x39 : /\p{Nd}/u.test(String.fromCodePoint(c)));

/** yaml.v2's keyList.Less. */
export function keyLess(a: GoKey, b: GoKey): boolean {
  return keyLessRunes(
    a,
    typeof a === "string" ? runesOf(a) : null,
    b,
    typeof b === "string" ? runesOf(b) : null,
  );
}

function keyLessRunes(a: GoKey, ar: number[] | null, b: GoKey, br: number[] | null): boolean {
  const ak = kindNumber(a);
  const bk = kindNumber(b);
  const af = keyFloat(a);
  const bf = keyFloat(b);
  if (af !== null && bf !== null) {
    if (af !== bf) return af < bf;
    if (ak !== bk) return ak < bk;
    const x = a instanceof GoTyped ? a.value : a;
    const y = b instanceof GoTyped ? b.value : b;
    if (typeof x === "boolean") return !x && (y as boolean);
    return (x as bigint | number) < (y as bigint | number);
  }
  if (ak !== 24 || bk !== 24) return ak < bk;
  return stringKeyLess(
    ar ?? runesOf(String((a as GoTyped).value)),
    br ?? runesOf(String((b as GoTyped).value)),
  );
}

/** Strings: letters before other runes, runs of digits compared as (int64) numbers. */
function stringKeyLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]! - 48));
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}
