/**
 * Loading: every -config path (file or directory) in order, each file parsed and decoded on its
 * own, then merged as Vault merges (spec §1.2), then validated. A directory loads its *.hcl,
 * *.json (and our *.toml) regular files in sorted name order (Vault: directory order), skipping
 * editor temp files. Errors are ConfigError: "file:line:col: <Vault's message>".
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PositionedError, UserError } from "../common/errors.ts";
import { DecodeError, decodeFile, emptyConfig, type FileConfig } from "./decode.ts";
import { HclSyntaxError } from "./hcl/lexer.ts";
import { parseSource } from "./source.ts";
import type { AgentConfig, ConfigWarning } from "./types.ts";
import { validateConfig } from "./validate.ts";

export class ConfigError extends UserError {
  constructor(message: string) {
    super(message, 1);
    this.name = "ConfigError";
  }
}

export interface LoadResult {
  config: AgentConfig;
  warnings: ConfigWarning[];
}

const CONFIG_EXT = /\.(hcl|json|toml)$/;

function isEditorTemp(name: string): boolean {
  return name.endsWith("~") || name.startsWith(".#") || (name.startsWith("#") && name.endsWith("#"));
}

function filesOf(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ConfigError(`error loading configuration from ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
  }
  if (!st.isDirectory()) return [path];
  const names = readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isFile() && CONFIG_EXT.test(e.name) && !isEditorTemp(e.name))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw new ConfigError(`error loading configuration from ${path}: no configuration files (*.hcl, *.json, *.toml) in directory`);
  return names.map((n) => join(path, n));
}

/** Parses and decodes one file. */
export function loadFile(file: string, warnings: ConfigWarning[]): FileConfig {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`error loading configuration from ${file}: ${code === "EISDIR" ? "location is a directory, not a file" : (e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new PositionedError(file, bad.line, bad.column, "invalid UTF-8 encoding");
  }
  if (text.trim() === "") throw new PositionedError(file, 1, 1, "empty configuration file");
  try {
    return decodeFile(file, parseSource(file, text), warnings);
  } catch (e) {
    if (e instanceof HclSyntaxError || e instanceof DecodeError) {
      throw new PositionedError(file, e.pos.line, e.pos.column, e.detail);
    }
    throw e;
  }
}

function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
      continue;
    }
    const b = bytes[i]!;
    if (b >= 0x80) {
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
      let ok = len > 0 && i + len <= bytes.length;
      for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
      if (!ok) {
        const col = new TextDecoder().decode(bytes.subarray(lineStart, i)).length + 1;
        return { line, column: col };
      }
      i += len - 1;
    }
  }
  return { line: 1, column: 1 };
}

/** Merges `later` into `base` as Vault does. */
export function merge(base: FileConfig, later: FileConfig): FileConfig {
  const a = base.config;
  const b = later.config;
  const set = new Set([...base.set, ...later.set]);
  const c: AgentConfig = {
    ...a,
    vault: later.set.has("vault") ? b.vault : a.vault,
    autoAuth: later.set.has("auto_auth") ? b.autoAuth : a.autoAuth,
    templateConfig: later.set.has("template_config") ? b.templateConfig : a.templateConfig,
    exec: later.set.has("exec") ? b.exec : a.exec,
    cache: later.set.has("cache") ? b.cache : a.cache,
    apiProxy: later.set.has("api_proxy") || later.set.has("cache") ? (b.apiProxy ?? a.apiProxy) : a.apiProxy,
    telemetry: later.set.has("telemetry") ? b.telemetry : a.telemetry,
    templates: [...a.templates, ...b.templates],
    envTemplates: [...a.envTemplates, ...b.envTemplates],
    listeners: [...a.listeners, ...b.listeners],
    pidFile: b.pidFile || a.pidFile,
    logLevel: b.logLevel || a.logLevel,
    logFormat: b.logFormat || a.logFormat,
    logFile: b.logFile || a.logFile,
    logRotateDuration: b.logRotateDuration || a.logRotateDuration,
    logRotateBytes: later.set.has("log_rotate_bytes") ? b.logRotateBytes : a.logRotateBytes,
    logRotateMaxFiles: later.set.has("log_rotate_max_files") ? b.logRotateMaxFiles : a.logRotateMaxFiles,
    exitAfterAuth: a.exitAfterAuth || b.exitAfterAuth,
    disableIdleConnections: [...new Set([...a.disableIdleConnections, ...b.disableIdleConnections])],
    disableKeepAlives: [...new Set([...a.disableKeepAlives, ...b.disableKeepAlives])],
    sources: [...a.sources, ...b.sources],
  };
  return { config: c, set };
}

/** Loads, merges and validates every path. Throws ConfigError / PositionedError. */
export function loadConfig(paths: string[], opts: { env?: Record<string, string | undefined>; validate?: boolean } = {}): LoadResult {
  const warnings: ConfigWarning[] = [];
  let merged: FileConfig = { config: emptyConfig(), set: new Set() };
  for (const p of paths) for (const f of filesOf(p)) merged = merge(merged, loadFile(f, warnings));
  const c = merged.config;
  const env = opts.env ?? process.env;
  for (const [name, field, label] of [
    ["VAULT_AGENT_DISABLE_IDLE_CONNECTIONS", "disableIdleConnections", "disable_idle_connections"],
    ["VAULT_AGENT_DISABLE_KEEP_ALIVES", "disableKeepAlives", "disable_keep_alives"],
  ] as const) {
    const v = env[name];
    if (v === undefined) continue;
    const list = v.split(",").map((x) => x.trim().toLowerCase()).filter((x) => x !== "");
    for (const x of list) {
      if (!["auto-auth", "caching", "proxying", "templating"].includes(x)) throw new ConfigError(`unknown ${label} value: ${x}`);
    }
    c[field] = list as AgentConfig[typeof field];
  }
  if (opts.validate !== false) {
    const problem = validateConfig(c, warnings);
    if (problem) {
      const where = problem.pos ? `${problem.pos.file}:${problem.pos.line}:${problem.pos.column}: ` : "";
      throw new ConfigError(`${where}error validating configuration: ${problem.message}`);
    }
  }
  return { config: c, warnings };
}
