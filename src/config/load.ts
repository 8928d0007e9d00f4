/**
 * Loading: every -config path (file or directory) in order, each file parsed and decoded on its
 * own, then merged as Vault merges (spec §1.2), then validated. A directory loads its *.hcl,
 * *.json (and our *.toml) regular files in sorted name order (Vault: directory order), skipping
 * editor temp files. Errors are ConfigError: "file:line:col: <Vault's message>".
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../common/errors.ts";
import { DecodeError, decodeFile, emptyConfig, type FileConfig } from "./decode.ts";
import { HclSyntaxError } from "./hcl/lexer.ts";
import { parseSource } from "./source.ts";
import type { AgentConfig, ConfigWarning, SourcePos } from "./types.ts";
import { validateConfig } from "./validate.ts";

/**
 * A config the agent cannot run with. The message is "file:line:col: <Vault's text>" when the
 * position is known (exit code 1); several problems may be joined with newlines.
 */
export class ConfigError extends UserError {
  constructor(
    message: string,
    readonly pos?: SourcePos,
  ) {
    super(message, 1);
    this.name = "ConfigError";
  }

  static at(file: string, pos: { line: number; column: number }, detail: string): ConfigError {
    return new ConfigError(`${file}:${pos.line}:${pos.column}: ${detail}`, {
      file,
      line: pos.line,
      column: pos.column,
    });
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
    throw new ConfigError(
      `error loading configuration from ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`,
    );
  }
  if (!st.isDirectory()) return [path];
  const names = readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isFile() && CONFIG_EXT.test(e.name) && !isEditorTemp(e.name))
    .map((e) => e.name)
    .sort();
  if (names.length === 0)
    throw new ConfigError(
      `error loading configuration from ${path}: no configuration files (*.hcl, *.json, *.toml) in directory`,
    );
  return names.map((n) => join(path, n));
}

/** Parses and decodes one file. */
export function loadFile(
  file: string,
  warnings: ConfigWarning[],
  env: Record<string, string | undefined> = process.env,
): FileConfig {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `error loading configuration from ${file}: ${code === "EISDIR" ? "location is a directory, not a file" : (e as Error).message}`,
    );
  }
  return decodeBytes(file, bytes, warnings, env);
}

/** Decodes one file's bytes (UTF-8 HCL1, JSON or TOML by name/content). */
export function decodeBytes(
  file: string,
  bytes: Uint8Array,
  warnings: ConfigWarning[],
  env: Record<string, string | undefined> = process.env,
): FileConfig {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw ConfigError.at(file, firstInvalidUtf8(bytes), "invalid UTF-8 encoding");
  }
  if (text.trim() === "") throw ConfigError.at(file, { line: 1, column: 1 }, "empty configuration file");
  try {
    return decodeFile(file, parseSource(file, text), warnings, env);
  } catch (e) {
    if (e instanceof HclSyntaxError || e instanceof DecodeError) throw ConfigError.at(file, e.pos, e.detail);
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

/** Loads, merges and validates every path (files in order; a directory's files sorted by name). */
export function loadConfig(paths: string[], opts: LoadOptions = {}): LoadResult {
  const warnings: ConfigWarning[] = [];
  const files: FileConfig[] = [];
  const env = opts.env ?? process.env;
  for (const p of paths) for (const f of filesOf(p)) files.push(loadFile(f, warnings, env));
  return finish(files, warnings, opts);
}

/** The same as loadConfig for one config held in memory (tests, fuzzing, `-` on stdin). */
export function loadConfigText(file: string, text: string | Uint8Array, opts: LoadOptions = {}): LoadResult {
  const warnings: ConfigWarning[] = [];
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return finish([decodeBytes(file, bytes, warnings, opts.env ?? process.env)], warnings, opts);
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** false: skip the cross-file validation (Vault's LoadConfig without ValidateConfig). */
  validate?: boolean;
}

function finish(files: FileConfig[], warnings: ConfigWarning[], opts: LoadOptions): LoadResult {
  let merged: FileConfig = { config: emptyConfig(), set: new Set() };
  for (const f of files) merged = merge(merged, f);
  const c = merged.config;
  const env = opts.env ?? process.env;
  for (const [name, field, label] of [
    ["VAULT_AGENT_DISABLE_IDLE_CONNECTIONS", "disableIdleConnections", "disable_idle_connections"],
    ["VAULT_AGENT_DISABLE_KEEP_ALIVES", "disableKeepAlives", "disable_keep_alives"],
  ] as const) {
    const v = env[name];
    if (v === undefined) continue;
    const list = v
      .split(",")
      .map((x) => x.trim().toLowerCase())
      .filter((x) => x !== "");
    for (const x of list) {
      if (!["auto-auth", "caching", "proxying", "templating"].includes(x)) {
        throw new ConfigError(`${name}: unknown ${label} value: ${x}`);
      }
    }
    c[field] = list as AgentConfig[typeof field];
  }
  if (opts.validate !== false) {
    const problem = validateConfig(c, warnings);
    if (problem) {
      const text = `error validating configuration: ${problem.message}`;
      throw problem.pos ? ConfigError.at(problem.pos.file, problem.pos, text) : new ConfigError(text);
    }
  }
  return { config: c, warnings };
}
