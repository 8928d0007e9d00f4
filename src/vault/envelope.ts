/**
 * Turning a response body into a VaultResponse. Bodies are decoded with JsonNumber leaves (Go's
 * json.Number), so secret data keeps the exact text of its numbers; the envelope's own numeric
 * fields (lease_duration, ttl, num_uses) become plain numbers because code computes with them.
 */
import { JsonNumber, parseJsonNumbers } from "../common/json.ts";
import type { VaultAuth, VaultResponse, WrapInfo } from "./types.ts";

const ENVELOPE_KEYS = ["request_id", "lease_id", "lease_duration", "renewable", "data", "auth", "wrap_info"];

function num(v: unknown): number {
  if (v instanceof JsonNumber) return Number(v.text);
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return 0;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v instanceof JsonNumber ? v.text : "";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : String(x))) : null;
}

function wrapInfo(v: unknown): WrapInfo | null {
  if (!isObject(v)) return null;
  const w: WrapInfo = {
    token: str(v.token),
    accessor: str(v.accessor),
    ttl: num(v.ttl),
    creation_time: str(v.creation_time),
    creation_path: str(v.creation_path),
  };
  if (v.wrapped_accessor !== undefined) w.wrapped_accessor = str(v.wrapped_accessor);
  return w;
}

function auth(v: unknown): VaultAuth | null {
  if (!isObject(v)) return null;
  const a: VaultAuth = {
    ...(v as object),
    client_token: str(v.client_token),
    accessor: str(v.accessor),
    policies: strings(v.policies),
    metadata: isObject(v.metadata) ? (v.metadata as Record<string, string>) : null,
    lease_duration: num(v.lease_duration),
    renewable: v.renewable === true,
  };
  if (v.token_policies !== undefined) a.token_policies = strings(v.token_policies);
  if (v.num_uses !== undefined) a.num_uses = num(v.num_uses);
  return a;
}

/**
 * Normalises a decoded body. Bodies that are not an envelope (sys/health, sys/seal-status…) are
 * returned whole in `data`, as the contract promises.
 */
export function toVaultResponse(body: unknown): VaultResponse {
  if (!isObject(body)) {
    return emptyResponse({ data: body === null || body === undefined ? null : { value: body } });
  }
  if (!ENVELOPE_KEYS.some((k) => k in body)) return emptyResponse({ data: body });
  const resp: VaultResponse = {
    request_id: str(body.request_id),
    lease_id: str(body.lease_id),
    lease_duration: num(body.lease_duration),
    renewable: body.renewable === true,
    data: isObject(body.data) ? body.data : null,
    wrap_info: wrapInfo(body.wrap_info),
    warnings: strings(body.warnings),
    auth: auth(body.auth),
  };
  if (typeof body.mount_type === "string") resp.mount_type = body.mount_type;
  return resp;
}

function emptyResponse(over: Partial<VaultResponse>): VaultResponse {
  return {
    request_id: "",
    lease_id: "",
    lease_duration: 0,
    renewable: false,
    data: null,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...over,
  };
}

/** Decodes a body; undefined when it is not JSON. */
export function tryParse(text: string): unknown {
  try {
    return parseJsonNumbers(text);
  } catch {
    return undefined;
  }
}

/** Vault's `{"errors": [...]}`; null when the body is not that shape (then the raw text is shown). */
export function errorsOf(text: string): string[] | null {
  if (text.trim() === "") return [];
  const body = tryParse(text);
  if (!isObject(body)) return null;
  if (!("errors" in body)) return isObject(body) ? [] : null;
  return strings(body.errors) ?? [];
}
