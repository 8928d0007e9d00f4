/**
 * Renders a golden case with vaultrun's engine exactly as tests/template/core/gotemplate-goldens
 * .test.ts does (shared with triage.ts): the same data decoded as vaultrun decodes Vault JSON
 * (numbers stay json.Number), `secret` serving *dependency.Secret built from the stored Vault
 * responses, and only the functions the Go side registered.
 */
import { readFileSync } from "node:fs";
import { parseJsonNumbers } from "../../../src/common/json.ts";
import { encodeGoString } from "../../../src/template/bytes.ts";
import { createFuncs } from "../../../src/template/funcs/index.ts";
import {
  compile,
  type Dependencies,
  type FuncContext,
  type FuncMap,
  TemplateError,
  type TemplateHost,
} from "../../../src/template/index.ts";
import { Secret } from "../../../src/template/secret.ts";
import type { VaultResponse } from "../../../src/vault/types.ts";

export interface GoldenCase {
  id: string;
  tpl: string;
  /** A key of Goldens.datasets for `.`; absent: nil data, as Consul Template executes. */
  data?: string;
  missingkey?: "error";
  delims?: [string, string];
  out?: string;
  /** Set when Go's output was not valid UTF-8: its exact bytes (out has U+FFFD for each bad byte). */
  outBase64?: string;
  err?: string;
  phase?: "parse" | "exec";
}

export interface Goldens {
  goVersion: string;
  ctVersion: string;
  funcs: string[];
  datasets: Record<string, string>;
  secrets: Record<string, string>;
  cases: GoldenCase[];
}

export function loadGoldens(path: string): Goldens {
  return JSON.parse(readFileSync(path, "utf8")) as Goldens;
}

/** What a case produced: output, or an error with the step it failed in. */
export type Result = { out: string } | { err: string; phase: string };

const host: TemplateHost = {
  env: () => undefined,
  environ: () => ({}),
  readFile: (p) => {
    throw new Error(`open ${p}: no such file or directory`);
  },
  now: () => 0,
};

function depsFor(g: Goldens): Dependencies {
  return {
    secret: (path, args) => {
      const text = g.secrets[path];
      if (args.length > 0 || text === undefined) return undefined;
      // A fresh Secret per call, as Consul Template's brain hands out the stored value.
      return Secret.fromVault(parseJsonNumbers(text) as VaultResponse);
    },
    secrets: () => undefined,
    pkiCert: () => undefined,
  };
}

/** Only the functions the Go side registered, so "function not defined" agrees too. */
function goldenFuncs(g: Goldens, onCtx: (ctx: FuncContext) => void): (ctx: FuncContext) => FuncMap {
  return (ctx) => {
    onCtx(ctx);
    const all = createFuncs(ctx);
    const picked: FuncMap = {};
    for (const name of g.funcs) {
      const fn = all[name];
      if (fn) picked[name] = fn;
    }
    return picked;
  };
}

export function renderCase(g: Goldens, c: GoldenCase): Result {
  let ctx: FuncContext | undefined;
  const deps = depsFor(g);
  try {
    const t = compile(
      c.tpl,
      {
        name: "",
        errorOnMissingKey: c.missingkey === "error",
        leftDelim: c.delims?.[0],
        rightDelim: c.delims?.[1],
      },
      goldenFuncs(g, (x) => {
        ctx = x;
      }),
    );
    const out =
      c.data === undefined
        ? t.execute(deps, host).output
        : // Consul Template always executes with nil data; to run Go's rules over a richer `.`,
          // run the main template the way executeTemplate does, with the data set as dot.
          withData(ctx, deps, g.datasets[c.data], c.data);
    return { out: shownBytes(encodeGoString(out)) };
  } catch (e) {
    if (e instanceof TemplateError) return { err: e.message, phase: e.phase === "parse" ? "parse" : "exec" };
    return { err: `NOT A TemplateError: ${String(e)}`, phase: "uncaught" };
  }
}

function withData(ctx: FuncContext | undefined, deps: Dependencies, text: string | undefined, name: string) {
  if (text === undefined || !ctx) throw new Error(`no dataset ${name}`);
  ctx.deps = deps;
  ctx.host = host;
  return ctx.executeTemplate("", parseJsonNumbers(text));
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Output compared as the bytes that reach the file (render/file.ts writes encodeGoString of
 * the text): as text when they are valid UTF-8, else as "base64:" and the exact bytes.
 */
function shownBytes(b: Uint8Array): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    return `base64:${Buffer.from(b).toString("base64")}`;
  }
}

/** Go's result for the case, in the same shape as renderCase's. */
export function expected(c: GoldenCase): Result {
  if (c.outBase64 !== undefined) return { out: `base64:${c.outBase64}` };
  if (c.out !== undefined) return { out: c.out };
  return { err: c.err ?? "", phase: c.phase ?? "" };
}

export const sameResult = (a: Result, b: Result): boolean => JSON.stringify(a) === JSON.stringify(b);
