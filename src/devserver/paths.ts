/** Path helpers shared by the core and the kv engines. */

/** Keys directly under `prefix` (sub-folders with a trailing "/"), sorted — Vault's LIST answer. */
export function listKeys(all: Iterable<string>, prefix: string): string[] {
  const out = new Set<string>();
  const p = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  for (const k of all) {
    if (!k.startsWith(p)) continue;
    const rest = k.slice(p.length);
    const slash = rest.indexOf("/");
    const key = slash < 0 ? rest : rest.slice(0, slash + 1);
    if (key !== "") out.add(key);
  }
  return [...out].sort();
}

/** "foo", "foo/", "/foo/" → "foo/". */
export function asMountPath(p: string): string {
  const trimmed = p.replace(/^\/+/, "").replace(/\/+$/, "");
  return trimmed === "" ? "" : `${trimmed}/`;
}
