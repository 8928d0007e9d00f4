/**
 * Request-field decoding shared by the engines and auth methods. Vault's CLI sends every
 * `key=value` argument as a JSON string ("false", "1h", "a,b"), while API clients send real JSON
 * types; Vault's framework accepts both, so these helpers do too. A value of the wrong shape is
 * a 400 naming the field, never an exception.
 */
import { parseDurationSecond } from "../../../clock/duration.ts";
import { JsonNumber } from "../../../common/json.ts";
import { BackendError } from "../../types.ts";

type Body = Record<string, unknown>;

function bad(field: string, detail: string): BackendError {
  return new BackendError(400, `error converting input for field "${field}": ${detail}`);
}

function scalar(v: unknown): unknown {
  return v instanceof JsonNumber ? Number(v.text) : v;
}

export function has(body: Body, field: string): boolean {
  return body[field] !== undefined && body[field] !== null;
}

export function str(body: Body, field: string, dflt = ""): string {
  const v = scalar(body[field]);
  if (v === undefined || v === null) return dflt;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw bad(field, "expected a string");
}

export function bool(body: Body, field: string, dflt: boolean): boolean {
  const v = scalar(body[field]);
  if (v === undefined || v === null || v === "") return dflt;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (["true", "t", "1"].includes(s)) return true;
    if (["false", "f", "0"].includes(s)) return false;
  }
  throw bad(field, "expected a boolean");
}

export function int(body: Body, field: string, dflt: number): number {
  const v = scalar(body[field]);
  if (v === undefined || v === null || v === "") return dflt;
  const n =
    typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n)) throw bad(field, "expected an integer");
  return n;
}

/** A duration field ("1h", "90", 90) in whole seconds; negative values are refused. */
export function seconds(body: Body, field: string, dflt: number): number {
  const n = signedSeconds(body, field, dflt);
  if (n < 0) throw bad(field, "duration cannot be negative");
  return n;
}

/** A duration that may be negative (JWT leeways use -1 to mean "none"). */
export function signedSeconds(body: Body, field: string, dflt: number): number {
  const v = scalar(body[field]);
  if (v === undefined || v === null || v === "") return dflt;
  try {
    return Math.trunc(parseDurationSecond(v) / 1000);
  } catch (e) {
    throw bad(field, e instanceof Error ? e.message : "expected a duration");
  }
}

/** A comma-separated string or a JSON array of strings; blanks dropped. */
export function list(body: Body, field: string, dflt: string[] = []): string[] {
  const v = body[field];
  if (v === undefined || v === null) return dflt;
  if (typeof v === "string") return splitList(v);
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        const s = scalar(x);
        if (typeof s === "string") return s.trim();
        if (typeof s === "number" || typeof s === "boolean") return String(s);
        throw bad(field, "expected a list of strings");
      })
      .filter((s) => s !== "");
  }
  throw bad(field, "expected a list of strings");
}

export function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

/** A JSON object, or a string holding one (the CLI's `field=@file.json` / `field='{"a":1}'`). */
export function object(body: Body, field: string): Record<string, unknown> | undefined {
  let v = body[field];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      throw bad(field, "expected a JSON object");
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(field, "expected a JSON object");
  return v as Record<string, unknown>;
}

/** A map of string to string (metadata, claim_mappings). */
export function stringMap(body: Body, field: string): Record<string, string> | undefined {
  const o = object(body, field);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(o)) {
    const v = scalar(raw);
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw bad(field, `value of "${k}" must be a string`);
    }
    out[k] = String(v);
  }
  return out;
}

/** Mount-level default and max lease TTL in seconds (Vault's dev defaults: 768h both). */
export function mountTTLs(options: Record<string, unknown>): { defaultTTL: number; maxTTL: number } {
  const cfg = (
    typeof options.config === "object" && options.config !== null ? options.config : options
  ) as Body;
  const fallback = 768 * 3600;
  let defaultTTL = fallback;
  let maxTTL = fallback;
  try {
    defaultTTL = seconds(cfg, "default_lease_ttl", 0) || fallback;
    maxTTL = seconds(cfg, "max_lease_ttl", 0) || fallback;
  } catch {
    // A malformed tune value is the core's concern; keep Vault's defaults here.
  }
  return { defaultTTL, maxTTL };
}

/** Go's time.RFC3339Nano-ish rendering used in Vault responses (UTC, no trailing zeros). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
