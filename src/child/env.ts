/**
 * The child's environment: the agent's own (optionally pristine, or filtered by allow/deny
 * globs — vaultrun's `exec.env`), then the rendered env_template values, which win over inherited
 * variables of the same name (as in Vault).
 */
import type { ExecEnvConfig } from "../config/types.ts";

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
}

export function childEnvironment(
  base: Record<string, string | undefined>,
  cfg: ExecEnvConfig,
  rendered: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!cfg.pristine) {
    const allow = cfg.allowlist.map(globToRegExp);
    const deny = cfg.denylist.map(globToRegExp);
    for (const [k, v] of Object.entries(base)) {
      if (v === undefined) continue;
      if (allow.length && !allow.some((r) => r.test(k))) continue;
      if (deny.some((r) => r.test(k))) continue;
      out[k] = v;
    }
  }
  for (const k of Object.keys(rendered).sort()) out[k] = rendered[k]!;
  return out;
}
