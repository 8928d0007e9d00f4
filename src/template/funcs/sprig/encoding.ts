/** Sprig's encodings and hashes: base64/base32, sha1/sha256/sha512/adler32, and JSON. */
import { createHash } from "node:crypto";
import { decodeGoBytes, encodeGoString } from "../../bytes.ts";
import { elemTypeOf, GoStruct, typedSlice } from "../../value.ts";
import { decodeGoJson, encodeGoJson } from "../gojson.ts";
import { goBase64Decode } from "../index.ts";
import { type Fn, fn } from "./fn.ts";
import { MARSHAL_AS_STRING, stringerOf } from "./convert.ts";

const S = "func(string) string";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** base32.StdEncoding.EncodeToString */
export function base32Encode(s: string): string {
  const b = encodeGoString(s);
  let out = "";
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : "=";
    }
  }
  return out;
}

/** base32.StdEncoding.DecodeString with Go's CorruptInputError offsets (after removing \r, \n). */
export function base32Decode(text: string): string {
  const src = encodeGoString(text).filter((c) => c !== 0x0a && c !== 0x0d);
  const bad = (at: number) => new Error(`illegal base32 data at input byte ${at}`);
  const olen = src.length;
  const out: number[] = [];
  let p = 0;
  let end = false;
  while (p < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === olen) throw bad(olen - (olen - p) - j);
      const c = src[p++]!;
      const left = olen - p;
      if (c === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) throw bad(olen);
        for (let k = 0; k < 7 - j; k++) {
          if (left > k && src[p + k] !== 0x3d) throw bad(olen - left + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw bad(olen - left - 1);
        break;
      }
      const v = c < 0x80 ? B32.indexOf(String.fromCharCode(c)) : -1;
      if (v < 0) throw bad(olen - left - 1);
      dbuf[j] = v;
      j++;
    }
    const q = [
      (dbuf[0]! << 3) | (dbuf[1]! >> 2),
      ((dbuf[1]! << 6) | (dbuf[2]! << 1) | (dbuf[3]! >> 4)) & 0xff,
      ((dbuf[3]! << 4) | (dbuf[4]! >> 1)) & 0xff,
      ((dbuf[4]! << 7) | (dbuf[5]! << 2) | (dbuf[6]! >> 3)) & 0xff,
      ((dbuf[6]! << 5) | dbuf[7]!) & 0xff,
    ];
    const n = dlen === 8 ? 5 : dlen === 7 ? 4 : dlen === 5 ? 3 : dlen === 4 ? 2 : dlen === 2 ? 1 : 0;
    for (let k = 0; k < n; k++) out.push(q[k]! & 0xff);
  }
  return decodeGoBytes(Uint8Array.from(out));
}

function hash(alg: string): (s: string) => string {
  return (s) => createHash(alg).update(encodeGoString(s)).digest("hex");
}

/** hash/adler32.Checksum */
function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const c of encodeGoString(s)) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

/**
 * Values whose Go type has its own MarshalJSON (Sprig's *semver.Version) encoded as that method
 * would; everything else is left for the shared encoder.
 */
function marshalers(v: unknown, seen = new Set<object>()): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof GoStruct) {
    const s = stringerOf(v);
    return s && (v as { [MARSHAL_AS_STRING]?: boolean })[MARSHAL_AS_STRING] ? s() : v;
  }
  if (seen.has(v)) return v;
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      const mapped = v.map((x) => marshalers(x, seen));
      return mapped.every((x, i) => x === v[i]) ? v : typedSlice(elemTypeOf(v), mapped);
    }
    if (Object.getPrototypeOf(v) !== null && Object.getPrototypeOf(v) !== Object.prototype) return v;
    const rec = v as Record<string, unknown>;
    let changed = false;
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(rec)) {
      out[k] = marshalers(rec[k], seen);
      if (out[k] !== rec[k]) changed = true;
    }
    return changed ? out : v;
  } finally {
    seen.delete(v);
  }
}

function toJson(v: unknown, opts: { indent?: string; escapeHtml?: boolean } = {}): string {
  return encodeGoJson(marshalers(v), opts);
}

function orEmpty(body: () => string): string {
  try {
    return body();
  } catch {
    return "";
  }
}

export function encodingFuncs(): Record<string, Fn> {
  return {
    b64enc: fn(S, (s: string) => Buffer.from(encodeGoString(s)).toString("base64")),
    b64dec: fn(S, (s: string) => {
      try {
        return goBase64Decode(s, false);
      } catch (e) {
        return (e as Error).message;
      }
    }),
    b32enc: fn(S, base32Encode),
    b32dec: fn(S, (s: string) => {
      try {
        return base32Decode(s);
      } catch (e) {
        return (e as Error).message;
      }
    }),
    sha1sum: fn(S, hash("sha1")),
    sha256sum: fn(S, hash("sha256")),
    sha512sum: fn(S, hash("sha512")),
    adler32sum: fn(S, adler32),
    toJson: fn("func(interface {}) string", (v: unknown) => orEmpty(() => toJson(v))),
    toPrettyJson: fn("func(interface {}) string", (v: unknown) => orEmpty(() => toJson(v, { indent: "  " }))),
    toRawJson: fn("func(interface {}) string", (v: unknown) => toJson(v, { escapeHtml: false })),
    mustToJson: fn("func(interface {}) (string, error)", (v: unknown) => toJson(v)),
    mustToPrettyJson: fn("func(interface {}) (string, error)", (v: unknown) => toJson(v, { indent: "  " })),
    mustToRawJson: fn("func(interface {}) (string, error)", (v: unknown) => toJson(v, { escapeHtml: false })),
    fromJson: fn("func(string) interface {}", (s: string) => {
      try {
        return decodeGoJson(s);
      } catch {
        return null;
      }
    }),
    mustFromJson: fn("func(string) (interface {}, error)", (s: string) => decodeGoJson(s)),
  };
}
