/**
 * The KV v2 preflight as Consul Template runs it for each dependency (spec §5.2): ask
 * sys/internal/ui/mounts/<path>; a `kv` mount with options.version "2" means the short path
 * must be rewritten (src/vault/kv.ts has the pure rewrites). Failures mean "not KV v2" — the
 * caller decides whether to warn (reads) or stay silent (writes, lists).
 */
import { decodeGoBytes } from "../template/bytes.ts";
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

/**
 * The path and query of a `secret` read or `pkiCert`, as Consul Template takes them from Go's
 * url.Parse: the fragment is dropped, the path is percent-decoded (`kv/a%20b` reads "kv/a b"; a
 * `+` stays a plus), and the query is decoded as form values. The template function has already
 * rejected what url.Parse rejects (src/template/funcs/gourl.ts).
 */
export function readPath(raw: string): { path: string; query: Record<string, string> } {
  let s = raw.trim().replace(/^\/+|\/+$/g, "");
  const hash = s.indexOf("#");
  if (hash >= 0) s = s.slice(0, hash);
  const q = s.indexOf("?");
  const rawPath = q < 0 ? s : s.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(s.slice(q + 1))) query[k] = v;
  return { path: unescapePath(rawPath).replace(/\/+$/, ""), query };
}

function unescapePath(s: string): string {
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const hex = s[i] === "%" ? s.slice(i + 1, i + 3) : "";
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      bytes.push(...utf8.encode(String.fromCodePoint(cp)));
    }
  }
  return decodeGoBytes(Uint8Array.from(bytes));
}
