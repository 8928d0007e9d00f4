/**
 * The template engine's public seam (see ../../../shared/ARCHITECTURE.md, "Template ↔ runtime").
 *
 * The engine is pure: it never does network I/O. Functions that need Vault data (`secret`,
 * `secrets`, `pkiCert`) ask the Dependencies object. If the data is not fetched yet, the call
 * returns undefined, the engine records the request, and the evaluation of that pass continues
 * with an empty result (Consul Template's multi-pass model). The runtime fetches whatever was
 * recorded and evaluates again. File and environment access go through TemplateHost.
 */
import type { GoStruct } from "./value.ts";

export type DependencyKind = "secret" | "secrets" | "pkiCert" | "file";

/** One thing a template asked for. `key` is stable: kind + path + sorted args. */
export interface DependencyRequest {
  kind: DependencyKind;
  path: string;
  /** Extra arguments as given in the template ("k=v" pairs for a secret write, pkiCert args). */
  args: string[];
  key: string;
}

export function dependencyKey(kind: DependencyKind, path: string, args: readonly string[]): string {
  return `${kind}(${[path, ...[...args].sort()].join(" ")})`;
}

/** Vault's secret as Consul Template exposes it (*dependency.Secret). */
export interface SecretData {
  RequestID: string;
  LeaseID: string;
  LeaseDuration: number;
  Renewable: boolean;
  /** The `data` object, JSON numbers as JsonNumber. For KV v2: { data: {...}, metadata: {...} }. */
  Data: Record<string, unknown>;
  Warnings: string[];
  Auth: Record<string, unknown> | null;
  WrapInfo: Record<string, unknown> | null;
}

/** pkiCert's result (dependency.PemEncoded): Cert, Key, CA, CAChain. */
export interface PkiCertData {
  Cert: string;
  Key: string;
  CA: string;
  CAChain: string[];
}

/** What the runtime provides to the engine. Return undefined for "not fetched yet". */
export interface Dependencies {
  secret(path: string, args: string[]): SecretData | GoStruct | undefined;
  secrets(path: string): string[] | undefined;
  pkiCert(path: string, args: string[]): PkiCertData | GoStruct | undefined;
  /**
   * A local file the runtime watches (Consul Template's FileQuery: polled, re-rendered on change).
   * Without it, `file` reads through TemplateHost.readFile on every call (standalone use).
   */
  file?(path: string): string | undefined;
}

/** What Consul Template's `writeToFile` asks the host to write (arguments already validated). */
export interface WriteToFileRequest {
  path: string;
  user: string;
  group: string;
  /** Parsed permission bits (the engine validates the octal text). */
  perms: number;
  append: boolean;
  newline: boolean;
  content: Uint8Array;
}

/** Sandboxed access to the local machine for `env`, `file`, `executable`-style helpers. */
export interface TemplateHost {
  env(name: string): string | undefined;
  environ(): Record<string, string>;
  /** Reads a file (already checked against sandbox_path by the engine). Throws with Go's message. */
  readFile(path: string): string;
  now(): number;
  /**
   * Side effects on the host, present only when the runtime allows them (vaultrun turns them off
   * by default): Consul Template's `writeToFile` and `plugin`. Both throw Error with Go's text.
   */
  writeToFile?(req: WriteToFileRequest): void;
  plugin?(name: string, args: string[]): string;
}

/** A host with no environment and no files: what a template sees before a runtime gives it one. */
export const NO_HOST: TemplateHost = {
  env: () => undefined,
  environ: () => ({}),
  readFile: (p: string) => {
    throw new Error(`open ${p}: no such file or directory`);
  },
  now: () => 0,
};

export interface CompileOptions {
  /** Template name used in error messages (Consul Template uses the source path or the contents hash). */
  name: string;
  leftDelim?: string;
  rightDelim?: string;
  errorOnMissingKey?: boolean;
  functionDenylist?: string[];
  sandboxPath?: string;
}

export interface ExecuteResult {
  /** The rendered text; meaningful only when `complete` is true. */
  output: string;
  /** True when every dependency the template used was available on this pass. */
  complete: boolean;
  /** Every dependency the template asked for on this pass (fetched or not), de-duplicated. */
  used: DependencyRequest[];
  /** The subset of `used` that was not available. */
  missing: DependencyRequest[];
}

export interface CompiledTemplate {
  readonly name: string;
  /**
   * Evaluates once. Throws TemplateError (a Go-formatted parse/exec error, secrets redacted) on
   * failure — as Consul Template does, an error on any pass is an error.
   */
  execute(deps: Dependencies, host: TemplateHost): ExecuteResult;
}

/** A Go-formatted template error: "template: NAME:LINE:COL: executing \"NAME\" at <.x>: …". */
export class TemplateError extends Error {
  /**
   * Which step failed. Consul Template prefixes the Go text with "parse: " or "execute: " (and the
   * runner adds the template source); the message here is the Go text alone.
   */
  readonly phase: "parse" | "execute";
  constructor(message: string, phase: "parse" | "execute" = "execute") {
    super(message);
    this.name = "TemplateError";
    this.phase = phase;
  }
}

/**
 * Per-compiled-template state handed to the function library (`createFuncs(ctx)`). Created once
 * per compile; `deps` and `host` are swapped in by execute() before each pass, so functions must
 * read them through `ctx` at call time, never capture them.
 */
export interface FuncContext {
  deps: Dependencies;
  host: TemplateHost;
  /** sandbox_path from the template config ("" when unset). */
  sandboxPath: string;
  /** Record that the template used a dependency and whether its data was available this pass. */
  record(req: DependencyRequest, available: boolean): void;
  /**
   * Per-render state (e.g. Consul Template's `scratch`): cleared by execute() before each pass.
   */
  perRender: Map<string, unknown>;
  /**
   * Runs a template defined in this template's text (Consul Template's executeTemplate) and returns
   * its output. Throws Error with Go's text, e.g. `template: no template "x" associated with template ""`.
   */
  executeTemplate(name: string, data: unknown): string;
}
