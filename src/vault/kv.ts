/**
 * KV v2 awareness (spec §5.2–5.3). A KV v2 mount stores `secret/foo` at `secret/data/foo`
 * (reads/writes) and lists it under `secret/metadata/`. Whether a path lives on such a mount is
 * answered by `sys/internal/ui/mounts/<path>`; the rewrites below are pure functions of that
 * answer. Two flavours exist because Vault's CLI and Consul Template differ: Consul Template
 * leaves paths that already name data/ or metadata/ alone, `vault kv` always inserts the prefix.
 */

export interface KvMount {
  /** Mount path with a trailing "/" as Vault reports it (may include a namespace prefix). */
  path: string;
  type: string;
  /** 1 or 2 (KV); 1 for every other engine. */
  version: 1 | 2;
}

export function isKv2(m: KvMount | null | undefined): boolean {
  return !!m && m.version === 2 && m.type === "kv";
}

/** Reads data.path/type/options.version out of a preflight response body. */
export function mountFromPreflight(data: Record<string, unknown> | null): KvMount {
  const path = typeof data?.path === "string" ? data.path : "";
  const type = typeof data?.type === "string" ? data.type : "";
  const options = data?.options as { version?: unknown } | null | undefined;
  const v = options && typeof options === "object" ? String(options.version ?? "") : "";
  return { path, type, version: v === "2" ? 2 : 1 };
}

/** Canonical namespace: no leading "/", a trailing "/" ("/ns1" → "ns1/"); "" stays "". */
export function canonicalNamespace(ns: string | undefined): string {
  if (!ns) return "";
  const t = ns.replace(/^\/+/, "");
  if (t === "") return "";
  return t.endsWith("/") ? t : `${t}/`;
}

/** The mount path as the client addresses it: the client namespace prefix removed (CT). */
function relativeMount(mountPath: string, namespace: string | undefined): string {
  const ns = canonicalNamespace(namespace);
  return ns && mountPath.startsWith(ns) ? mountPath.slice(ns.length) : mountPath;
}

function join(...parts: string[]): string {
  return parts
    .map((p) => p.replace(/^\/+|\/+$/g, ""))
    .filter((p) => p !== "")
    .join("/");
}

/**
 * Consul Template's read/write rewrite: `secret/foo` → `secret/data/foo`, the mount itself →
 * `secret/data`; paths already under data/, metadata/ or subkeys/ are unchanged.
 */
export function kv2DataPath(path: string, mountPath: string, namespace?: string): string {
  if (path === mountPath || path === mountPath.replace(/\/$/, "")) return join(mountPath, "data");
  const mount = relativeMount(mountPath, namespace);
  const rest = path.startsWith(mount) ? path.slice(mount.length) : path;
  if (/^(data|metadata|subkeys)(\/|$)/.test(rest)) return path;
  return join(mount, "data", rest);
}

/** Consul Template's list rewrite: `secret/` → `secret/metadata`, `secret/foo` → `secret/metadata/foo`. */
export function kv2ListPath(path: string, mountPath: string, namespace?: string): string {
  if (path === mountPath || path === mountPath.replace(/\/$/, "")) return join(mountPath, "metadata");
  const mount = relativeMount(mountPath, namespace);
  const rest = path.startsWith(mount) ? path.slice(mount.length) : path;
  if (/^metadata(\/|$)/.test(rest)) return path;
  return join(mount, "metadata", rest);
}

/**
 * `vault kv`'s rewrite (addPrefixToKVPath): inserts `prefix` after the mount. When the mount
 * path carries namespace segments the path does not, leading segments are dropped until the
 * rest of the mount matches. With `skipIfExists`, a path already under the prefix is kept.
 */
export function addPrefixToKvPath(
  path: string,
  mountPath: string,
  prefix: string,
  skipIfExists = false,
): string {
  if (path === mountPath || path === mountPath.replace(/\/$/, "")) return join(mountPath, prefix);
  let mount = mountPath;
  let suffix = path.startsWith(mount) ? path.slice(mount.length) : path;
  while (suffix === path) {
    const slash = mount.indexOf("/");
    if (slash < 0 || mount.slice(slash + 1) === "") break;
    mount = mount.slice(slash + 1).replace(/\/$/, "");
    suffix = suffix.startsWith(mount) ? suffix.slice(mount.length) : suffix;
  }
  if (skipIfExists && (suffix.startsWith(prefix) || suffix.startsWith(`/${prefix}`)))
    return join(mount, suffix);
  return join(mount, prefix, suffix);
}

/** Strips whitespace and surrounding slashes as CT does, and splits off `?k=v` query parameters. */
export function splitQuery(raw: string): { path: string; query: Record<string, string> } {
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, "");
  const q = trimmed.indexOf("?");
  if (q < 0) return { path: trimmed, query: {} };
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(trimmed.slice(q + 1))) query[k] = v;
  return { path: trimmed.slice(0, q).replace(/\/+$/, ""), query };
}
