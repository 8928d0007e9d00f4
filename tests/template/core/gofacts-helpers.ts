/**
 * Shared fixtures for the Go-parity tests: a tiny function map with Consul Template's signatures
 * (so calling rules are exercised exactly as the real library would), a Dependencies object backed
 * by a plain map, and render helpers that return the output or the error text.
 */
import { expect } from "bun:test";
import { parseJsonNumbers } from "../../../src/common/json.ts";
import {
  type CompileOptions,
  compile,
  type Dependencies,
  type FuncContext,
  type FuncMap,
  type SecretData,
  type TemplateHost,
  TemplateError,
  typedSlice,
} from "../../../src/template/index.ts";

export const host: TemplateHost = {
  env: () => undefined,
  environ: () => ({}),
  readFile: (p) => {
    throw new Error(`open ${p}: no such file or directory`);
  },
  now: () => 0,
};

/** A KV v2 secret as Consul Template hands it to templates (numbers stay json.Number). */
export function kv2(data: string): SecretData {
  return {
    RequestID: "req-1",
    LeaseID: "",
    LeaseDuration: 0,
    Renewable: false,
    Data: {
      data: parseJsonNumbers(data) as Record<string, unknown>,
      metadata: { version: parseJsonNumbers("3") },
    },
    Warnings: [],
    Auth: null,
    WrapInfo: null,
  };
}

export function depsOf(secrets: Record<string, SecretData> = {}): Dependencies {
  return {
    secret: (path) => secrets[path],
    secrets: () => undefined,
    pkiCert: () => undefined,
  };
}

/** Functions with the exact Go signatures Consul Template registers. */
export function testFuncs(ctx: FuncContext): FuncMap {
  return {
    secret: {
      signature: "func(...string) (interface {}, error)",
      fn: ((...args: string[]) => {
        const [path, ...rest] = args;
        const req = {
          kind: "secret" as const,
          path,
          args: rest,
          key: `secret(${[path, ...rest].sort().join(" ")})`,
        };
        const found = ctx.deps.secret(path, rest);
        ctx.record(req, found !== undefined);
        return found ?? null;
      }) as never,
    },
    toUpper: { signature: "func(string) string", fn: ((s: string) => s.toUpperCase()) as never },
    join: {
      signature: "func(string, []string) string", // A nil []string arrives as null (value.ts: nil is null, or a GoNil when typed).
      fn: ((sep: string, a: string[] | null) => (Array.isArray(a) ? a.join(sep) : "")) as never,
    },
    split: {
      signature: "func(string, string) []string",
      fn: ((sep: string, s: string) => typedSlice("string", s.split(sep))) as never,
    },
    fail: {
      signature: "func(string) (string, error)",
      fn: ((s: string) => {
        throw new Error(`boom ${s}`);
      }) as never,
    },
    add: { signature: "func(float64, int) float64", fn: ((a: number, b: bigint) => a + Number(b)) as never },
    echo: { signature: "func(...interface {}) []interface {}", fn: ((...a: unknown[]) => a) as never },
    two: { signature: "func() (string, string)", fn: (() => "x") as never },
  };
}

export function run(
  text: string,
  opts: Partial<CompileOptions> & { secrets?: Record<string, SecretData> } = {},
): { output: string; complete: boolean; used: string[]; missing: string[] } {
  const { secrets, ...rest } = opts;
  const t = compile(text, { name: "", ...rest }, testFuncs);
  const r = t.execute(depsOf(secrets), host);
  return {
    output: r.output,
    complete: r.complete,
    used: r.used.map((d) => d.key),
    missing: r.missing.map((d) => d.key),
  };
}

export function render(
  text: string,
  opts: Partial<CompileOptions> & { secrets?: Record<string, SecretData> } = {},
) {
  return run(text, opts).output;
}

/** The error text a template produces (parse or execute); fails the test if it renders. */
export function renderError(
  text: string,
  opts: Partial<CompileOptions> & { secrets?: Record<string, SecretData> } = {},
): string {
  try {
    const out = render(text, opts);
    throw new Error(`expected an error, got output ${JSON.stringify(out)}`);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as Error).message;
  }
}
