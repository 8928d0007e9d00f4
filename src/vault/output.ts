/**
 * The output of Vault's CLI, reproduced for `vaultrun kv|read|write` so that scripts written for
 * `vault` keep working: the Key/Value table (columns padded, empty cells "n/a", values printed as
 * Go's %v prints them, TTL-looking keys as durations), "=== Header ===" banners, and JSON as Go's
 * json.MarshalIndent writes it (sorted map keys, HTML characters escaped, numbers verbatim).
 */
import { formatGoDuration } from "../clock/duration.ts";
import { JsonNumber } from "../common/json.ts";
import type { VaultResponse } from "./types.ts";

/** Go's fmt %v for decoded JSON values. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

/** Keys Vault's table formatter prints as durations. */
export function looksLikeDuration(k: string): boolean {
  return (
    k === "period" ||
    k.endsWith("_period") ||
    k === "ttl" ||
    k.endsWith("_ttl") ||
    k === "duration" ||
    k.endsWith("_duration") ||
    k === "lease_max" ||
    k === "ttl_max"
  );
}

/** "768h0m0s" → "768h", "1h30m0s" → "1h30m" (Vault's humanDuration). */
export function humanDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  let s = formatGoDuration(seconds * 1000);
  if (s.endsWith("m0s")) s = s.slice(0, -2);
  const i = s.indexOf("h0m");
  if (i > 0) s = s.slice(0, i + 1) + s.slice(i + 3);
  return s;
}

/** Integers (or integer strings) become durations; anything else is left as is. */
export function humanDurationValue(v: unknown): unknown {
  const text =
    v instanceof JsonNumber ? v.text : typeof v === "number" ? String(v) : typeof v === "string" ? v : null;
  if (text !== null && /^-?\d+$/.test(text.trim())) return humanDuration(Number(text));
  return v;
}

/**
 * columnize as Vault configures it: cells trimmed, empty cells shown as "n/a", columns separated
 * by four spaces, the last column unpadded; the second row underlines the header.
 */
export function table(rows: string[][]): string {
  if (rows.length === 0) return "";
  const header = rows[0]!;
  const all = [header, header.map((h) => "-".repeat(h.trim().length)), ...rows.slice(1)].map((r) =>
    r.map((c) => {
      const t = c.trim();
      return t === "" ? "n/a" : t;
    }),
  );
  const cols = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) =>
    Math.max(...all.map((r) => [...(r[i] ?? "")].length)),
  );
  return all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c + " ".repeat(widths[i]! - [...c].length)))
        .join("    ")
        .trimEnd(),
    )
    .join("\n");
}

/** A map as Vault's OutputData prints it: sorted keys, durations humanised. */
export function mapTable(data: Record<string, unknown>): string {
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return "";
  return table([
    ["Key", "Value"],
    ...keys.map((k) => [k, goValue(looksLikeDuration(k) ? humanDurationValue(data[k]) : data[k])]),
  ]);
}

