/**
 * Cross-file validation of the merged config, in Vault's order and with Vault's texts
 * (spec §2.10, "Validation errors"). vaultrun's one deliberate difference: `template` together
 * with `env_template` is accepted (files are rendered before the child starts) and reported as a
 * warning, because Vault Agent would reject the file.
 */
import type { AgentConfig, ConfigWarning, SourcePos } from "./types.ts";

export interface ValidationProblem {
  message: string;
  pos?: SourcePos;
}

const ENV_FORBIDDEN = [
  "backup",
  "command",
  "command_timeout",
  "create_dest_dirs",
  "destination",
  "exec",
  "perms",
  "user",
  "uid",
  "group",
  "gid",
  "wait",
  "sandbox_path",
];

export function validateConfig(c: AgentConfig, warnings: ConfigWarning[]): ValidationProblem | undefined {
  const fail = (message: string, pos?: SourcePos): ValidationProblem => ({ message, pos });
  const hasTemplates = c.templates.length > 0;
  const hasEnv = c.envTemplates.length > 0;
  const wrapping = (c.autoAuth?.method.wrapTTL ?? 0) > 0;

  if (c.cache && "use_auto_auth_token" in c.cache.raw && c.apiProxy?.raw) {
    if ("use_auto_auth_token" in c.apiProxy.raw) {
      return fail(
        "use_auto_auth_token defined in both api_proxy and cache config. Please remove this configuration from the cache block",
        c.cache.pos,
      );
    }
    c.apiProxy.forceAutoAuthToken = c.cache.forceAutoAuthToken; // as Vault does (only "force" carries over)
  }
  if (c.cache) {
    if (c.listeners.length === 0 && !hasTemplates && !hasEnv) {
      return fail("enabling the cache requires at least 1 template or 1 listener to be defined", c.cache.pos);
    }
    if (c.cache.useAutoAuthToken && !c.autoAuth)
      return fail("cache.use_auto_auth_token is true but auto_auth not configured", c.cache.pos);
    if (c.cache.useAutoAuthToken && wrapping)
      return fail("cache.use_auto_auth_token is true and auto_auth uses wrapping", c.cache.pos);
  }
  if (c.apiProxy) {
    // Only a declared api_proxy needs a listener; one synthesized from cache.use_auto_auth_token does not.
    const declared = !c.cache || c.apiProxy.pos !== c.cache.pos;
    if (declared && c.listeners.length === 0)
      return fail("configuring the api_proxy requires at least 1 listener to be defined", c.apiProxy.pos);
    if (c.apiProxy.useAutoAuthToken && !c.autoAuth) {
      return fail("api_proxy.use_auto_auth_token is true but auto_auth not configured", c.apiProxy.pos);
    }
    if (c.apiProxy.useAutoAuthToken && wrapping)
      return fail("api_proxy.use_auto_auth_token is true and auto_auth uses wrapping", c.apiProxy.pos);
  }
  if (
    c.autoAuth &&
    c.autoAuth.sinks.length === 0 &&
    !hasTemplates &&
    !hasEnv &&
    !c.apiProxy?.useAutoAuthToken
  ) {
    return fail(
      "auto_auth requires at least one sink or at least one template or api_proxy.use_auto_auth_token=true",
      c.autoAuth.pos,
    );
  }
  if (!c.autoAuth && !c.cache && c.listeners.length === 0)
    return fail("no auto_auth, cache, or listener block found in config");

  if (hasEnv && !c.exec)
    return fail(
      "a top-level 'exec' element must be specified with 'env_template' entries",
      c.envTemplates[0]!.pos,
    );
  if (c.exec && !hasEnv)
    return fail(
      "must specify at least one 'env_template' element with a top-level 'exec' element",
      c.exec.pos,
    );
  if (hasEnv && c.apiProxy)
    return fail("'api_proxy' cannot be specified with 'env_template' entries", c.apiProxy.pos);
  if (hasEnv && hasTemplates) {
    const pos = c.templates[0]!.pos;
    if (pos) {
      warnings.push({
        pos,
        message:
          "'template' with 'env_template' entries is a vaultrun extension: Vault Agent rejects this config ('template' cannot be specified with 'env_template' entries)",
      });
    }
  }
  if (c.exec) {
    if (c.exec.command.length === 0) return fail("'exec' requires a non-empty 'command' field", c.exec.pos);
    if (c.exec.restartOnSecretChanges !== "always" && c.exec.restartOnSecretChanges !== "never") {
      return fail(
        `'exec.restart_on_secret_changes' unexpected value: "${c.exec.restartOnSecretChanges}"`,
        c.exec.pos,
      );
    }
  }
  const names = new Set<string>();
  for (const t of c.envTemplates) {
    if (!t.name) return fail("env_template: an environment variable name is required", t.pos);
    if (names.has(t.name))
      return fail(`env_template: duplicate environment variable name: "${t.name}"`, t.pos);
    names.add(t.name);
    if (!t.contents && !t.source)
      return fail(`env_template[${t.name}]: either 'contents' or 'source' must be specified`, t.pos);
    if (t.contents && t.source)
      return fail(`env_template[${t.name}]: 'contents' and 'source' cannot be specified together`, t.pos);
    for (const k of ENV_FORBIDDEN) {
      if (t.presentKeys?.includes(k)) return fail(`env_template[${t.name}]: '${k}' is not allowed`, t.pos);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.name) && t.pos) {
      warnings.push({
        pos: t.pos,
        message: `env_template name "${t.name}" is not a portable environment variable name`,
      });
    }
  }
  if (c.autoAuth && wrapping && (hasTemplates || hasEnv)) {
    warnings.push({
      pos: c.autoAuth.method.pos!,
      message:
        "method wrap_ttl with templates: the templates would receive a wrapping token and cannot render",
    });
  }
  if ((hasTemplates || hasEnv) && !c.autoAuth && c.listeners.length > 0) {
    warnings.push({
      pos: (c.templates[0]?.pos ?? c.envTemplates[0]?.pos)!,
      message: "templates and env_templates only run with an auto_auth block; without it they never render",
    });
  }
  return undefined;
}
