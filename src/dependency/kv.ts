/**
 * The KV v2 preflight as Consul Template runs it for each dependency (spec §5.2): ask
 * sys/internal/ui/mounts/<path>; a `kv` mount with options.version "2" means the short path
 * must be rewritten (src/vault/kv.ts has the pure rewrites). Failures mean "not KV v2" — the
 * caller decides whether to warn (reads) or stay silent (writes, lists).
 */
import { isKv2, mountFromPreflight } from "../vault/kv.ts";
import type { FetchContext } from "./types.ts";

export { kv2DataPath, kv2ListPath, splitQuery as splitPath } from "../vault/kv.ts";

export interface MountInfo {
  /** Mount path with a trailing "/", as Vault reports it. */
  mountPath: string;
  isKVv2: boolean;
}

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
    const mount = mountFromPreflight((resp?.data ?? null) as Record<string, unknown> | null);
    return { info: { mountPath: mount.path, isKVv2: isKv2(mount) } };
  } catch (error) {
    return { info: null, error };
  }
}
