/**
 * KV v2 detection and path rewriting as Consul Template does it (spec §5.2–5.3): ask
 * sys/internal/ui/mounts/<path>; a `kv` mount with options.version "2" means the short path
 * `secret/foo` must become `secret/data/foo` (reads, writes) or `secret/metadata/foo` (lists).
 */
import type { FetchContext } from "./types.ts";

export interface MountInfo {
  /** Mount path with a trailing "/", namespace prefix removed. */
  mountPath: string;
  isKVv2: boolean;
}

/** Strips whitespace and slashes as CT does and splits off a query string. */
export function splitPath(raw: string): { path: string; query: Record<string, string> } {
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, "");
  const q = trimmed.indexOf("?");
  if (q < 0) return { path: trimmed, query: {} };
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(trimmed.slice(q + 1))) query[k] = v;
  return { path: trimmed.slice(0, q).replace(/\/+$/, ""), query };
}

/** The preflight. Any failure means "not KV v2" (CT logs it for reads; see callers). */
export async function preflight(
  ctx: FetchContext,
  path: string,
): Promise<{ info: MountInfo | null; error?: unknown }> {
  try {
    const resp = await ctx.api.request({
      method: "GET",
      path: `sys/internal/ui/mounts/${path}`,
      token: ctx.token,
      namespace: ctx.namespace,
      signal: ctx.signal,
    });
    const data = (resp?.data ?? {}) as { path?: unknown; type?: unknown; options?: { version?: unknown } | null };
    let mountPath = typeof data.path === "string" ? data.path : "";
    const ns = ctx.namespace ?? "";
    if (ns && mountPath.startsWith(ns)) mountPath = mountPath.slice(ns.length);
    const version = data.options?.version;
    const isKVv2 = data.type === "kv" && String(version ?? "") === "2";
    return { info: { mountPath, isKVv2 } };
  } catch (error) {
    return { info: null, error };
  }
}

/** `secret/foo` → `secret/data/foo` for reads and writes on a KV v2 mount. */
export function kv2DataPath(path: string, mountPath: string): string {
  return kv2Rewrite(path, mountPath, "data");
}

/** `secret/foo` → `secret/metadata/foo` for lists on a KV v2 mount. */
export function kv2ListPath(path: string, mountPath: string): string {
  return kv2Rewrite(path, mountPath, "metadata");
}

function kv2Rewrite(path: string, mountPath: string, prefix: "data" | "metadata"): string {
  const mount = mountPath.replace(/\/+$/, "");
  if (path === mount || `${path}/` === mountPath) return `${mount}/${prefix}`;
  if (!path.startsWith(`${mount}/`)) return path;
  const rest = path.slice(mount.length + 1);
  // Paths already naming a KV v2 endpoint are left alone (CT leaves subkeys/ alone too).
  if (prefix === "data" && /^(data|metadata|subkeys)(\/|$)/.test(rest)) return path;
  if (prefix === "metadata" && (rest === "metadata" || rest.startsWith("metadata/"))) return path;
  return `${mount}/${prefix}/${rest}`;
}