/** Vault's TableFormatter.OutputSecret: lease/auth/wrap rows, then the sorted data. */
export function secretTable(s: VaultResponse): string {
  const rows: string[][] = [];
  if (s.lease_duration > 0) {
    if (s.lease_id) {
      rows.push(["lease_id", s.lease_id]);
      rows.push(["lease_duration", humanDuration(s.lease_duration)]);
      rows.push(["lease_renewable", String(s.renewable)]);
    } else {
      rows.push(["refresh_interval", humanDuration(s.lease_duration)]);
    }
  }
  if (s.auth) {
    const a = s.auth;
    rows.push(["token", a.client_token]);
    rows.push(["token_accessor", a.accessor]);
    rows.push(["token_duration", a.lease_duration === 0 ? "∞" : humanDuration(a.lease_duration)]);
    rows.push(["token_renewable", String(a.renewable)]);
    rows.push(["token_policies", goQuoted(a.token_policies ?? null)]);
    rows.push([
      "identity_policies",
      goQuoted((a as { identity_policies?: string[] | null }).identity_policies ?? null),
    ]);
    rows.push(["policies", goQuoted(a.policies)]);
    for (const [k, v] of Object.entries(a.metadata ?? {})) rows.push([`token_meta_${k}`, goValue(v)]);
  }
  if (s.wrap_info) {
    const w = s.wrap_info;
    rows.push(["wrapping_token:", w.token]);
    rows.push(["wrapping_accessor:", w.accessor]);
    rows.push(["wrapping_token_ttl:", humanDuration(w.ttl)]);
    rows.push(["wrapping_token_creation_time:", w.creation_time]);
    rows.push(["wrapping_token_creation_path:", w.creation_path]);
    if (w.wrapped_accessor) rows.push(["wrapped_accessor:", w.wrapped_accessor]);
  }
  const data = s.data ?? {};
  for (const k of Object.keys(data).sort()) {
    rows.push([k, goValue(looksLikeDuration(k) ? humanDurationValue(data[k]) : data[k])]);
  }
  if (rows.length === 0) return "";
  return table([["Key", "Value"], ...rows]);
}

/** Go's %q of a []string: ["a" "b"]; a nil slice prints []. */
function goQuoted(list: string[] | null): string {
  return `[${(list ?? []).map((x) => JSON.stringify(x)).join(" ")}]`;
}

/** Vault's padEqualSigns: "==== Title ====" sized to `totalLen`. */
export function padEqualSigns(header: string, totalLen: number): string {
  let n = totalLen - (header.length + 2);
  if (n <= 0) n = 4;
  if (n % 2 !== 0) n++;
  const side = "=".repeat(n / 2);
  return `${side} ${header} ${side}`;
}

/** Banner for a map section: sized to the longest key + "    Value". */
export function headerForMap(header: string, data: Record<string, unknown>): string {
  const maxKey = Math.max(0, ...Object.keys(data).map((k) => k.length));
  return padEqualSigns(header, maxKey + 4 + 5);
}

/** "== Secret Path ==\nsecret/data/foo\n" followed by an empty line. */
export function pathBanner(title: string, path: string): string {
  return `${padEqualSigns(title, path.length)}\n${path}\n`;
}

/** Warnings block Vault prints (to stderr) before table output. */
export function warningsText(warnings: string[] | null): string {
  if (!warnings || warnings.length === 0) return "";
  return `WARNING! The following warnings were returned from Vault:\n\n${warnings.map((w) => `  * ${w}\n\n`).join("")}`;
}

/** The api.Secret field order Go's encoder uses, with its omitempty fields. */
export function secretForJson(s: VaultResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {
    request_id: s.request_id,
    lease_id: s.lease_id,
    lease_duration: s.lease_duration,
    renewable: s.renewable,
    data: s.data,
    warnings: s.warnings,
  };
  if (s.auth) out.auth = s.auth;
  if (s.wrap_info) out.wrap_info = s.wrap_info;
  if (s.mount_type) out.mount_type = s.mount_type;
  return out;
}

/**
 * json.MarshalIndent(v, "", "  "): nested maps sorted by key (top-level struct order kept when
 * `keepTopOrder`), <, >, & escaped, JsonNumber text verbatim.
 */
export function goJson(v: unknown, keepTopOrder = false): string {
  return encode(v, "", keepTopOrder);
}

function encode(v: unknown, indent: string, keepOrder: boolean): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return goString(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + encode(x, inner, false)).join(",\n")}\n${indent}]`;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = keepOrder ? Object.keys(o) : Object.keys(o).sort();
    if (keys.length === 0) return "{}";
    return `{\n${keys.map((k) => `${inner}${goString(k)}: ${encode(o[k], inner, false)}`).join(",\n")}\n${indent}}`;
  }
  return goString(String(v));
}

function goString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
